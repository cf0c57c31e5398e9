// The team's labels: a store of the schema before them gains the table on open; labels are
// written with a change, all or nothing; the latest per inquiry is read back, with the
// inquiry's last buyer message still stored.
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "ir/store/database.hpp"
#include "store_fixture.hpp"

using namespace ir::store;
using ir::store::test::TempDir;
namespace t = ir::store::test;

namespace {

const ir::sla::TimePoint T = ir::sla::from_unix_ms(1'800'000'000'000);

// The schema as version 6 left it (every migration up to it applied), with one inquiry.
constexpr const char* kVersion6 =
    "PRAGMA journal_mode=WAL;"
    "CREATE TABLE events(seq INTEGER PRIMARY KEY, channel TEXT NOT NULL, account TEXT NOT NULL,"
    " message_id TEXT NOT NULL, thread_id TEXT NOT NULL, received_at_ms INTEGER NOT NULL,"
    " direction TEXT NOT NULL, accepted_at_ms INTEGER NOT NULL, inquiry_id INTEGER, payload BLOB NOT NULL) STRICT;"
    "CREATE TABLE inquiries(id INTEGER PRIMARY KEY, account TEXT NOT NULL, state TEXT NOT NULL,"
    " updated_at_ms INTEGER NOT NULL, payload BLOB NOT NULL) STRICT;"
    "CREATE INDEX inquiries_by_state ON inquiries(state, account, id);"
    "CREATE INDEX inquiries_open ON inquiries(id) WHERE state <> 'resolved';"
    "CREATE TABLE alerts(seq INTEGER PRIMARY KEY, topic TEXT NOT NULL, created_at_ms INTEGER NOT NULL,"
    " payload BLOB NOT NULL) STRICT;"
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT, WITHOUT ROWID;"
    "CREATE TABLE inquiry_details(id INTEGER PRIMARY KEY, assessment BLOB NOT NULL, name TEXT NOT NULL,"
    " email TEXT NOT NULL, company TEXT NOT NULL, phone TEXT NOT NULL, address TEXT NOT NULL,"
    " country TEXT NOT NULL, im TEXT NOT NULL) STRICT;"
    "CREATE TABLE customers(id INTEGER PRIMARY KEY, payload BLOB NOT NULL) STRICT;"
    "CREATE TABLE customer_aliases(id INTEGER PRIMARY KEY, survivor INTEGER NOT NULL) STRICT;"
    "CREATE TABLE replies(seq INTEGER PRIMARY KEY, inquiry_id INTEGER NOT NULL, account TEXT NOT NULL,"
    " agent TEXT NOT NULL, buyer_at_ms INTEGER NOT NULL, replied_at_ms INTEGER NOT NULL) STRICT;"
    "CREATE INDEX replies_by_time ON replies(replied_at_ms);"
    "CREATE TABLE audit(seq INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, identity TEXT NOT NULL,"
    " action TEXT NOT NULL, inquiry_id INTEGER, detail TEXT NOT NULL) STRICT;"
    "CREATE INDEX alerts_by_topic ON alerts(topic, seq);"
    "CREATE TABLE reply_history(hour_ms INTEGER NOT NULL, account TEXT NOT NULL, agent TEXT NOT NULL,"
    " replies INTEGER NOT NULL, durations BLOB NOT NULL, PRIMARY KEY(hour_ms, account, agent)) STRICT, WITHOUT ROWID;"
    "CREATE INDEX events_by_inquiry ON events(inquiry_id) WHERE inquiry_id IS NOT NULL;"
    "CREATE INDEX replies_by_inquiry ON replies(inquiry_id);"
    "CREATE INDEX inquiries_resolved ON inquiries(updated_at_ms) WHERE state = 'resolved';"
    "INSERT INTO inquiries VALUES(7, 'acc', 'resolved', 1700000000000, x'0102');"
    "INSERT INTO events VALUES(3, 'chat', 'acc', 'm1', 't1', 1700000000000, 'inbound', 1700000000001, 7, x'0304');"
    "PRAGMA user_version=6; PRAGMA application_id=1230132306;";

int count_labels(const std::filesystem::path& path) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT count(*) FROM labels", -1, &st, nullptr);
    const int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

LabelRow label(std::int64_t inquiry, bool suspect, int tier, std::string source = "label") {
    return LabelRow{inquiry, suspect, tier, "sue", "supervisor", T, std::move(source)};
}

}  // namespace

TEST_CASE("a version 6 store gains the labels table on open and keeps its rows") {
    TempDir dir;
    const auto path = dir.file("v6.db");
    {
        sqlite3* raw = nullptr;
        sqlite3_open(path.c_str(), &raw);
        REQUIRE(sqlite3_exec(raw, kVersion6, nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(raw);
    }
    {  // a reader never migrates: it asks for a read-write open first
        auto reader = Database::open(Options{.path = path, .read_only = true});
        REQUIRE_FALSE(reader);
        CHECK_THAT(reader.error().message, Catch::Contains("open it read-write first"));
    }
    auto db = t::open_db(path);
    CHECK(count_labels(path) == 0);
    REQUIRE(db->inquiry(7).value());
    Change c;
    c.labels = {label(7, true, 3, "decline")};
    REQUIRE_FALSE(db->apply(c));
    CHECK(db->latest_labels(0, 10).value() == c.labels);
    const auto event = db->last_inbound_event(7).value();
    REQUIRE(event);
    CHECK(event->seq == 3);
    CHECK(event->payload == std::string("\x03\x04"));
}

TEST_CASE("the latest label of each inquiry is read back, by inquiry id, a page at a time") {
    TempDir dir;
    auto db = t::open_db(dir.file("store.db"));
    std::vector<Change> batch(2);
    batch[0].labels = {label(5, true, 2, "decline"), label(2, false, 4)};
    batch[1].labels = {label(5, false, 1), label(9, true, 3)};  // 5: a supervisor overrides the decline
    REQUIRE_FALSE(db->apply(batch));
    CHECK(db->latest_labels(0, 10).value() == std::vector{label(2, false, 4), label(5, false, 1), label(9, true, 3)});
    CHECK(db->latest_labels(0, 2).value() == std::vector{label(2, false, 4), label(5, false, 1)});
    CHECK(db->latest_labels(5, 2).value() == std::vector{label(9, true, 3)});
    CHECK(count_labels(dir.file("store.db")) == 4);  // every label is kept
}

TEST_CASE("a label outside the rules (tier 0, tier 5, an unknown source) fails its whole change") {
    TempDir dir;
    auto db = t::open_db(dir.file("store.db"));
    for (const auto& bad : {label(1, true, 0), label(1, true, 5), label(1, true, 2, "guess")}) {
        INFO(bad.tier << " " << bad.source);
        Change c = t::ingest("acc", "m" + std::to_string(bad.tier) + bad.source, 1);
        c.labels = {bad};
        const auto error = db->apply(c);
        REQUIRE(error);
        CHECK_THAT(error->message, Catch::Contains("cannot store the label of inquiry 1"));
    }
    CHECK(db->event_count().value() == 0);
    CHECK(db->latest_labels(0, 10).value().empty());
}

TEST_CASE("the last inbound event with a payload is the one a label judged") {
    TempDir dir;
    auto db = t::open_db(dir.file("store.db"));
    Change c;
    c.events = {t::event("acc", "first", 4), t::event("acc", "second", 4), t::event("acc", "ours", 4),
                t::event("acc", "other", 8), t::event("acc", "erased", 8)};
    c.events[2].direction = "outbound";  // our reply is not what the label judged
    c.events[4].payload.clear();         // emptied by retention
    REQUIRE_FALSE(db->apply(c));
    CHECK(db->last_inbound_event(4).value()->message_id == "second");
    CHECK(db->last_inbound_event(8).value()->message_id == "other");
    CHECK_FALSE(db->last_inbound_event(99).value());
}
