// GroupCommitter: acks after commit, in order, grouped, bounded, and failures contained.
#include <catch2/catch.hpp>
#include <fstream>
#include <numeric>
#include <thread>

#include "ir/store/group_committer.hpp"
#include "store_fixture.hpp"

using namespace ir::store;
using ir::store::test::TempDir;
namespace t = ir::store::test;

namespace {

std::unique_ptr<GroupCommitter> start(CommitterOptions options) {
    auto committer = GroupCommitter::start(std::move(options));
    REQUIRE(committer);
    return std::move(*committer);
}

// A change whose callback holds the writer thread until the gate opens.
bool submit_gate(GroupCommitter& committer, t::Gate& gate, Change change = {}) {
    return committer.submit(std::move(change), [&gate](auto) { gate.wait_inside(); });
}

}  // namespace

TEST_CASE("16 threads' changes all land once, acked in order per thread, in few batches") {
    TempDir dir;
    constexpr int kThreads = 16;
    constexpr int kPerThread = 125;
    std::vector<CommitSample> samples;  // written on the writer thread only
    auto committer = start({.database = {.path = dir.file("store.db")},
                            .queue_capacity = kThreads * kPerThread,
                            .on_commit = [&](const CommitSample& s) { samples.push_back(s); }});
    t::Counter acked;
    std::vector<std::vector<int>> order(kThreads);  // appended to on the writer thread
    std::vector<int> failures(kThreads, 0);
    std::vector<int> refused(kThreads, 0);
    {
        std::vector<std::jthread> threads;
        for (int th = 0; th < kThreads; ++th) {
            threads.emplace_back([&, th] {
                for (int i = 0; i < kPerThread; ++i) {
                    const std::int64_t id = th * 1000 + i + 1;
                    auto done = [&, th, i](std::optional<ir::Error> e) {
                        order[th].push_back(i);
                        failures[th] += e ? 1 : 0;
                        acked.add();
                    };
                    if (!committer->submit(t::ingest("t" + std::to_string(th), std::to_string(i), id), done)) {
                        ++refused[th];
                    }
                }
            });
        }
    }
    REQUIRE(acked.wait_for(kThreads * kPerThread));
    const auto stats = committer->stats();  // the acks came after the stats were counted
    committer->stop();

    std::vector<int> expected(kPerThread);
    std::iota(expected.begin(), expected.end(), 0);
    for (int th = 0; th < kThreads; ++th) {
        INFO("thread " << th);
        CHECK(refused[th] == 0);
        CHECK(failures[th] == 0);
        CHECK(order[th] == expected);
    }
    CHECK(stats.changes == kThreads * kPerThread);
    CHECK(stats.rows == 2 * kThreads * kPerThread);
    CHECK(stats.failed_batches == 0);
    CHECK(stats.batches < kThreads * kPerThread);  // grouped, or it is no group commit
    CHECK(stats.batches == samples.size());
    std::size_t sampled = 0;
    for (const auto& s : samples) sampled += s.changes;
    CHECK(sampled == kThreads * kPerThread);
    CHECK(stats.total_commit.count() > 0);

    auto db = t::open_db(dir.file("store.db"));
    CHECK(db->event_count().value() == kThreads * kPerThread);
    for (int th = 0; th < kThreads; ++th) {
        const auto ref = t::journaled(*db, "chat", "t" + std::to_string(th), "124");
        REQUIRE(ref);
        CHECK(ref->inquiry_id == th * 1000 + 125);
    }
    CHECK(db->inquiries({.limit = 10'000}).value().size() == kThreads * kPerThread);
}

TEST_CASE("a full queue refuses at once, and stop commits what was queued") {
    TempDir dir;
    auto committer = start({.database = {.path = dir.file("store.db")}, .queue_capacity = 4});
    t::Gate gate;
    REQUIRE(submit_gate(*committer, gate));
    REQUIRE(gate.wait_entered());  // the writer is stuck in a callback: nothing drains
    t::Counter acked;
    for (int i = 0; i < 4; ++i) {
        CHECK(committer->submit(t::ingest("acc", std::to_string(i), i + 1), [&](auto e) {
            if (!e) acked.add();
        }));
    }
    CHECK_FALSE(committer->submit(t::ingest("acc", "extra", 99), [](auto) {}));
    CHECK(committer->stats().queued == 4);
    gate.open();
    committer->stop();
    CHECK(acked.count() == 4);
    CHECK_FALSE(committer->submit(t::ingest("acc", "late", 100), [](auto) {}));
    CHECK(committer->stats().changes == 5);

    auto db = t::open_db(dir.file("store.db"));
    CHECK(db->event_count().value() == 4);
    CHECK(t::journaled(*db, "chat", "acc", "extra") == std::nullopt);
}

TEST_CASE("a full disk fails the whole batch, every caller hears it, later batches succeed") {
    TempDir dir;
    const auto path = dir.file("store.db");
    auto committer = start({.database = {.path = path}});
    const std::string big(256 * 1024, 'p');  // needs new pages whatever the free space
    t::Gate gate;
    REQUIRE(submit_gate(*committer, gate, t::ingest("acc", "before", 1)));
    REQUIRE(gate.wait_entered());

    committer->set_max_page_count(1);               // SQLite clamps it to the current size: no growth
    std::vector<std::optional<ir::Error>> results;  // written on the writer thread
    t::Counter acked;
    for (int i = 0; i < 3; ++i) {
        Change c = t::ingest("acc", "full" + std::to_string(i), 10 + i);
        c.events[0].payload = big;
        c.alerts = {t::alert(i + 1, "a/")};
        REQUIRE(committer->submit(std::move(c), [&](std::optional<ir::Error> e) {
            results.push_back(std::move(e));
            acked.add();
        }));
    }
    gate.open();
    REQUIRE(acked.wait_for(3));
    REQUIRE(results.size() == 3);
    for (const auto& e : results) {
        REQUIRE(e);
        CHECK_THAT(e->message, Catch::Contains("full"));
        CHECK(e->field == path.string());
    }
    CHECK(committer->stats().failed_batches == 1);  // the three were one batch

    committer->set_max_page_count(1'000'000);  // the disk has room again
    Change after = t::ingest("acc", "after", 20);
    after.events[0].payload = big;
    after.alerts = {t::alert(1, "a/")};
    std::optional<ir::Error> later{ir::Error{"not called", ""}};
    REQUIRE(committer->submit(std::move(after), [&](auto e) {
        later = std::move(e);
        acked.add();
    }));
    REQUIRE(acked.wait_for(4));
    CHECK_FALSE(later);
    committer->stop();

    auto db = t::open_db(path);
    CHECK(db->event_count().value() == 2);
    CHECK(t::journaled(*db, "chat", "acc", "before"));
    CHECK(t::journaled(*db, "chat", "acc", "after") == EventKey{2, "chat", "acc", "after", 20});
    for (int i = 0; i < 3; ++i) {
        CHECK(t::journaled(*db, "chat", "acc", "full" + std::to_string(i)) == std::nullopt);
        CHECK(db->inquiry(10 + i).value() == std::nullopt);
    }
    CHECK(db->max_alert_seq().value() == 1);
}

TEST_CASE("stop_after_failure: after a failed batch nothing commits until resume()") {
    TempDir dir;
    const auto path = dir.file("store.db");
    auto committer = start({.database = {.path = path}, .stop_after_failure = true});
    committer->set_max_page_count(1);  // clamped to the current size: the next growth fails
    const std::string big(256 * 1024, 'p');
    t::Counter acked;
    std::vector<std::optional<ir::Error>> results;
    const auto submit = [&](Change c) {
        REQUIRE(committer->submit(std::move(c), [&](std::optional<ir::Error> e) {
            results.push_back(std::move(e));
            acked.add();
        }));
    };
    Change full = t::ingest("acc", "full", 10);
    full.events[0].payload = big;
    submit(std::move(full));
    REQUIRE(acked.wait_for(1));
    committer->set_max_page_count(1'000'000);  // room again, but the committer is halted
    submit(t::ingest("acc", "small", 11));     // would fit: refused all the same
    REQUIRE(acked.wait_for(2));
    REQUIRE(results[0]);
    REQUIRE(results[1]);
    CHECK_THAT(results[1]->message, Catch::Contains("an earlier commit failed"));
    committer->resume();
    submit(t::ingest("acc", "resumed", 12));
    REQUIRE(acked.wait_for(3));
    CHECK_FALSE(results[2]);
    committer->stop();
    auto db = t::open_db(path);
    CHECK(db->event_count().value() == 1);
    CHECK(t::journaled(*db, "chat", "acc", "resumed"));
}

TEST_CASE("the committer refuses options it cannot honour") {
    TempDir dir;
    CHECK_FALSE(GroupCommitter::start({.database = {.path = dir.file("a.db")}, .max_batch = 0}));
    CHECK_FALSE(GroupCommitter::start({.database = {.path = dir.file("a.db"), .read_only = true}}));
    std::ofstream(dir.file("junk.db")) << std::string(4096, 'j');
    auto bad = GroupCommitter::start({.database = {.path = dir.file("junk.db")}});
    REQUIRE_FALSE(bad);
    CHECK_THAT(bad.error().message, Catch::Contains("not a database"));
}
