#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>

#include "ir/sla/deadline_queue.hpp"
#include "sla_test_support.hpp"

using namespace sla_test;

namespace {
enum class Key : std::uint64_t {};
using Queue = DeadlineQueue<Key>;
using Entry = Queue::Entry;
}  // namespace

TEST_CASE("an empty queue has no next deadline and nothing due") {
    Queue q;
    CHECK(q.empty());
    CHECK_FALSE(q.next().has_value());
    CHECK(q.pop_due(T0 + days{1000}).empty());
    CHECK_FALSE(q.disarm(Key{1}));
}

TEST_CASE("arm: next() is the earliest deadline") {
    Queue q;
    q.arm(Key{1}, T0 + 30s);
    q.arm(Key{2}, T0 + 10s);
    q.arm(Key{3}, T0 + 20s);
    CHECK(q.size() == 3);
    CHECK(q.next() == T0 + 10s);
    CHECK(q.deadline_of(Key{3}) == T0 + 20s);
}

TEST_CASE("re-arming a key replaces its deadline, both earlier and later") {
    Queue q;
    q.arm(Key{1}, T0 + 10s);
    q.arm(Key{2}, T0 + 20s);
    q.arm(Key{1}, T0 + 30s);
    CHECK(q.size() == 2);
    CHECK(q.next() == T0 + 20s);
    q.arm(Key{1}, T0 + 5s);
    CHECK(q.size() == 2);
    CHECK(q.pop_due(T0 + 1h) == std::vector<Entry>{{T0 + 5s, Key{1}}, {T0 + 20s, Key{2}}});
}

TEST_CASE("disarm removes a key wherever it sits") {
    Queue q;
    for (std::uint64_t k = 1; k <= 10; ++k) q.arm(Key{k}, T0 + std::chrono::seconds{k});
    CHECK(q.disarm(Key{1}));
    CHECK(q.disarm(Key{5}));
    CHECK(q.disarm(Key{10}));
    CHECK_FALSE(q.disarm(Key{5}));
    CHECK_FALSE(q.contains(Key{5}));
    CHECK(q.next() == T0 + 2s);
    const auto due = q.pop_due(T0 + 1h);
    std::vector<std::uint64_t> keys;
    for (const Entry& e : due) keys.push_back(static_cast<std::uint64_t>(e.key));
    CHECK(keys == std::vector<std::uint64_t>{2, 3, 4, 6, 7, 8, 9});
}

TEST_CASE("pop_due returns only what is due, earliest first, ties by key") {
    Queue q;
    q.arm(Key{9}, T0 + 10s);
    q.arm(Key{4}, T0 + 10s);
    q.arm(Key{7}, T0 + 5s);
    q.arm(Key{1}, T0 + 11s);
    CHECK(q.pop_due(T0 + 4s).empty());
    CHECK(q.pop_due(T0 + 10s) == std::vector<Entry>{{T0 + 5s, Key{7}}, {T0 + 10s, Key{4}}, {T0 + 10s, Key{9}}});
    CHECK(q.size() == 1);
    CHECK(q.next() == T0 + 11s);
    CHECK(q.pop_due(T0 + 10s).empty());  // popped entries are gone: nothing comes twice
}

TEST_CASE("the queue agrees with a simple model under random arm, disarm and pop") {
    std::mt19937_64 rng(42);
    Queue q;
    std::map<Key, TimePoint> model;
    TimePoint now = T0;
    for (int i = 0; i < 20000; ++i) {
        const Key k{rng() % 500};
        const auto op = rng() % 10;
        if (op < 6) {
            const TimePoint at = now + std::chrono::milliseconds{rng() % 5000};
            q.arm(k, at);
            model[k] = at;
        } else if (op < 8) {
            CHECK(q.disarm(k) == (model.erase(k) == 1));
        } else {
            now += std::chrono::milliseconds{rng() % 300};
            std::vector<Entry> expected;
            for (auto& [key, at] : model) {
                if (at <= now) expected.push_back({at, key});
            }
            std::sort(expected.begin(), expected.end(),
                      [](const Entry& a, const Entry& b) { return std::pair(a.at, a.key) < std::pair(b.at, b.key); });
            for (const Entry& e : expected) model.erase(e.key);
            REQUIRE(q.pop_due(now) == expected);
        }
        REQUIRE(q.size() == model.size());
    }
}
