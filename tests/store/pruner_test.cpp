// Retention in the store: erasing resolved inquiries (rows, details, labels, event
// payloads), their replies kept as aggregates that read back as the same reply times, ids
// never reused, customers erased with their merges.
#include <catch2/catch.hpp>
#include <algorithm>
#include <utility>
#include <vector>

#include "ir/store/pruner.hpp"
#include "store_fixture.hpp"

using namespace ir;
using namespace ir::store;
using ir::store::test::TempDir;
namespace t = ir::store::test;

namespace {

const sla::TimePoint H = sla::from_unix_ms(1'800'000'000'000 - 1'800'000'000'000 % 3'600'000);  // an hour
constexpr std::int64_t kMinute = 60'000;

ReplyRow reply(std::int64_t inquiry, std::string agent, std::int64_t replied_min, std::int64_t took_ms) {
    const auto at = H + sla::Duration{replied_min * kMinute};
    return ReplyRow{inquiry, "acct", std::move(agent), at - sla::Duration{took_ms}, at};
}

// Two inquiries: 1 resolved (two events, details, three replies), 2 open (one of each).
void fill(Database& db) {
    Change c;
    c.events = {t::event("acct", "a1", 1), t::event("acct", "a2", 1), t::event("acct", "b1", 2)};
    c.inquiries = {InquiryRow{1, "acct", "resolved", H, "p1"}, InquiryRow{2, "acct", "open", H, "p2"}};
    c.details = {DetailRow{1, "as1", "Ann", "ann@x.com", "", "", "", "", ""},
                 DetailRow{2, "as2", "Bob", "bob@x.com", "", "", "", "", ""}};
    c.replies = {reply(1, "alice", 10, 90'000), reply(1, "alice", 70, 400'000), reply(1, "bob", 75, 30'000),
                 reply(2, "bob", 80, 5'000)};
    REQUIRE_FALSE(db.apply(c));
}

using Times = std::vector<std::pair<std::string, sla::Duration>>;

// What the ranking reads: (agent, reply time) per reply, sorted (the order is not kept).
Times reply_times(Database& db, sla::TimePoint since) {
    Times out;
    const auto rows = db.replies({since, std::nullopt}).value();
    for (const auto& r : rows) out.emplace_back(r.agent, r.replied_at - r.buyer_at);
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_CASE("erasing a resolved inquiry keeps its event keys and its reply times, nothing of the buyer") {
    TempDir dir;
    auto db = t::open_db(dir.file("store.db"));
    fill(*db);
    const auto before = reply_times(*db, H);
    auto pruner = Pruner::open(dir.file("store.db"));
    REQUIRE(pruner);

    auto old = (*pruner)->resolved_before(H + sla::Duration{1}, 100);
    REQUIRE(old);
    REQUIRE(old->size() == 1);
    CHECK(old->front().id == 1);
    CHECK((*pruner)->resolved_before(H, 100)->empty());  // strictly before the cutoff

    const std::int64_t ids[] = {1};
    auto erased = (*pruner)->erase_inquiries(ids);
    REQUIRE(erased);
    CHECK(*erased == Erased{1, 2, 1, 3});
    CHECK_FALSE(db->inquiry(1).value());
    CHECK_FALSE(db->detail(1).value());
    const auto events = db->events_since(0, 10).value();
    REQUIRE(events.size() == 3);
    for (const auto& e : events) {
        CHECK(e.message_id == (e.seq == 3 ? "b1" : e.seq == 1 ? "a1" : "a2"));  // dedupe still knows them
        CHECK(e.inquiry_id == (e.seq == 3 ? 2 : 1));
        CHECK(e.payload.empty() == (e.seq != 3));
        CHECK(e.thread_id.empty() == (e.seq != 3));
    }
    CHECK(db->inquiry(2).value()->payload == "p2");  // the open one untouched
    CHECK(db->detail(2).value()->name == "Bob");
    CHECK(reply_times(*db, H) == before);  // the same reply times, per agent
    // An aggregate counts from the start of its hour: since = the next hour leaves hour H out.
    CHECK(reply_times(*db, H + std::chrono::hours(1)) ==
          Times{{"alice", sla::Duration{400'000}}, {"bob", sla::Duration{5'000}}, {"bob", sla::Duration{30'000}}});
    CHECK(db->replies({H, std::string("other")}).value().empty());
    CHECK(db->meta(kNextInquiryIdKey).value() == "2");
    CHECK((*pruner)->resolved_before(H + std::chrono::hours(1), 100)->empty());
    CHECK(*(*pruner)->erase_inquiries(ids) == Erased{});  // again: nothing left to erase
}

TEST_CASE("erasing an inquiry deletes every label of it; the labels of others stay") {
    TempDir dir;
    auto db = t::open_db(dir.file("store.db"));
    fill(*db);
    Change labels;
    labels.labels = {LabelRow{1, true, 3, "alice", "agent", H, "decline"},
                     LabelRow{1, false, 2, "sue", "supervisor", H, "label"},
                     LabelRow{2, true, 4, "sue", "supervisor", H, "label"}};
    REQUIRE_FALSE(db->apply(labels));
    auto pruner = Pruner::open(dir.file("store.db")).value();
    const std::int64_t ids[] = {1};
    const auto erased = pruner->erase_inquiries(ids);
    REQUIRE(erased);
    CHECK(erased->labels == 2);
    CHECK(db->latest_labels(0, 10).value() == std::vector{labels.labels[2]});
}

TEST_CASE("aggregates of later erasures merge into the same hour, and the next id only grows") {
    TempDir dir;
    auto db = t::open_db(dir.file("store.db"));
    fill(*db);
    const auto before = reply_times(*db, H);
    auto pruner = Pruner::open(dir.file("store.db")).value();
    Change resolve;
    resolve.inquiries = {InquiryRow{2, "acct", "resolved", H, "p2"}};
    REQUIRE_FALSE(db->apply(resolve));
    const std::int64_t second[] = {2};
    const std::int64_t first[] = {1};
    REQUIRE(pruner->erase_inquiries(second));
    REQUIRE(pruner->erase_inquiries(first));
    CHECK(reply_times(*db, H) == before);
    CHECK(db->meta(kNextInquiryIdKey).value() == "3");  // 2 + 1, not lowered by erasing 1 later
    CHECK(db->inquiries({}).value().empty());
}

TEST_CASE("a change erases customers with every merge naming them") {
    TempDir dir;
    auto db = t::open_db(dir.file("store.db"));
    Change c;
    c.customers = {{1, "ann"}, {2, "ann-by-phone"}, {3, "bob"}};
    c.customer_aliases = {{2, 1}};
    REQUIRE_FALSE(db->apply(c));
    Change erase;
    erase.erased_customers = {1, 2};
    REQUIRE_FALSE(db->apply(erase));
    const auto left = db->customers().value();
    REQUIRE(left.size() == 1);
    CHECK(left.front().id == 3);
    CHECK(db->customer_aliases().value().empty());
}

TEST_CASE("the store's size and its free pages, which erasing makes") {
    TempDir dir;
    auto db = t::open_db(dir.file("store.db"));
    Change c;
    for (std::int64_t id = 1; id <= 400; ++id) {
        c.inquiries.push_back(InquiryRow{id, "acct", "resolved", H, std::string(2000, 'x')});
        c.events.push_back(t::event("acct", "m" + std::to_string(id), id));
        c.events.back().payload = std::string(1500, 'y');
    }
    REQUIRE_FALSE(db->apply(c));
    auto pruner = Pruner::open(dir.file("store.db")).value();
    const auto full = pruner->size().value();
    CHECK(full.bytes > 400 * 3500);
    std::vector<std::int64_t> ids;
    const auto old = pruner->resolved_before(H + sla::Duration{1}, 1000).value();
    for (const auto& row : old) ids.push_back(row.id);
    REQUIRE(ids.size() == 400);
    CHECK(pruner->erase_inquiries(ids)->events == 400);
    const auto after = pruner->size().value();
    CHECK(after.bytes == full.bytes);  // SQLite keeps the pages, as free pages
    CHECK(after.free_bytes > 400 * 1500);
}
