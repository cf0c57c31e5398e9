// The WAL is moved into the database file off the commit path, and nothing is lost.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <thread>

#include "ir/store/checkpointer.hpp"
#include "ir/store/group_committer.hpp"
#include "store_fixture.hpp"

using namespace ir::store;
using namespace ir::store::test;
using namespace std::chrono_literals;

namespace {
// Checkpoints every 5 ms; from 10 pages of WAL on, it would ask a writer to finish.
CheckpointerOptions eager_checkpoints(const std::filesystem::path& path) {
    CheckpointerOptions co;
    co.path = path;
    co.interval = 5ms;
    co.restart_pages = 10;
    return co;
}
}  // namespace

TEST_CASE("a checkpointer thread folds the WAL into the database while commits go on") {
    TempDir dir;
    const auto path = dir.path() / "db.sqlite";
    Options o;
    o.path = path;
    o.auto_checkpoint = false;
    auto db = Database::open(o);
    REQUIRE(db.has_value());
    auto cp = Checkpointer::start(eager_checkpoints(path));
    REQUIRE(cp.has_value());
    for (int i = 0; i < 300; ++i)
        REQUIRE_FALSE((*db)->apply(ingest("acct", "m" + std::to_string(i), i + 1)).has_value());
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while ((*cp)->checkpoints() < 5 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
    CHECK((*cp)->checkpoints() >= 5);
    // With the writer still open, the pages must have reached the database file itself
    // (a checkpoint on a connection that never read used to do nothing at all).
    CHECK(std::filesystem::file_size(path) > 16 * 4096);
    cp->reset();
    db->reset();
    auto reopened = open_db(path);
    CHECK(reopened->event_count().value() == 300);
}

TEST_CASE("after a burst the WAL file is cut back to its limit once checkpoints catch up") {
    TempDir dir;
    const auto path = dir.path() / "db.sqlite";
    const auto wal = std::filesystem::path(path.string() + "-wal");
    Options o;
    o.path = path;
    o.auto_checkpoint = false;
    o.wal_size_limit = 64 << 10;
    auto db = Database::open(o);
    REQUIRE(db.has_value());
    for (int i = 0; i < 400; ++i)  // the burst: nothing checkpoints it yet
        REQUIRE_FALSE((*db)->apply(ingest("acct", "m" + std::to_string(i), i + 1)).has_value());
    const auto burst = std::filesystem::file_size(wal);
    REQUIRE(burst > 512 << 10);
    auto cp = Checkpointer::start(eager_checkpoints(path));
    REQUIRE(cp.has_value());
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    int next = 400;
    while (std::filesystem::file_size(wal) >= burst && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(10ms);  // the writer restarts the WAL, then cuts it back
        REQUIRE_FALSE((*db)->apply(ingest("acct", "m" + std::to_string(next), next + 1)).has_value());
        ++next;
    }
    CHECK(std::filesystem::file_size(wal) <= 128 << 10);
    cp->reset();
    db->reset();
    CHECK(open_db(path)->event_count().value() == next);
}

TEST_CASE("under commits that never pause the WAL still starts over: the writer copies the last frames") {
    TempDir dir;
    const auto path = dir.path() / "db.sqlite";
    const auto wal = std::filesystem::path(path.string() + "-wal");
    auto committer = GroupCommitter::start(
        CommitterOptions{.database = Options{.path = path, .auto_checkpoint = false, .wal_size_limit = 64 << 10}});
    REQUIRE(committer.has_value());
    auto options = eager_checkpoints(path);
    options.caught_up = [&committer] { (*committer)->request_wal_wrap(); };
    auto cp = Checkpointer::start(options);
    REQUIRE(cp.has_value());
    // Each change is submitted the moment the last one is durable: the WAL is never idle.
    constexpr int kChanges = 3000;
    Counter acked;
    for (int i = 0; i < kChanges; ++i) {
        REQUIRE(
            (*committer)->submit(ingest("acct", "m" + std::to_string(i), i + 1), [&acked](std::optional<ir::Error> e) {
                if (!e) acked.add();
            }));
        REQUIRE(acked.wait_for(static_cast<std::size_t>(i + 1)));
    }
    // Without the wrap it would hold every commit's pages (several MiB by now).
    CHECK(std::filesystem::file_size(wal) < 2 << 20);
    cp->reset();
    committer->reset();
    CHECK(open_db(path)->event_count().value() == kChanges);
}
