// Online backup and restore: a copy taken while another connection commits holds every
// commit made before it began; bad copies and foreign files are refused; a restore keeps
// the store it replaces aside, with its WAL.
#include <sqlite3.h>
#include <sys/stat.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <thread>

#include "ir/store/backup.hpp"
#include "store_fixture.hpp"

using namespace ir::store;
using ir::store::test::TempDir;
namespace t = ir::store::test;

namespace {

// Commits one event (and its inquiry) per transaction until told to stop.
class Writer {
public:
    explicit Writer(const std::filesystem::path& path) : db_(t::open_db(path)) {
        thread_ = std::thread([this] {
            while (!stop_) {
                const auto n = committed_.load() + 1;
                if (db_->apply(t::ingest("acct", "m" + std::to_string(n), n))) return;
                committed_ = n;
            }
        });
    }
    ~Writer() { finish(); }
    void finish() {
        stop_ = true;
        if (thread_.joinable()) thread_.join();
    }
    std::int64_t committed() const { return committed_; }

private:
    std::unique_ptr<Database> db_;
    std::atomic<std::int64_t> committed_{0};
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

void wait_for_commits(const Writer& w, std::int64_t n) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (w.committed() < n && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    REQUIRE(w.committed() >= n);
}

}  // namespace

TEST_CASE("a backup taken while another connection commits holds every commit made before it began") {
    TempDir dir;
    const auto live = dir.file("live.db");
    t::open_db(live);  // the schema, before the writer and the copy
    Writer writer(live);
    wait_for_commits(writer, 200);
    const std::int64_t before = writer.committed();
    auto report = backup(live, dir.file("copy.db"));
    REQUIRE(report);
    const std::int64_t after = writer.committed();
    writer.finish();
    CHECK(report->copied.events >= before);
    CHECK(report->copied.events <= after);
    CHECK(report->copied.last_event_seq == report->copied.events);
    CHECK(report->copied.inquiries == report->copied.events);
    CHECK(report->copied.schema_version == kSchemaVersion);

    auto copy = Database::open(Options{.path = dir.file("copy.db"), .read_only = true});
    REQUIRE(copy);
    for (std::int64_t n = 1; n <= before; n += 37) CHECK((*copy)->event_key(n).value().has_value());
    CHECK_FALSE(std::filesystem::exists(dir.file("copy.db-wal")));  // one file
    CHECK_FALSE(std::filesystem::exists(dir.file(".copy.db.partial")));
    struct stat st {};
    REQUIRE(::stat(dir.file("copy.db").c_str(), &st) == 0);
    CHECK((st.st_mode & 0077) == 0);  // buyers' data: the owner's only
}

TEST_CASE("a backup refuses an existing destination, a missing store and a foreign file") {
    TempDir dir;
    t::open_db(dir.file("live.db"));
    std::ofstream(dir.file("taken.db")) << "keep me";
    auto taken = backup(dir.file("live.db"), dir.file("taken.db"));
    REQUIRE_FALSE(taken);
    CHECK(taken.error().message.find("already exists") != std::string::npos);
    CHECK_FALSE(backup(dir.file("none.db"), dir.file("x.db")));

    sqlite3* other = nullptr;  // somebody else's SQLite file
    sqlite3_open(dir.file("other.db").c_str(), &other);
    sqlite3_exec(other, "CREATE TABLE t(x)", nullptr, nullptr, nullptr);
    sqlite3_close(other);
    auto foreign = backup(dir.file("other.db"), dir.file("y.db"));
    REQUIRE_FALSE(foreign);
    CHECK(foreign.error().message.find("not an Inquiry Router database") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.file("y.db")));
}

TEST_CASE("verify_copy finds a damaged copy") {
    TempDir dir;
    {
        auto db = t::open_db(dir.file("live.db"));
        for (int n = 1; n <= 300; ++n) REQUIRE_FALSE(db->apply(t::ingest("acct", "m" + std::to_string(n), n)));
    }
    REQUIRE(backup(dir.file("live.db"), dir.file("copy.db")));
    REQUIRE(verify_copy(dir.file("copy.db")));
    {  // scribble over a page in the middle of the tables
        std::fstream f(dir.file("copy.db"), std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(4096 * 5 + 100);
        f << std::string(2000, '\x5a');
    }
    auto damaged = verify_copy(dir.file("copy.db"));
    CHECK_FALSE(damaged);
    CHECK_FALSE(restore(dir.file("copy.db"), dir.file("state/inquiryd.db"), dir.file("state/aside")));
    CHECK_FALSE(std::filesystem::exists(dir.file("state/inquiryd.db")));
}

TEST_CASE("restore puts the copy in place and keeps the store it replaces aside, with its WAL") {
    TempDir dir;
    const auto store = dir.file("state/inquiryd.db");
    {
        auto db = t::open_db(store);
        REQUIRE_FALSE(db->apply(t::ingest("acct", "m1", 1)));
    }
    REQUIRE(backup(store, dir.file("copy.db")));
    auto db = t::open_db(store);  // left open: its last commit is only in the WAL
    REQUIRE_FALSE(db->apply(t::ingest("acct", "m2", 2)));
    REQUIRE(std::filesystem::exists(store.string() + "-wal"));

    auto report = restore(dir.file("copy.db"), store, dir.file("state/aside.db"));
    REQUIRE(report);
    db.reset();
    CHECK(report->restored.events == 1);
    REQUIRE(report->kept_aside);
    CHECK(*report->kept_aside == dir.file("state/aside.db"));
    CHECK(t::open_db(store)->event_count().value() == 1);
    CHECK(t::open_db(dir.file("state/aside.db"))->event_count().value() == 2);  // its WAL came along

    auto again = restore(dir.file("copy.db"), store, dir.file("state/aside.db"));  // never overwrites
    REQUIRE_FALSE(again);
    CHECK(again.error().message == "already exists");
}
