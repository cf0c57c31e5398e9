#include "schema.hpp"

#include <iterator>
#include <string_view>

#include "statement.hpp"

namespace ir::store {
namespace {

// STRICT tables: a wrongly typed bind is an error, not a silent conversion.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE events(
    seq INTEGER PRIMARY KEY,
    channel TEXT NOT NULL,
    account TEXT NOT NULL,
    message_id TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    received_at_ms INTEGER NOT NULL,
    direction TEXT NOT NULL,
    accepted_at_ms INTEGER NOT NULL,
    inquiry_id INTEGER,
    payload BLOB NOT NULL,
    UNIQUE(channel, account, message_id)
) STRICT;
CREATE TABLE inquiries(
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL,
    state TEXT NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    payload BLOB NOT NULL
) STRICT;
CREATE INDEX inquiries_by_state ON inquiries(state, account, id);
-- Restart loads the open inquiries; resolved ones pile up and must not be scanned.
CREATE INDEX inquiries_open ON inquiries(id) WHERE state <> 'resolved';
CREATE TABLE alerts(
    seq INTEGER PRIMARY KEY,
    topic TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    payload BLOB NOT NULL
) STRICT;
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT, WITHOUT ROWID;
)sql";

// v2: the buyer's details and the latest assessment move out of the snapshot payload
// (and out of the core's memory). Old payloads still carry them; readers overlay these.
// Routing: customer records (and merges), our replies for the response-time report.
constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE inquiry_details(
    id INTEGER PRIMARY KEY,
    assessment BLOB NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    company TEXT NOT NULL,
    phone TEXT NOT NULL,
    address TEXT NOT NULL,
    country TEXT NOT NULL,
    im TEXT NOT NULL
) STRICT;
CREATE TABLE customers(id INTEGER PRIMARY KEY, payload BLOB NOT NULL) STRICT;
CREATE TABLE customer_aliases(id INTEGER PRIMARY KEY, survivor INTEGER NOT NULL) STRICT;
CREATE TABLE replies(
    seq INTEGER PRIMARY KEY,
    inquiry_id INTEGER NOT NULL,
    account TEXT NOT NULL,
    agent TEXT NOT NULL,
    buyer_at_ms INTEGER NOT NULL,
    replied_at_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX replies_by_time ON replies(replied_at_ms);
)sql";

// v3: events lose UNIQUE(channel, account, message_id). Message ids are random, so that
// index cost every event a random page, written twice (WAL, then checkpoint); the
// daemon's in-memory dedupe index, filled from the journal at start, answers instead.
// SQLite cannot drop a table's constraint: the table is rebuilt (its documented recipe).
constexpr const char* kSchemaV3 = R"sql(
CREATE TABLE events_v3(
    seq INTEGER PRIMARY KEY,
    channel TEXT NOT NULL,
    account TEXT NOT NULL,
    message_id TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    received_at_ms INTEGER NOT NULL,
    direction TEXT NOT NULL,
    accepted_at_ms INTEGER NOT NULL,
    inquiry_id INTEGER,
    payload BLOB NOT NULL
) STRICT;
INSERT INTO events_v3(seq, channel, account, message_id, thread_id, received_at_ms, direction, accepted_at_ms,
                      inquiry_id, payload)
    SELECT seq, channel, account, message_id, thread_id, received_at_ms, direction, accepted_at_ms, inquiry_id, payload
    FROM events ORDER BY seq;
DROP TABLE events;
ALTER TABLE events_v3 RENAME TO events;
)sql";

// v4: who did what (reply, accept, transfer, decline, resolve) when access control names
// the caller: appended in the transaction of the change it records.
constexpr const char* kSchemaV4 = R"sql(
CREATE TABLE audit(
    seq INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    identity TEXT NOT NULL,
    action TEXT NOT NULL,
    inquiry_id INTEGER,
    detail TEXT NOT NULL
) STRICT;
)sql";

// v5: catch-up reads by topic (GET /v1/alerts?topic=...) seek instead of scanning every
// alert after `since`.
constexpr const char* kSchemaV5 = R"sql(
CREATE INDEX alerts_by_topic ON alerts(topic, seq);
)sql";

// v6: retention (store/src/pruner.cpp). The replies of erased inquiries live on as
// aggregates, one row per hour of the reply, account and agent holding the reply counts
// and durations the ranking reads, so the ranking of past months stays what it was. Indexes find an inquiry's events
// and replies, and the resolved inquiries by age.
constexpr const char* kSchemaV6 = R"sql(
CREATE TABLE reply_history(
    hour_ms INTEGER NOT NULL,
    account TEXT NOT NULL,
    agent TEXT NOT NULL,
    replies INTEGER NOT NULL,
    durations BLOB NOT NULL,
    PRIMARY KEY(hour_ms, account, agent)
) STRICT, WITHOUT ROWID;
CREATE INDEX events_by_inquiry ON events(inquiry_id) WHERE inquiry_id IS NOT NULL;
CREATE INDEX replies_by_inquiry ON replies(inquiry_id);
CREATE INDEX inquiries_resolved ON inquiries(updated_at_ms) WHERE state = 'resolved';
)sql";

// v7: the team's labels (LabelRow), which `inquiryctl labels export` turns into fixture
// lines. Kept apart from the audit: every label is kept, the latest per inquiry counts
// (by seq, the commit order: a clock step must not reorder them); erased with the inquiry.
constexpr const char* kSchemaV7 = R"sql(
CREATE TABLE labels(
    seq INTEGER PRIMARY KEY,
    inquiry_id INTEGER NOT NULL,
    suspect INTEGER NOT NULL CHECK(suspect IN (0, 1)),
    tier INTEGER NOT NULL CHECK(tier BETWEEN 1 AND 4),
    identity TEXT NOT NULL,
    role TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    source TEXT NOT NULL CHECK(source IN ('label', 'decline'))
) STRICT;
CREATE INDEX labels_by_inquiry ON labels(inquiry_id, seq);
)sql";

// migrations[i] takes the schema from version i to i + 1.
constexpr const char* kMigrations[] = {kSchemaV1, kSchemaV2, kSchemaV3, kSchemaV4, kSchemaV5, kSchemaV6, kSchemaV7};
static_assert(std::size(kMigrations) == kSchemaVersion);

Expected<std::int64_t> query_int(sqlite3* db, std::string_view sql, const std::string& where) {
    auto st = Statement::prepare(db, sql, where);
    if (!st) return st.error();
    const int rc = st->step();
    if (rc != SQLITE_ROW) return sqlite_error(db, rc, "cannot read database", where);
    return st->int64(0);
}

std::optional<Error> set_wal(sqlite3* db, const std::string& where) {
    auto st = Statement::prepare(db, "PRAGMA journal_mode=WAL", where);
    if (!st) return st.error();
    const int rc = st->step();
    if (rc != SQLITE_ROW) return sqlite_error(db, rc, "cannot open database", where);
    if (st->text(0) != "wal") {
        return Error{"cannot switch to WAL journal mode (got " + st->text(0) + ")", where};
    }
    return std::nullopt;
}

std::optional<Error> check_owner(sqlite3* db, std::int64_t version, const std::string& where) {
    if (version == 0) {
        auto tables = query_int(db, "SELECT count(*) FROM sqlite_schema", where);
        if (!tables) return tables.error();
        if (*tables == 0) return std::nullopt;
    } else {
        auto id = query_int(db, "PRAGMA application_id", where);
        if (!id) return id.error();
        if (*id == kApplicationId) return std::nullopt;
    }
    return Error{"not an Inquiry Router database (a SQLite file of another program?)", where};
}

std::optional<Error> check_version(std::int64_t version, bool read_only, const std::string& where) {
    const std::string ours = std::to_string(kSchemaVersion);
    if (version > kSchemaVersion) {
        return Error{
            "schema version " + std::to_string(version) + " is newer than this build understands (" + ours + ")",
            where};
    }
    if (read_only && version != kSchemaVersion) {
        return Error{"schema version " + std::to_string(version) + " but " + ours +
                         " expected: open it read-write first to migrate it",
                     where};
    }
    return std::nullopt;
}

// Inside BEGIN IMMEDIATE: another process may have migrated while we waited.
std::optional<Error> run_migrations(sqlite3* db, const std::string& where) {
    auto version = query_int(db, "PRAGMA user_version", where);
    if (!version) return version.error();
    if (auto e = check_version(*version, false, where)) return e;
    if (auto e = check_owner(db, *version, where)) return e;
    for (auto v = *version; v < kSchemaVersion; ++v) {
        const auto what = "cannot migrate schema to version " + std::to_string(v + 1);
        if (auto e = exec(db, kMigrations[v], what, where)) return e;
    }
    const std::string stamp = "PRAGMA user_version=" + std::to_string(kSchemaVersion) +
                              "; PRAGMA application_id=" + std::to_string(kApplicationId);
    return exec(db, stamp.c_str(), "cannot record schema version", where);
}

std::optional<Error> migrate(sqlite3* db, bool read_only, const std::string& where) {
    auto version = query_int(db, "PRAGMA user_version", where);
    if (!version) return version.error();
    if (auto e = check_version(*version, read_only, where)) return e;
    if (*version == kSchemaVersion) return check_owner(db, *version, where);
    if (auto e = exec(db, "BEGIN IMMEDIATE", "cannot migrate schema", where)) return e;
    auto error = run_migrations(db, where);
    if (!error) error = exec(db, "COMMIT", "cannot migrate schema", where);
    if (error && sqlite3_get_autocommit(db) == 0) {
        (void)exec(db, "ROLLBACK", "rollback", where);  // the first error is the one to report
    }
    return error;
}

}  // namespace

std::optional<Error> set_max_page_count(sqlite3* db, std::int64_t pages, const std::string& where) {
    const std::string sql = "PRAGMA max_page_count=" + std::to_string(pages);
    return exec(db, sql.c_str(), "cannot set max_page_count", where);
}

std::optional<Error> configure(sqlite3* db, const Options& options) {
    const std::string where = options.path.string();
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, static_cast<int>(options.busy_timeout.count()));
    // The first statement to read the header: a file that is no database fails here.
    auto version = query_int(db, "PRAGMA user_version", where);
    if (!version) return version.error();
    if (!options.read_only) {
        if (auto e = set_wal(db, where)) return e;
    }
    // FULL: in WAL mode NORMAL may lose the last commits on power loss, and we ack them.
    if (auto e = exec(db, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON", "cannot set pragmas", where)) {
        return e;
    }
    if (options.max_page_count) {
        if (auto e = set_max_page_count(db, *options.max_page_count, where)) return e;
    }
    if (!options.read_only) {
        const std::string limit = "PRAGMA journal_size_limit=" + std::to_string(options.wal_size_limit);
        if (auto e = exec(db, limit.c_str(), "cannot set pragmas", where)) return e;
    }
    if (!options.auto_checkpoint) {
        if (auto e = exec(db, "PRAGMA wal_autocheckpoint=0", "cannot set pragmas", where)) return e;
    }
    return migrate(db, options.read_only, where);
}

}  // namespace ir::store
