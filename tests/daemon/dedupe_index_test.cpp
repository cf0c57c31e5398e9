// DedupeIndex: every key added is found again, with its seq, however many there are and
// whatever their hashes; a key never added yields nothing.
#include <catch2/catch.hpp>
#include <algorithm>
#include <stdexcept>
#include <string>

#include "ir/daemon/dedupe_index.hpp"

using ir::daemon::DedupeIndex;

TEST_CASE("every key added is a candidate again, with its seq, across growth") {
    DedupeIndex index;
    CHECK(index
              .candidates("chat\x1f"
                          "acc\x1f"
                          "m1")
              .empty());
    constexpr std::int64_t kKeys = 200'000;  // many growths from the first 1,024 slots
    for (std::int64_t i = 1; i <= kKeys; ++i) index.add(DedupeIndex::key("chat", "acc", "m" + std::to_string(i)), i);
    CHECK(index.size() == kKeys);
    for (std::int64_t i = 1; i <= kKeys; ++i) {
        const auto found = index.candidates(DedupeIndex::key("chat", "acc", "m" + std::to_string(i)));
        REQUIRE(std::find(found.begin(), found.end(), i) != found.end());
    }
    std::size_t strays = 0;  // other keys share a hash only by (64-bit) accident
    for (std::int64_t i = kKeys + 1; i <= 2 * kKeys; ++i)
        strays += index.candidates(DedupeIndex::key("chat", "acc", "m" + std::to_string(i))).size();
    CHECK(strays == 0);
    // 16 bytes a slot, at least 3/8 of the slots used: at most 43 bytes a key, and at most
    // 64 while a growth is still moving keys out of the old table (here it is).
    CHECK(index.memory_bytes() <= kKeys * 64);
    index.clear();
    CHECK(index.size() == 0);
    CHECK(index.candidates(DedupeIndex::key("chat", "acc", "m1")).empty());
}

TEST_CASE("while the table grows a few slots at a time, every key stays a candidate") {
    DedupeIndex index;
    auto key = [](std::int64_t i) { return DedupeIndex::key("email", "acc", "<" + std::to_string(i) + "@x>"); };
    auto found = [&](std::int64_t i) {
        const auto c = index.candidates(key(i));
        return std::count(c.begin(), c.end(), i) == 1;  // once, though it may sit in both tables
    };
    for (std::int64_t i = 1; i <= 20'000; ++i) {  // four growths: 1,024 slots to 32,768
        index.add(key(i), i);
        REQUIRE(found(i));
        REQUIRE(found(1));
        REQUIRE(found((i + 1) / 2));
        REQUIRE(found(std::max<std::int64_t>(1, i - 700)));  // added just before the last growth
    }
    for (std::int64_t i = 1; i <= 20'000; ++i) REQUIRE(found(i));
}

TEST_CASE("keys whose hashes collide are all candidates: the caller compares the journaled key") {
    DedupeIndex index;
    index.add_hashed(42, 7);
    index.add_hashed(42 + 1024, 8);  // the same first slot, another hash
    index.add_hashed(42, 9);         // the same hash
    CHECK(index.candidates_hashed(42) == std::vector<std::int64_t>{7, 9});
    CHECK(index.candidates_hashed(42 + 1024) == std::vector<std::int64_t>{8});
    CHECK(index.candidates_hashed(43).empty());
}

TEST_CASE("the key keeps channel, account and message id apart") {
    CHECK(DedupeIndex::key("chat", "a", "bc") != DedupeIndex::key("chat", "ab", "c"));
    CHECK(DedupeIndex::key("chat", "acc", "m1") != DedupeIndex::key("email", "acc", "m1"));
}

TEST_CASE("a seq that is not a journal seq is refused") {
    DedupeIndex index;
    CHECK_THROWS_AS(index.add("k", 0), std::invalid_argument);
}
