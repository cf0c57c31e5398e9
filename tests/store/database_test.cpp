// Database: schema, batched writes all-or-nothing, and every read.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "ir/store/database.hpp"
#include "store_fixture.hpp"

using namespace ir::store;
using ir::store::test::TempDir;
namespace t = ir::store::test;

namespace {

// Asks SQLite itself, on a separate connection, what the file says.
std::string pragma(const std::filesystem::path& path, const std::string& name) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, ("PRAGMA " + name).c_str(), -1, &st, nullptr);
    std::string value;
    if (sqlite3_step(st) == SQLITE_ROW) value = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return value;
}

std::int64_t count(Database& db) {
    return db.event_count().value();
}

}  // namespace

TEST_CASE("open creates the folder and the schema, and reopens") {
    TempDir dir;
    const auto path = dir.file("state/deep/store.db");
    {
        auto db = t::open_db(path);
        CHECK(db->path() == path);
        CHECK(count(*db) == 0);
        CHECK(db->max_alert_seq().value() == 0);
        CHECK(db->max_inquiry_id().value() == 0);
        CHECK(db->meta("missing").value() == std::nullopt);
        REQUIRE_FALSE(db->apply(t::ingest("acc", "m1", 7)));
    }
    CHECK(pragma(path, "user_version") == std::to_string(kSchemaVersion));
    CHECK(pragma(path, "journal_mode") == "wal");
    auto again = t::open_db(path);
    CHECK(count(*again) == 1);
    CHECK(again->max_inquiry_id().value() == 7);
}

TEST_CASE("every row type is written and read back as it was") {
    TempDir dir;
    auto db = t::open_db(dir.file("store.db"));
    Change c;
    c.events = {t::event("acc", "m1", 1), t::event("acc", "m2")};
    c.events[1].payload.clear();  // empty payloads stay empty, not NULL
    c.inquiries = {t::inquiry(1, "acc", "new")};
    c.alerts = {t::alert(1, "agent/alice/"), t::alert(2, "inquiry/1/")};
    c.meta = {{"core.version", "1"}, {"cursor", "abc"}};
    REQUIRE_FALSE(db->apply(c));

    auto events = db->events_since(0, 10).value();
    REQUIRE(events.size() == 2);
    auto expected = c.events;
    expected[0].seq = 1;
    expected[1].seq = 2;
    CHECK(events == expected);
    CHECK(db->inquiry(1).value() == c.inquiries[0]);
    CHECK(db->inquiry(2).value() == std::nullopt);
    CHECK(db->alerts_since(0, "", 10).value() == c.alerts);
    CHECK(db->meta("cursor").value() == "abc");

    SECTION("inquiries and meta are upserted, events are appended") {
        Change next;
        next.inquiries = {t::inquiry(1, "acc", "assigned")};
        next.meta = {{"cursor", "def"}};
        REQUIRE_FALSE(db->apply(next));
        CHECK(db->inquiry(1).value()->state == "assigned");
        CHECK(db->meta("cursor").value() == "def");
        CHECK(db->meta("core.version").value() == "1");
        CHECK(count(*db) == 2);
    }
}

TEST_CASE("an inquiry's details: the assessment is replaced, the buyer's fields merge") {
    TempDir dir;
    auto db = t::open_db(dir.file("store.db"));
    Change first;
    first.inquiries = {t::inquiry(1, "acc", "open"), t::inquiry(2, "acc", "open")};
    first.details = {DetailRow{1, "assess-1", "Anna", "anna@x.de", "", "+49 30 1", "", "DE", ""}};
    REQUIRE_FALSE(db->apply(first));

    Change second;  // a later message: a new assessment, some fields given, others not
    second.details = {DetailRow{1, "assess-2", "", "", "X GmbH", "+49 30 2", "", "", "whatsapp:+491"}};
    REQUIRE_FALSE(db->apply(second));

    auto row = db->inquiry(1).value();
    REQUIRE(row);
    REQUIRE(row->detail);
    CHECK(*row->detail ==
          DetailRow{1, "assess-2", "Anna", "anna@x.de", "X GmbH", "+49 30 2", "", "DE", "whatsapp:+491"});
    CHECK_FALSE(db->inquiry(2).value()->detail);  // none yet: readers use the snapshot alone
    CHECK(db->detail(1).value() == row->detail);  // alone, for answers built from a committed step
    CHECK_FALSE(db->detail(2).value());

    auto listed = db->inquiries(InquiryFilter{.state = "open", .account = "acc"}).value();
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].detail == row->detail);
    CHECK_FALSE(db->open_inquiries().value()[0].detail);  // recovery needs only the snapshot
}

TEST_CASE("routing's rows: customers and their merges are upserted, replies appended and filtered") {
    TempDir dir;
    auto db = t::open_db(dir.file("store.db"));
    Change c;
    c.customers = {CustomerRow{1, "c1"}, CustomerRow{2, "c2"}};
    c.customer_aliases = {CustomerAliasRow{3, 1}};
    c.meta = {{"presence/anna", "away"}, {"presence/bo", "offline"}, {"other", "x"}};
    c.replies = {ReplyRow{1, "acc-a", "anna", ir::sla::from_unix_ms(1000), ir::sla::from_unix_ms(61'000)},
                 ReplyRow{2, "acc-b", "bo", ir::sla::from_unix_ms(5000), ir::sla::from_unix_ms(400'000)}};
    REQUIRE_FALSE(db->apply(c));
    Change next;
    next.customers = {CustomerRow{1, "c1-merged"}};
    next.customer_aliases = {CustomerAliasRow{3, 2}};
    REQUIRE_FALSE(db->apply(next));

    CHECK(db->customers().value() == std::vector{CustomerRow{1, "c1-merged"}, CustomerRow{2, "c2"}});
    CHECK(db->customer_aliases().value() == std::vector{CustomerAliasRow{3, 2}});
    CHECK(db->meta_with_prefix("presence/").value() ==
          std::vector<std::pair<std::string, std::string>>{{"presence/anna", "away"}, {"presence/bo", "offline"}});
    CHECK(db->replies({}).value() == c.replies);
    CHECK(db->replies(ReplyFilter{.since = ir::sla::from_unix_ms(100'000), .account = std::nullopt}).value() ==
          std::vector{c.replies[1]});
    CHECK(db->replies(ReplyFilter{.since = {}, .account = "acc-a"}).value() == std::vector{c.replies[0]});
}

TEST_CASE("a version 1 store is migrated in place and keeps its rows") {
    TempDir dir;
    const auto path = dir.file("v1.db");
    {
        sqlite3* raw = nullptr;
        sqlite3_open(path.c_str(), &raw);
        const char* v1 =
            "PRAGMA journal_mode=WAL;"
            "CREATE TABLE events(seq INTEGER PRIMARY KEY, channel TEXT NOT NULL, account TEXT NOT NULL,"
            " message_id TEXT NOT NULL, thread_id TEXT NOT NULL, received_at_ms INTEGER NOT NULL,"
            " direction TEXT NOT NULL, accepted_at_ms INTEGER NOT NULL, inquiry_id INTEGER, payload BLOB NOT NULL,"
            " UNIQUE(channel, account, message_id)) STRICT;"
            "CREATE TABLE inquiries(id INTEGER PRIMARY KEY, account TEXT NOT NULL, state TEXT NOT NULL,"
            " updated_at_ms INTEGER NOT NULL, payload BLOB NOT NULL) STRICT;"
            "CREATE INDEX inquiries_by_state ON inquiries(state, account, id);"
            "CREATE INDEX inquiries_open ON inquiries(id) WHERE state <> 'resolved';"
            "CREATE TABLE alerts(seq INTEGER PRIMARY KEY, topic TEXT NOT NULL, created_at_ms INTEGER NOT NULL,"
            " payload BLOB NOT NULL) STRICT;"
            "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT, WITHOUT ROWID;"
            "INSERT INTO inquiries VALUES(7, 'acc', 'open', 1700000000000, x'0102');"
            "INSERT INTO events VALUES(3, 'chat', 'acc', 'm1', 't1', 1700000000000, 'inbound', 1700000000001, 7,"
            " x'0304');"
            "PRAGMA user_version=1; PRAGMA application_id=1230132306;";
        REQUIRE(sqlite3_exec(raw, v1, nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(raw);
    }
    auto db = t::open_db(path);
    CHECK(pragma(path, "user_version") == std::to_string(kSchemaVersion));
    auto row = db->inquiry(7).value();
    REQUIRE(row);
    CHECK(row->payload == std::string("\x01\x02"));
    CHECK_FALSE(row->detail);
    Change c;
    c.details = {DetailRow{7, "a", "n", "", "", "", "", "", ""}};
    CHECK_FALSE(db->apply(c));
    // v3: the events table was rebuilt without its index on the key, and kept its rows.
    const auto events = db->events_since(0, 10).value();
    REQUIRE(events.size() == 1);
    CHECK(events[0].seq == 3);
    CHECK(events[0].payload == std::string("\x03\x04"));
    CHECK(db->event_key(3).value() == EventKey{3, "chat", "acc", "m1", 7});
    // No index on the key; v6 adds only events_by_inquiry (retention finds an inquiry's events).
    CHECK(pragma(path, "index_info(sqlite_autoindex_events_1)").empty());
    CHECK(pragma(path, "index_info(events_by_inquiry)") == "0");
    CHECK(db->max_event_seq().value() == 3);
}

TEST_CASE("an event seq already journaled makes the whole batch fail and leaves nothing") {
    TempDir dir;
    auto db = t::open_db(dir.file("store.db"));
    REQUIRE_FALSE(db->apply(t::ingest("acc", "old", 1)));  // seq 1, taken by the store

    Change first = t::ingest("acc", "m1", 2);
    first.events[0].seq = 5;
    first.alerts = {t::alert(1, "inquiry/2/")};
    first.meta = {{"k", "v"}};
    Change repeat = t::ingest("acc", "m2", 3);
    SECTION("twice in one batch") {
        repeat.events[0].seq = 5;
        const auto error = db->apply(std::vector<Change>{first, repeat});
        REQUIRE(error);
        CHECK_THAT(error->message, Catch::Contains("cannot insert event 5 chat/acc/m2"));
        CHECK(error->field == dir.file("store.db").string());
    }
    SECTION("already journaled by an earlier batch") {
        repeat.events[0].seq = 1;
        REQUIRE(db->apply(std::vector<Change>{first, repeat}));
    }
    CHECK(count(*db) == 1);
    CHECK(db->inquiry(2).value() == std::nullopt);
    CHECK(db->max_alert_seq().value() == 0);
    CHECK(db->meta("k").value() == std::nullopt);
    // The connection is usable again straight away.
    REQUIRE_FALSE(db->apply(first));
    CHECK(count(*db) == 2);
    CHECK(db->max_event_seq().value() == 5);
}

TEST_CASE("the store takes the next seq when an event brings none, and keeps the one it brings") {
    TempDir dir;
    auto db = t::open_db(dir.file("store.db"));
    CHECK(db->max_event_seq().value() == 0);
    Change c;
    c.events = {t::event("acc", "a"), t::event("acc", "b")};
    c.events[1].seq = 10;
    c.events.push_back(t::event("acc", "c"));
    REQUIRE_FALSE(db->apply(c));
    CHECK(db->max_event_seq().value() == 11);
    std::vector<std::pair<std::int64_t, std::string>> seen;
    REQUIRE_FALSE(db->scan_event_keys([&](std::int64_t seq, std::string_view, std::string_view, std::string_view m) {
        seen.emplace_back(seq, std::string(m));
    }));
    CHECK(seen == std::vector<std::pair<std::int64_t, std::string>>{{1, "a"}, {10, "b"}, {11, "c"}});
}

TEST_CASE("alert seqs must follow the last one without a gap") {
    TempDir dir;
    auto db = t::open_db(dir.file("store.db"));
    Change c;
    c.alerts = {t::alert(2, "a/")};
    auto error = db->apply(c);
    REQUIRE(error);
    CHECK_THAT(error->message, Catch::Contains("alert seq 2") && Catch::Contains("next is 1"));

    c.alerts = {t::alert(1, "a/"), t::alert(2, "a/")};
    REQUIRE_FALSE(db->apply(c));
    for (std::int64_t bad : {5, 3, 0}) {
        INFO(bad);
        Change gap = t::ingest("acc", "m" + std::to_string(bad), 1);
        gap.alerts = {t::alert(3, "a/"), t::alert(bad, "a/")};
        CHECK(db->apply(gap));
    }
    CHECK(db->max_alert_seq().value() == 2);
    CHECK(count(*db) == 0);
    // Across the changes of one batch the count goes on.
    std::vector<Change> batch(2);
    batch[0].alerts = {t::alert(3, "a/")};
    batch[1].alerts = {t::alert(4, "a/")};
    REQUIRE_FALSE(db->apply(batch));
    CHECK(db->max_alert_seq().value() == 4);
}

TEST_CASE("event_key reads a journaled event's key and inquiry by its seq") {
    TempDir dir;
    auto db = t::open_db(dir.file("store.db"));
    Change c = t::ingest("acc", "m1", 42);
    c.events.push_back(t::event("acc", "m2"));
    REQUIRE_FALSE(db->apply(c));
    CHECK(db->event_key(1).value() == EventKey{1, "chat", "acc", "m1", 42});
    CHECK(db->event_key(2).value() == EventKey{2, "chat", "acc", "m2", std::nullopt});
    CHECK(db->event_key(3).value() == std::nullopt);
}

TEST_CASE("inquiries are filtered by state and account, ordered by id, paged") {
    TempDir dir;
    auto db = t::open_db(dir.file("store.db"));
    Change c;
    c.inquiries = {t::inquiry(9, "b", "new"), t::inquiry(3, "a", "new"), t::inquiry(5, "a", "resolved"),
                   t::inquiry(1, "b", "assigned"), t::inquiry(7, "a", "new")};
    REQUIRE_FALSE(db->apply(c));
    const auto ids = [&](const InquiryFilter& f) {
        std::vector<std::int64_t> out;
        const auto rows = db->inquiries(f).value();  // a local: value() of a temporary dangles
        for (const auto& row : rows) out.push_back(row.id);
        return out;
    };
    using V = std::vector<std::int64_t>;
    CHECK(ids({}) == V{1, 3, 5, 7, 9});
    CHECK(ids({.state = "new"}) == V{3, 7, 9});
    CHECK(ids({.account = "a"}) == V{3, 5, 7});
    CHECK(ids({.state = "new", .account = "a"}) == V{3, 7});
    CHECK(ids({.state = "gone"}).empty());
    CHECK(ids({.limit = 2}) == V{1, 3});
    CHECK(ids({.after_id = 3, .limit = 2}) == V{5, 7});
    CHECK(ids({.state = "new", .after_id = 3}) == V{7, 9});
    CHECK(db->max_inquiry_id().value() == 9);
}

TEST_CASE("open_inquiries leaves out the resolved ones") {
    TempDir dir;
    auto db = t::open_db(dir.file("store.db"));
    Change c;
    c.inquiries = {t::inquiry(2, "a", "new"), t::inquiry(1, "a", "resolved"), t::inquiry(3, "b", "assigned")};
    REQUIRE_FALSE(db->apply(c));
    auto open = db->open_inquiries().value();
    REQUIRE(open.size() == 2);
    CHECK(open[0] == c.inquiries[0]);
    CHECK(open[1].id == 3);

    Change resolve;
    resolve.inquiries = {t::inquiry(2, "a", "resolved")};
    REQUIRE_FALSE(db->apply(resolve));
    open = db->open_inquiries().value();
    REQUIRE(open.size() == 1);
    CHECK(open[0].id == 3);
}

// The WAL's writes are gathered (batched_wal_vfs): a transaction far larger than the
// buffer and than SQLite's page cache (which then spills frames to the WAL and reads them
// back before the commit) must still land whole, and be there after a reopen.
TEST_CASE("a transaction larger than the WAL write buffer and the page cache lands whole") {
    TempDir dir;
    const auto path = dir.file("store.db");
    constexpr int kEvents = 3000;
    const std::string filler(3000, 'x');
    {
        auto db = t::open_db(path);
        std::vector<Change> batch(kEvents);
        for (int i = 0; i < kEvents; ++i) {
            batch[i].events.push_back(t::event("a", "m" + std::to_string(i)));
            batch[i].events.back().payload = filler + std::to_string(i);
            batch[i].inquiries.push_back(t::inquiry(i + 1, "a", "new"));
        }
        REQUIRE_FALSE(db->apply(batch));
        CHECK(db->event_count().value() == kEvents);
    }
    auto db = t::open_db(path);
    CHECK(db->event_count().value() == kEvents);
    const auto last = db->events_since(kEvents - 1, 10).value();
    REQUIRE(last.size() == 1);
    CHECK(last[0].payload == filler + std::to_string(kEvents - 1));
    CHECK(db->inquiry(kEvents).value().has_value());
}

TEST_CASE("an update that keeps state and account rewrites the row and stays in the state indexes") {
    TempDir dir;
    auto db = t::open_db(dir.file("store.db"));
    Change c;
    c.inquiries = {t::inquiry(4, "a", "assigned")};
    REQUIRE_FALSE(db->apply(c));
    Change same = c;
    same.inquiries[0].payload = "second message";
    same.inquiries[0].updated_at += std::chrono::seconds(5);
    REQUIRE_FALSE(db->apply(same));
    CHECK(db->inquiry(4).value() == same.inquiries[0]);
    auto open = db->open_inquiries().value();
    REQUIRE(open.size() == 1);
    CHECK(open[0] == same.inquiries[0]);
    CHECK(db->inquiries(InquiryFilter{.state = "assigned", .account = "a"}).value().size() == 1);
    Change moved = same;
    moved.inquiries[0].account = "b";  // a merge of stores, say: the full upsert path
    REQUIRE_FALSE(db->apply(moved));
    CHECK(db->inquiries(InquiryFilter{.state = "assigned", .account = "a"}).value().empty());
    CHECK(db->inquiries(InquiryFilter{.state = "assigned", .account = "b"}).value().size() == 1);
}

TEST_CASE("alerts_since filters by seq and topic prefix, in seq order") {
    TempDir dir;
    auto db = t::open_db(dir.file("store.db"));
    Change c;
    const char* topics[] = {"agent/alice/", "agent/alicia/", "inquiry/1/",
                            "agent/alice/", "agent/zoë/",    "agent/alice/"};
    std::int64_t seq = 0;
    for (const char* topic : topics) c.alerts.push_back(t::alert(++seq, topic));
    REQUIRE_FALSE(db->apply(c));
    const auto seqs = [&](std::int64_t after, std::string_view prefix, std::size_t limit) {
        std::vector<std::int64_t> out;
        const auto rows = db->alerts_since(after, prefix, limit).value();
        for (const auto& row : rows) out.push_back(row.seq);
        return out;
    };
    using V = std::vector<std::int64_t>;
    CHECK(seqs(0, "agent/alice/", 100) == V{1, 4, 6});
    CHECK(seqs(1, "agent/alice/", 100) == V{4, 6});
    CHECK(seqs(0, "agent/alice/", 2) == V{1, 4});
    CHECK(seqs(0, "agent/", 100) == V{1, 2, 4, 5, 6});
    CHECK(seqs(0, "agent/zo", 100) == V{5});
    CHECK(seqs(0, "", 100) == V{1, 2, 3, 4, 5, 6});
    CHECK(seqs(6, "", 100).empty());
    CHECK(db->alerts_since(3, "inquiry/", 10).value().empty());
    CHECK(db->alerts_since(0, "inquiry/", 10).value() == std::vector<AlertRow>{c.alerts[2]});
}

TEST_CASE("alerts_since answers alike whether the topic is dense or sparse after since") {
    TempDir dir;
    auto db = t::open_db(dir.file("store.db"));
    // 45,000 alerts: queue/a/ on most, agent/x/ on every 1000th, queue/b/ from 40,000 on:
    // dense and sparse topics on both sides of the plan's threshold (20,000 after since).
    std::vector<std::string> topics;
    for (int i = 1; i <= 45'000; ++i)
        topics.push_back(i % 1000 == 0 ? "agent/x/" : i > 40'000 && i % 2 ? "queue/b/" : "queue/a/");
    for (std::size_t from = 0; from < topics.size(); from += 5000) {
        Change c;
        for (std::size_t i = from; i < from + 5000; ++i)
            c.alerts.push_back(t::alert(static_cast<std::int64_t>(i + 1), topics[i]));
        REQUIRE_FALSE(db->apply(c));
    }
    const auto expected = [&](std::int64_t after, std::string_view prefix, std::size_t limit) {
        std::vector<std::int64_t> out;
        for (std::size_t i = static_cast<std::size_t>(after); i < topics.size() && out.size() < limit; ++i)
            if (std::string_view(topics[i]).starts_with(prefix)) out.push_back(static_cast<std::int64_t>(i + 1));
        return out;
    };
    const auto seqs = [&](std::int64_t after, std::string_view prefix, std::size_t limit) {
        std::vector<std::int64_t> out;
        const auto rows = db->alerts_since(after, prefix, limit).value();
        for (const auto& row : rows) out.push_back(row.seq);
        return out;
    };
    for (const char* prefix : {"agent/x/", "agent/", "queue/a/", "queue/b/", "queue/", "", "nomatch/"})
        for (std::int64_t after : {0, 20'000, 39'999, 44'990, 45'000})
            for (std::size_t limit : {1, 1000}) CHECK(seqs(after, prefix, limit) == expected(after, prefix, limit));
}

TEST_CASE("a read-only connection sees each commit while the writer goes on") {
    TempDir dir;
    const auto path = dir.file("store.db");
    auto writer = t::open_db(path);
    auto reader = Database::open(Options{.path = path, .read_only = true});
    REQUIRE(reader);
    auto& r = **reader;
    CHECK(r.event_count().value() == 0);
    REQUIRE_FALSE(writer->apply(t::ingest("acc", "m1", 1)));
    CHECK(r.event_count().value() == 1);
    CHECK(r.event_key(1).value() == EventKey{1, "chat", "acc", "m1", 1});
    // A reader cannot write.
    CHECK(r.apply(t::ingest("acc", "m2", 2)));
    CHECK(writer->event_count().value() == 1);

    // Nor does it need a writer to be running (a clean close removes the -wal file).
    writer.reset();
    reader->reset();
    auto alone = Database::open(Options{.path = path, .read_only = true});
    REQUIRE(alone);
    CHECK((*alone)->event_count().value() == 1);
}

TEST_CASE("files that cannot be used give an error that names them") {
    TempDir dir;
    const auto check = [](const std::filesystem::path& path, const std::string& words, bool read_only = false) {
        auto db = Database::open(Options{.path = path, .read_only = read_only});
        REQUIRE_FALSE(db);
        CHECK_THAT(db.error().message, Catch::Contains(words));
        CHECK(db.error().field == path.string());
    };
    SECTION("garbage") {
        std::ofstream(dir.file("junk.db")) << std::string(8192, 'x') << "not sqlite at all";
        check(dir.file("junk.db"), "not a database");
    }
    SECTION("a folder") {
        check(dir.path(), "cannot open database");
    }
    SECTION("a parent that is a file") {
        std::ofstream(dir.file("plain")) << "x";
        check(dir.file("plain/store.db"), "cannot create folder");
    }
    SECTION("a missing file, read-only") {
        check(dir.file("none.db"), "cannot open", true);
    }
    SECTION("a newer schema") {
        t::open_db(dir.file("new.db"));
        sqlite3* raw = nullptr;
        sqlite3_open(dir.file("new.db").c_str(), &raw);
        sqlite3_exec(raw, "PRAGMA user_version=99", nullptr, nullptr, nullptr);
        sqlite3_close(raw);
        check(dir.file("new.db"), "schema version 99 is newer");
    }
    SECTION("another program's database") {
        sqlite3* raw = nullptr;
        sqlite3_open(dir.file("other.db").c_str(), &raw);
        sqlite3_exec(raw, "CREATE TABLE t(x)", nullptr, nullptr, nullptr);
        sqlite3_close(raw);
        check(dir.file("other.db"), "not an Inquiry Router database");
    }
}
