// Retention and erasure on a real SQLite file, the real pipeline and a manual clock moved
// 200 days on: old resolved inquiries go (row, details, payloads), the ranking of their
// month stays the same, open and recent ones are untouched, customers with nothing left
// are forgotten, ids are never reused; a buyer's erasure request; labels go with both.
#include <catch2/catch.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>

#include "ir/daemon/pipeline.hpp"
#include "ir/daemon/proto_convert.hpp"
#include "ir/daemon/retention.hpp"
#include "ir/routing/reply_report.hpp"
#include "ir/store/database.hpp"
#include "ir/store/pruner.hpp"
#include "manual_clock.hpp"

using namespace ir;
using namespace std::chrono_literals;
using daemon::IngestOutcome;
using daemon::Pipeline;
using daemon::Retention;
using daemon::RetentionReport;

namespace {

const sla::TimePoint January = sla::from_unix_ms(1'798'761'600'000);  // 2027-01-01T00:00:00Z
const sla::TimePoint T0 = January + std::chrono::days(4);
constexpr auto kDays = std::chrono::days(1);

class TempDir {
public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "ir_retention_XXXXXX").string();
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

// The pipeline and the retention worker, on a store file, with a manual clock.
struct Rig {
    explicit Rig(std::filesystem::path db, sla::TimePoint start = T0) : clock(start), database(std::move(db)) {
        REQUIRE_FALSE(daemon::build_core(daemon::Config{}, clock.now(), core));
        pipeline = std::make_unique<Pipeline>(ioc, core, clock, registry, daemon::PipelineOptions{database, 64, 16});
        auto error = pipeline->open();
        INFO(error.value_or(""));
        REQUIRE_FALSE(error);
        pipeline->start();
        daemon::RetentionOptions options{database, std::chrono::days(180)};
        options.first_pass = 24h;  // only the passes the test asks for
        options.batch = 2;         // several transactions, even here
        options.pause = 0ms;
        auto worker = Retention::open(ioc, *pipeline, registry, clock, options);
        REQUIRE(worker);
        retention = std::move(*worker);
        retention->start();
    }
    ~Rig() { retention->stop(); }

    void run_until(const std::function<bool()>& done) {
        const auto deadline = std::chrono::steady_clock::now() + 20s;
        while (!done()) {
            REQUIRE(std::chrono::steady_clock::now() < deadline);
            ioc.run_one_for(10ms);
        }
    }

    IngestOutcome ingest(const std::string& id, const std::string& email) {
        router::Event e;
        e.channel = router::Channel::email;
        e.account = "alibaba-electronics";
        e.message_id = id;
        e.thread_id = "thread-" + id;
        e.received_at = clock.now();
        e.sender.name = "Buyer " + id;
        e.sender.email = email;
        e.subject = "price";
        e.body = "Hello, price for 500 pcs of your smart watch?";
        std::optional<IngestOutcome> out;
        pipeline->ingest(std::move(e), [&](IngestOutcome o) { out = std::move(o); });
        run_until([&] { return out.has_value(); });
        REQUIRE(out->inquiry);
        return *out;
    }

    void step(const Pipeline::Step& s) {
        std::optional<daemon::StepOutcome> out;
        pipeline->apply(s, [&](daemon::StepOutcome o) { out = std::move(o); });
        run_until([&] { return out.has_value(); });
        REQUIRE(out->ok());
    }
    void reply(InquiryId id, const std::string& agent) {
        step([&](router::Engine& e, sla::TimePoint now) { return e.on_reply(id, agent, now); });
    }
    void resolve(InquiryId id) {
        step([&](router::Engine& e, sla::TimePoint now) { return e.on_resolve(id, now); });
    }
    // As POST .../label stores one: no core step, the row in the pipeline's commit.
    void label(InquiryId id, bool suspect, int tier) {
        store::Change change;
        change.labels.push_back(
            {static_cast<std::int64_t>(id), suspect, tier, "sue", "supervisor", clock.now(), "label"});
        std::optional<daemon::StepOutcome> out;
        pipeline->apply([](router::Engine&, sla::TimePoint) { return router::StepResult{}; },
                        [&](daemon::StepOutcome o) { out = std::move(o); }, std::move(change));
        run_until([&] { return out.has_value(); });
        REQUIRE(out->ok());
    }
    std::vector<std::int64_t> labelled() const {
        const auto db = reader();
        const std::vector<store::LabelRow> labels = db->latest_labels(0, 100).value();
        std::vector<std::int64_t> ids;
        for (const auto& l : labels) ids.push_back(l.inquiry_id);
        return ids;
    }

    RetentionReport pass() {
        std::optional<RetentionReport> out;
        retention->run_pass([&](RetentionReport r) { out = std::move(r); });
        run_until([&] { return out.has_value(); });
        return *out;
    }
    RetentionReport erase(CustomerId id) {
        std::optional<RetentionReport> out;
        retention->erase_customer(id, "admin", [&](RetentionReport r) { out = std::move(r); });
        run_until([&] { return out.has_value(); });
        return *out;
    }

    RetentionReport erase_leftovers(CustomerId id) {
        std::optional<RetentionReport> out;
        retention->erase_leftovers(id, [&](RetentionReport r) { out = std::move(r); });
        run_until([&] { return out.has_value(); });
        return *out;
    }

    std::unique_ptr<store::Database> reader() const {
        auto db = store::Database::open({.path = database, .read_only = true});
        REQUIRE(db);
        return std::move(*db);
    }
    // The ranking GET /v1/stats/replies shows for `since`.
    routing::ReplyReport ranking(sla::TimePoint since) const {
        const auto db = reader();
    const auto rows = db->replies({since, std::nullopt}).value();
        std::vector<routing::ReplyRow> replies;
        for (const auto& r : rows) replies.push_back({r.agent, r.account, r.buyer_at, r.replied_at});
        return routing::reply_report(replies);
    }
    CustomerId customer_of(InquiryId id) const {
        auto row = reader()->inquiry(static_cast<std::int64_t>(id)).value();
        REQUIRE(row);
        auto view = daemon::view_of(*row);
        REQUIRE(view);
        return CustomerId{view->stored.record.customer};
    }
    std::uint64_t erased(const std::string& what, const std::string& why) {
        return registry.counter("inquiryd_erased_total", "", {{"what", what}, {"why", why}}).value();
    }

    boost::asio::io_context ioc;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> keep{ioc.get_executor()};
    daemon::test::ManualClock clock;
    std::filesystem::path database;
    daemon::Core core;
    daemon::metrics::Registry registry;
    std::unique_ptr<Pipeline> pipeline;
    std::unique_ptr<Retention> retention;
};

}  // namespace

TEST_CASE("retention: old resolved inquiries go, their month's ranking stays, open and recent ones stay") {
    TempDir dir;
    Rig rig(dir.file("store.db"));
    // January: Ann and Carl ask, are answered and resolved; Ann asks again (answered, still
    // open); Dora's inquiry is never answered.
    const auto a1 = *rig.ingest("a1", "ann@x.com").inquiry;
    rig.clock.advance(3min);
    rig.reply(a1, "alice");
    rig.resolve(a1);
    const auto c1 = *rig.ingest("c1", "carl@x.com").inquiry;
    rig.clock.advance(10min);
    rig.reply(c1, "bob");
    rig.resolve(c1);
    const auto a2 = *rig.ingest("a2", "ann@x.com").inquiry;
    rig.clock.advance(2h);
    rig.reply(a2, "alice");
    const auto d1 = *rig.ingest("d1", "dora@x.com").inquiry;
    const auto ann = rig.customer_of(a1), carl = rig.customer_of(c1), dora = rig.customer_of(d1);
    // July: Eve's inquiry, resolved a day later.
    rig.clock.advance(190 * kDays);
    const auto e1 = *rig.ingest("e1", "eve@x.com").inquiry;
    rig.clock.advance(20min);
    rig.reply(e1, "bob");
    rig.clock.advance(1 * kDays);
    rig.resolve(e1);
    const auto eve = rig.customer_of(e1);
    const auto july = January + 181 * kDays;
    const auto january_before = rig.ranking(January), july_before = rig.ranking(july);
    REQUIRE(january_before.team.replies == 4);

    rig.clock.advance(10 * kDays);  // 200 days after January: a1 and c1 are past 180 days
    const auto report = rig.pass();
    REQUIRE(report.ok());
    CHECK(report.erased == store::Erased{2, 2, 2, 2});
    CHECK(report.customers == std::vector<CustomerId>{carl});  // Ann still has a2
    CHECK(report.size.bytes > 0);

    auto db = rig.reader();
    for (const auto gone : {a1, c1}) {
        CHECK_FALSE(db->inquiry(static_cast<std::int64_t>(gone)).value());
        CHECK_FALSE(db->detail(static_cast<std::int64_t>(gone)).value());
    }
    for (const auto kept : {a2, d1, e1}) {
        CHECK(db->inquiry(static_cast<std::int64_t>(kept)).value());
        CHECK(db->detail(static_cast<std::int64_t>(kept)).value());
    }
    const auto events = db->events_since(0, 100).value();
    for (const auto& e : events)
        CHECK(e.payload.empty() == (e.inquiry_id == static_cast<std::int64_t>(a1) ||
                                    e.inquiry_id == static_cast<std::int64_t>(c1)));
    CHECK(rig.ranking(January) == january_before);  // the month's ranking, as it was
    CHECK(rig.ranking(july) == july_before);
    CHECK(rig.pipeline->engine().find(d1));  // open inquiries are the core's, untouched
    CHECK(rig.pipeline->engine().find(a2));
    const auto& book = rig.pipeline->engine().customers();
    CHECK_FALSE(book.get(carl));
    for (const auto kept : {ann, dora, eve}) CHECK(book.get(kept));
    CHECK(db->customers().value().size() == 3);
    // A channel delivering Carl's old message again: still a duplicate.
    const auto again = rig.ingest("c1", "carl@x.com");
    CHECK(again.kind == IngestOutcome::Kind::duplicate);
    CHECK(again.inquiry == c1);
    CHECK(rig.erased("inquiries", "retention") == 2);
    CHECK(rig.erased("customers", "retention") == 1);
    CHECK(rig.pass().erased == store::Erased{});  // nothing more is old enough
}

TEST_CASE("retention: after the newest inquiry and customer are erased, a restart never reuses their ids") {
    TempDir dir;
    InquiryId old{};
    CustomerId buyer{};
    {
        Rig rig(dir.file("store.db"));
        old = *rig.ingest("m1", "ann@x.com").inquiry;
        buyer = rig.customer_of(old);
        rig.resolve(old);
        rig.clock.advance(181 * kDays);
        const auto report = rig.pass();
        CHECK(report.erased.inquiries == 1);
        CHECK(report.customers == std::vector<CustomerId>{buyer});
        CHECK(rig.reader()->max_inquiry_id().value() == 0);  // nothing is left in the table
    }
    Rig again(dir.file("store.db"), T0 + 182 * kDays);
    const auto fresh = *again.ingest("m2", "ann@x.com").inquiry;
    CHECK(static_cast<std::uint64_t>(fresh) > static_cast<std::uint64_t>(old));
    CHECK(static_cast<std::uint64_t>(again.customer_of(fresh)) > static_cast<std::uint64_t>(buyer));
}

TEST_CASE("erasing a customer waits for their open inquiries, then takes every one of theirs") {
    TempDir dir;
    Rig rig(dir.file("store.db"));
    const auto first = *rig.ingest("a1", "ann@x.com").inquiry;
    rig.reply(first, "alice");
    rig.resolve(first);
    const auto second = *rig.ingest("a2", "ann@x.com").inquiry;
    const auto other = *rig.ingest("d1", "dora@x.com").inquiry;
    const auto ann = rig.customer_of(first);
    const auto ranking = rig.ranking(January);

    auto refused = rig.erase(ann);
    CHECK(refused.ok());
    CHECK(refused.customers.empty());  // a2 is open: nothing is erased
    CHECK(rig.pipeline->engine().customers().get(ann));

    rig.resolve(second);
    auto done = rig.erase(ann);
    REQUIRE(done.ok());
    CHECK(done.customers == std::vector<CustomerId>{ann});
    CHECK(done.erased.inquiries == 2);
    CHECK(done.erased.details == 2);
    auto db = rig.reader();
    CHECK_FALSE(db->inquiry(static_cast<std::int64_t>(first)).value());
    CHECK_FALSE(db->inquiry(static_cast<std::int64_t>(second)).value());
    CHECK(db->inquiry(static_cast<std::int64_t>(other)).value());
    CHECK(db->customers().value().size() == 1);
    CHECK(rig.ranking(January) == ranking);  // her reply still counts for alice
    CHECK(rig.erased("customers", "request") == 1);
    CHECK(rig.erased("inquiries", "request") == 2);
}

TEST_CASE("an erasure cut short after the customer was forgotten is finished by a repeat") {
    TempDir dir;
    Rig rig(dir.file("store.db"));
    const auto first = *rig.ingest("b1", "bea@x.com").inquiry;
    rig.resolve(first);
    const auto other = *rig.ingest("e1", "eve@x.com").inquiry;
    const auto bea = rig.customer_of(first);
    // The record goes, as the first half of a request does; the daemon stops before the rest.
    rig.step([&](router::Engine& e, sla::TimePoint now) { return e.forget_customers({bea}, now); });
    REQUIRE_FALSE(rig.pipeline->engine().customers().get(bea));
    REQUIRE(rig.reader()->inquiry(static_cast<std::int64_t>(first)).value());

    auto repeat = rig.erase_leftovers(bea);
    REQUIRE(repeat.ok());
    CHECK(repeat.customers.empty());
    CHECK(repeat.erased.inquiries == 1);
    CHECK_FALSE(rig.reader()->inquiry(static_cast<std::int64_t>(first)).value());
    CHECK(rig.reader()->inquiry(static_cast<std::int64_t>(other)).value());
    CHECK(rig.erase_leftovers(bea).erased.inquiries == 0);  // the route's 404 from here on
}

TEST_CASE("retention and a buyer's erasure delete the labels of the inquiries they erase") {
    TempDir dir;
    Rig rig(dir.file("store.db"));
    const auto old = *rig.ingest("a1", "ann@x.com").inquiry;
    rig.label(old, true, 3);
    rig.label(old, false, 2);  // a second opinion: both rows go
    rig.resolve(old);
    const auto dora = *rig.ingest("d1", "dora@x.com").inquiry;
    rig.label(dora, true, 4);
    rig.clock.advance(181 * kDays);
    const auto bob = *rig.ingest("b1", "bob@x.com").inquiry;
    rig.label(bob, false, 1);
    const auto all = std::vector<std::int64_t>{static_cast<std::int64_t>(old), static_cast<std::int64_t>(dora),
                                               static_cast<std::int64_t>(bob)};
    REQUIRE(rig.labelled() == all);

    const auto pass = rig.pass();
    REQUIRE(pass.ok());
    CHECK(pass.erased.labels == 2);
    CHECK(rig.labelled() == std::vector<std::int64_t>{all[1], all[2]});
    CHECK(rig.erased("labels", "retention") == 2);

    rig.resolve(bob);
    const auto erased = rig.erase(rig.customer_of(bob));
    REQUIRE(erased.ok());
    CHECK(erased.erased.labels == 1);
    CHECK(rig.labelled() == std::vector<std::int64_t>{all[1]});  // Dora's, open, stays
    CHECK(rig.erased("labels", "request") == 1);
}
