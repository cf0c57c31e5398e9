// The WAL is moved into the database file off the commit path, and nothing is lost.
#include <sqlite3.h>

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

// The checkpointer syncs the database file every few pages (pace_database_writes) rather
// than once per pass; a pass over thousands of pages must still leave every row in place.
TEST_CASE("a checkpoint of thousands of pages, synced as it goes, leaves the database whole") {
    TempDir dir;
    const auto path = dir.path() / "db.sqlite";
    constexpr int kEvents = 2000;
    const std::string filler(4000, 'x');  // about a page per event
    Options o;
    o.path = path;
    o.auto_checkpoint = false;
    auto db = Database::open(o);
    REQUIRE(db.has_value());
    for (int i = 0; i < kEvents; i += 100) {
        std::vector<Change> batch;
        for (int j = i; j < i + 100; ++j) {
            batch.push_back(ingest("acct", "m" + std::to_string(j), j + 1));
            batch.back().events[0].payload = filler + std::to_string(j);
        }
        REQUIRE_FALSE((*db)->apply(batch).has_value());
    }
    auto cp = Checkpointer::start(eager_checkpoints(path));
    REQUIRE(cp.has_value());
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (std::filesystem::file_size(path) < kEvents * 4096 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(10ms);
    REQUIRE(std::filesystem::file_size(path) >= kEvents * 4096);
    cp->reset();
    // The database file alone, copied while the writer still holds the WAL (closing it
    // would checkpoint too): what the checkpointer's passes wrote must be whole.
    const auto copy = dir.path() / "copy.sqlite";
    std::filesystem::copy_file(path, copy);
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open_v2(copy.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(raw, "PRAGMA integrity_check", -1, &st, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))) == "ok");
    sqlite3_finalize(st);
    sqlite3_close(raw);
    db->reset();
    auto reopened = open_db(copy);
    CHECK(reopened->event_count().value() == kEvents);
    const auto last = reopened->events_since(kEvents - 1, 10).value();
    REQUIRE(last.size() == 1);
    CHECK(last[0].payload == filler + std::to_string(kEvents - 1));
}
