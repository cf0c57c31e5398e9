// The pipeline on a real SQLite file with a manual clock: ingest, duplicates, the commit
// before the answer, a failed commit and the recovery, the timer, shutdown, restart.
#include <catch2/catch.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "inquiry/v1/alert.pb.h"
#include "ir/daemon/pipeline.hpp"
#include "ir/store/database.hpp"
#include "manual_clock.hpp"

using namespace ir;
using namespace std::chrono_literals;
using daemon::IngestOutcome;
using daemon::Pipeline;
using Kind = IngestOutcome::Kind;

namespace {

const sla::TimePoint T0 = sla::from_unix_ms(1'800'000'000'000);

class TempDir {
public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "ir_pipeline_XXXXXX").string();
        if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    std::filesystem::path file(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

router::Event message(std::string id, std::string thread = "t1") {
    router::Event e;
    e.channel = router::Channel::email;
    e.account = "alibaba-electronics";
    e.message_id = std::move(id);
    e.thread_id = std::move(thread);
    e.received_at = T0;
    e.sender.name = "Jonas Weber";
    e.sender.email = "j.weber@weber-handel.de";
    e.subject = "price";
    e.body = "Hello, price for 500 pcs of your smart watch?";
    return e;
}

// A pipeline with everything it needs, on a fresh (or given) store file.
struct Rig {
    explicit Rig(std::filesystem::path db, sla::Duration fast = 60s) : clock(T0), database(std::move(db)) {
        daemon::Config config;
        config.sla.fast = fast;
        config.sla.fast_warning = fast / 3;
        REQUIRE_FALSE(daemon::build_core(config, clock.now(), core));
        pipeline = std::make_unique<Pipeline>(ioc, core, clock, registry, daemon::PipelineOptions{database, 64, 16});
        auto error = pipeline->open();
        INFO(error.value_or(""));
        REQUIRE_FALSE(error);
        pipeline->add_alert_listener([this](const std::vector<store::AlertRow>& rows) {
            for (const auto& r : rows) alerts.push_back(r);
        });
        pipeline->start();
    }

    // Runs the io_context until `done` holds (bounded: a hang fails the test).
    void run_until(const std::function<bool()>& done) {
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        while (!done()) {
            REQUIRE(std::chrono::steady_clock::now() < deadline);
            ioc.run_one_for(10ms);
        }
    }

    IngestOutcome ingest(router::Event e) {
        std::optional<IngestOutcome> out;
        pipeline->ingest(std::move(e), [&](IngestOutcome o) { out = std::move(o); });
        run_until([&] { return out.has_value(); });
        return *out;
    }

    // What another connection sees in the file: only what is durable.
    std::size_t journaled() const {
        auto db = store::Database::open({.path = database, .read_only = true});
        REQUIRE(db);
        return (*db)->events_since(0, 100000).value().size();
    }

    boost::asio::io_context ioc;
    // Work posted from other threads (analysis, the writer) arrives later: never run out.
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> keep{ioc.get_executor()};
    daemon::test::ManualClock clock;
    std::filesystem::path database;
    daemon::Core core;
    daemon::metrics::Registry registry;
    std::unique_ptr<Pipeline> pipeline;
    std::vector<store::AlertRow> alerts;
};

}  // namespace

TEST_CASE("an event is answered only once it is durable, with its assessment") {
    TempDir dir;
    Rig rig(dir.file("store.db"));
    std::size_t journaled_at_answer = 0;
    std::optional<IngestOutcome> outcome;
    rig.pipeline->ingest(message("m1"), [&](IngestOutcome o) {
        journaled_at_answer = rig.journaled();  // read through another connection, at the answer
        outcome = std::move(o);
    });
    rig.run_until([&] { return outcome.has_value(); });
    CHECK(outcome->kind == Kind::accepted);
    CHECK(journaled_at_answer == 1);
    CHECK(outcome->inquiry == InquiryId{1});
    REQUIRE(outcome->assessment);
    CHECK(outcome->assessment->tier >= 3);
    CHECK(rig.pipeline->engine().open_count() == 1);
}

TEST_CASE("a repeated event is a duplicate that names the first; one still committing is refused") {
    TempDir dir;
    Rig rig(dir.file("store.db"));
    std::vector<IngestOutcome> both;
    rig.pipeline->ingest(message("m1"), [&](IngestOutcome o) { both.push_back(std::move(o)); });
    rig.pipeline->ingest(message("m1"), [&](IngestOutcome o) { both.push_back(std::move(o)); });
    rig.run_until([&] { return both.size() == 2; });
    CHECK(both[0].kind == Kind::retry_later);  // the second, answered at once
    CHECK(both[0].refusal == daemon::Refusal::in_flight);
    CHECK(both[1].kind == Kind::accepted);
    const auto again = rig.ingest(message("m1"));
    CHECK(again.kind == Kind::duplicate);
    CHECK(again.inquiry == InquiryId{1});
    CHECK(again.event_seq == 1);
    CHECK(rig.journaled() == 1);
}

TEST_CASE("a failed commit keeps nothing, answers retry later, and the core is rebuilt from the store") {
    TempDir dir;
    Rig rig(dir.file("store.db"));
    REQUIRE(rig.ingest(message("m1", "t1")).kind == Kind::accepted);
    rig.pipeline->set_store_quota(1);  // clamped to the current size: the next write finds the disk full
    std::string big(200'000, 'x');
    auto e = message("m2", "t2");
    e.body = big;
    const auto failed = rig.ingest(e);
    CHECK(failed.kind == Kind::retry_later);
    CHECK(failed.refusal == daemon::Refusal::commit_failed);
    CHECK(rig.journaled() == 1);
    rig.run_until([&] { return !rig.pipeline->health().recovering; });
    CHECK(rig.pipeline->health().last_commit_failed);
    CHECK(rig.pipeline->engine().open_count() == 1);  // t2's inquiry was never durable: gone again
    CHECK(rig.pipeline->engine().find(InquiryId{2}) == nullptr);
    rig.pipeline->set_store_quota(1 << 30);
    // The space check (every 200 ms) finds the store fine: direct commits again.
    rig.run_until([&] { return !rig.pipeline->health().degraded; });
    CHECK(rig.ingest(e).kind == Kind::accepted);  // the same event, now kept
    CHECK_FALSE(rig.pipeline->health().last_commit_failed);
    CHECK(rig.journaled() == 2);
}

TEST_CASE("the timer wakes the core at its deadline: the warning is stored, then published") {
    TempDir dir;
    Rig rig(dir.file("store.db"), 3s);
    REQUIRE(rig.ingest(message("m1")).kind == Kind::accepted);
    const auto assigned = rig.alerts.size();  // routing off: the queue's ASSIGNED, if any
    rig.clock.advance(2s);                    // past the warning (at 2 s)
    rig.pipeline->poke_timer();
    rig.run_until([&] { return rig.alerts.size() > assigned; });
    const store::AlertRow& warning = rig.alerts.back();
    CHECK(warning.topic == "queue/alibaba-electronics/");
    CHECK(warning.created_at == T0 + 2s);
    auto db = store::Database::open({.path = rig.database, .read_only = true});
    REQUIRE(db);
    CHECK((*db)->alerts_since(0, "", 100).value().back() == warning);  // published as stored
}

TEST_CASE("shutdown answers every commit in flight before it says drained") {
    TempDir dir;
    Rig rig(dir.file("store.db"));
    int answered = 0;
    int accepted = 0;
    bool drained = false;
    for (int i = 0; i < 40; ++i)
        rig.pipeline->ingest(message("m" + std::to_string(i), "t" + std::to_string(i)), [&](IngestOutcome o) {
            ++answered;
            if (o.kind == Kind::accepted) ++accepted;
            CHECK_FALSE(drained);
        });
    rig.pipeline->stop([&] { drained = true; });
    CHECK(rig.pipeline->busy() == daemon::Refusal::stopping);
    rig.run_until([&] { return drained; });
    CHECK(answered == 40);
    CHECK(accepted == 40);  // taken before the stop: finished, not dropped
    CHECK(rig.journaled() == 40);
}

TEST_CASE("a restart recovers the open inquiries and still knows every journaled event") {
    TempDir dir;
    {
        Rig first(dir.file("store.db"));
        REQUIRE(first.ingest(message("m1", "t1")).kind == Kind::accepted);
        REQUIRE(first.ingest(message("m2", "t2")).kind == Kind::accepted);
    }
    Rig second(dir.file("store.db"));
    CHECK(second.pipeline->engine().open_count() == 2);
    CHECK(second.pipeline->journaled_events() == 2);
    CHECK(second.ingest(message("m2", "t2")).kind == Kind::duplicate);
    CHECK(second.ingest(message("m3", "t3")).inquiry == InquiryId{3});
}

namespace {

inquiry::v1::Alert parsed(const store::AlertRow& row) {
    inquiry::v1::Alert a;
    REQUIRE(a.ParseFromString(row.payload));
    return a;
}

// Fails the next commit that grows the store (a 200 KB body), then waits for the rebuild.
void fail_a_commit(Rig& rig) {
    rig.pipeline->set_store_quota(1);  // clamped to the current size
    auto e = message("big", "t-big");
    e.body = std::string(200'000, 'x');
    REQUIRE(rig.ingest(e).refusal == daemon::Refusal::commit_failed);
    rig.run_until([&] { return !rig.pipeline->health().recovering; });
}

}  // namespace

TEST_CASE("after a failed commit, alerts that come due are published degraded, then stored with their seqs") {
    TempDir dir;
    Rig rig(dir.file("store.db"), 3s);
    REQUIRE(rig.ingest(message("m1")).kind == Kind::accepted);
    const auto stored_before = rig.alerts.size();  // the queue's ASSIGNED, if any
    fail_a_commit(rig);
    const auto h = rig.pipeline->health();
    REQUIRE(h.degraded);
    CHECK(h.degraded->find("the store refused a commit") != std::string::npos);
    CHECK(rig.pipeline->busy() == daemon::Refusal::recovering);  // events and requests wait
    CHECK(rig.pipeline->busy(Pipeline::Work::step) == daemon::Refusal::recovering);

    rig.clock.advance(2s);  // past the warning (at 1 s)
    rig.pipeline->poke_timer();
    rig.run_until([&] { return rig.alerts.size() > stored_before; });
    const store::AlertRow warning = rig.alerts.back();
    CHECK(parsed(warning).degraded());
    CHECK(warning.seq == static_cast<std::int64_t>(stored_before) + 1);  // the next seq after the stored ones
    CHECK(rig.pipeline->health().held_alerts >= 1);
    {
        auto db = store::Database::open({.path = rig.database, .read_only = true});
        REQUIRE(db);
        CHECK((*db)->max_alert_seq().value() == static_cast<std::int64_t>(stored_before));  // not stored yet
    }

    rig.pipeline->set_store_quota(1 << 30);  // room again: the next space check stores what is held
    rig.run_until([&] { return !rig.pipeline->health().degraded; });
    CHECK(rig.pipeline->health().held_alerts == 0);
    auto db = store::Database::open({.path = rig.database, .read_only = true});
    REQUIRE(db);
    const auto stored = (*db)->alerts_since(0, "", 100).value();
    REQUIRE(stored.size() == rig.alerts.size());
    for (std::size_t i = 0; i < stored.size(); ++i) {
        CHECK(stored[i].seq == static_cast<std::int64_t>(i) + 1);  // gap-free, in order
        auto as_published = parsed(rig.alerts[i]);
        as_published.set_degraded(false);
        CHECK(parsed(stored[i]).SerializeAsString() == as_published.SerializeAsString());  // the same alert
    }
    CHECK(rig.ingest(message("m2", "t2")).kind == Kind::accepted);
}

TEST_CASE("recovery after a failed commit keeps the dedupe index and reuses the failed event's seq") {
    TempDir dir;
    Rig rig(dir.file("store.db"));
    REQUIRE(rig.ingest(message("m1", "t1")).kind == Kind::accepted);
    fail_a_commit(rig);
    rig.pipeline->set_store_quota(1 << 30);
    rig.run_until([&] { return !rig.pipeline->health().degraded; });
    CHECK(rig.pipeline->journaled_events() == 1);
    const auto again = rig.ingest(message("m1", "t1"));
    CHECK(again.kind == Kind::duplicate);
    CHECK(again.event_seq == 1);
    REQUIRE(rig.ingest(message("m3", "t3")).kind == Kind::accepted);
    CHECK(rig.ingest(message("m3", "t3")).event_seq == 2);  // the failed one's number, never stored
    CHECK(rig.journaled() == 2);
}

TEST_CASE("events are refused while the store is near its size limit; steps are not") {
    TempDir dir;
    const auto path = dir.file("store.db");
    Rig rig(path);
    REQUIRE(rig.ingest(message("m1", "t1")).kind == Kind::accepted);
    const auto used = daemon::StoreSpace(path).measure().used_bytes;
    rig.pipeline->set_store_limits({.max_bytes = used + used / 16});  // within an eighth of it: full
    const auto h = rig.pipeline->health();
    REQUIRE(h.degraded);
    CHECK(h.degraded->find("max_bytes") != std::string::npos);
    const auto refused = rig.ingest(message("m2", "t2"));
    CHECK(refused.refusal == daemon::Refusal::store_full);
    CHECK(rig.pipeline->busy(Pipeline::Work::step) == std::nullopt);
    rig.pipeline->set_store_limits({.max_bytes = used * 4});
    CHECK_FALSE(rig.pipeline->health().degraded);
    CHECK(rig.ingest(message("m2", "t2")).kind == Kind::accepted);
}
