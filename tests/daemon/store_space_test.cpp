// StoreSpace: the store's files measured, and when events must stop.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "ir/daemon/store_space.hpp"

using namespace ir::daemon;

TEST_CASE("the store's size is the database with its -wal and -shm; free space is the filesystem's") {
    std::string pattern = (std::filesystem::temp_directory_path() / "ir_space_XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    const std::filesystem::path dir = pattern;
    std::ofstream(dir / "s.db") << std::string(1000, 'd');
    std::ofstream(dir / "s.db-wal") << std::string(300, 'w');
    std::ofstream(dir / "s.db-shm") << std::string(20, 's');
    const auto s = StoreSpace(dir / "s.db").measure();
    CHECK(s.used_bytes == 1320);
    REQUIRE(s.free_bytes);
    CHECK(*s.free_bytes > 0);
    std::filesystem::remove_all(dir);
}

TEST_CASE("events stop an eighth (at most 64 MiB) before max_bytes, or below min_free_bytes") {
    const std::uint64_t mib = 1 << 20;
    CHECK_FALSE(StoreSpace::refusal({.used_bytes = 1000 * mib, .free_bytes = 10 * mib}, {}));
    CHECK_FALSE(StoreSpace::refusal({.used_bytes = 6 * mib}, {.max_bytes = 8 * mib}));
    const auto near = StoreSpace::refusal({.used_bytes = 7 * mib}, {.max_bytes = 8 * mib});
    REQUIRE(near);
    CHECK(*near == "the store takes 7.0 MiB of its [store] max_bytes 8.0 MiB (events stop 1.0 MiB before it)");
    CHECK_FALSE(StoreSpace::refusal({.used_bytes = 9000 * mib}, {.max_bytes = 10000 * mib}));  // 64 MiB, not 1/8
    CHECK(StoreSpace::refusal({.used_bytes = 9937 * mib}, {.max_bytes = 10000 * mib}));
    const auto low = StoreSpace::refusal({.used_bytes = mib, .free_bytes = 100 * mib}, {.min_free_bytes = 128 * mib});
    REQUIRE(low);
    CHECK(low->find("only 100.0 MiB free") == 0);
    CHECK_FALSE(StoreSpace::refusal({.used_bytes = mib}, {.min_free_bytes = 128 * mib}));  // free unknown
}

TEST_CASE("the writer's page quota is max_bytes in pages, or SQLite's own limit") {
    CHECK(StoreSpace::page_quota({}) == 1'073'741'823);
    CHECK(StoreSpace::page_quota({.max_bytes = 8 << 20}) == 2048);
}
