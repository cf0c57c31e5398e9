// The notifier on a real SQLite store, delivering through a real command (the exec kind).
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <thread>

#include "../store/store_fixture.hpp"
#include "ir/notify/cursor_file.hpp"
#include "ir/notify/notifier.hpp"
#include "notify_fixture.hpp"

using namespace ir::notify;
using namespace std::chrono_literals;
using ir::store::test::TempDir;

namespace {

void store_alerts(ir::store::Database& db, std::uint64_t first, std::uint64_t last, const std::string& agent) {
    ir::store::Change c;
    for (auto seq = first; seq <= last; ++seq) {
        auto item = test::breach(seq, agent);
        const auto wall =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch());
        *item.alert.mutable_fired_at() = test::at_ms(wall.count() - 5000);  // lag is measured on the real clock
        c.alerts.push_back(
            {static_cast<std::int64_t>(seq), item.alert.topic(), test::now(), item.alert.SerializeAsString()});
    }
    REQUIRE_FALSE(db.apply(c));
}

std::string read(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> lines_with(const std::string& text, const std::string& needle) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (line.find(needle) != std::string::npos) out.push_back(line);
    return out;
}

NotifierOptions options(const TempDir& dir, const std::string& out_file) {
    NotifierOptions o;
    o.database = dir.file("inquiryd.db");
    o.state_dir = dir.path();
    o.context = test::context();
    o.poll_interval = 50ms;
    Destination d;
    d.spec.name = "cmd";
    d.spec.kind = Kind::exec;
    d.spec.command = {"/bin/sh", "-c", "cat >> '" + out_file + "'"};
    d.spec.filter.topics = {"agent/lena/"};
    o.destinations.push_back(std::move(d));
    return o;
}

bool wait_for(const std::function<bool()>& done) {
    for (int i = 0; i < 500; ++i) {
        if (done()) return true;
        std::this_thread::sleep_for(10ms);
    }
    return done();
}

}  // namespace

TEST_CASE("a new destination starts after the stored alerts, then delivers in order and resumes after a restart") {
    TempDir dir;
    auto db = ir::store::Database::open({dir.file("inquiryd.db")});
    REQUIRE(db);
    store_alerts(**db, 1, 2, "lena");  // before the destination existed: not sent
    const auto out = dir.file("out.jsonl").string();
    {
        auto n = Notifier::start(options(dir, out));
        REQUIRE(n);
        store_alerts(**db, 3, 5, "lena");
        store_alerts(**db, 6, 6, "omar");  // not for this destination's filter
        (*n)->wake(6);
        REQUIRE(wait_for([&] { return (*n)->status()[0].sent == 3; }));
        REQUIRE(wait_for([&] { return (*n)->status()[0].delivered_seq == 6; }));
        const auto s = (*n)->status()[0];
        CHECK(s.failed == 0);
        CHECK_FALSE(s.failing);
        CHECK(s.lag_seconds == 0);
    }
    auto seqs = lines_with(read(out), "\"delivery_id\"");
    REQUIRE(seqs.size() == 3);
    CHECK(seqs[0].find("\"delivery_id\":\"cmd:3\"") != std::string::npos);
    CHECK(seqs[2].find("\"delivery_id\":\"cmd:5\"") != std::string::npos);
    CHECK(*CursorFile(dir.path() / "notify" / "cmd.seq").load() == std::optional<std::int64_t>(6));

    store_alerts(**db, 7, 8, "lena");  // while it is down
    auto n = Notifier::start(options(dir, out));
    REQUIRE(n);
    REQUIRE(wait_for([&] { return (*n)->status()[0].sent == 2; }));  // found by the poll, no wake
    seqs = lines_with(read(out), "\"delivery_id\"");
    REQUIRE(seqs.size() == 5);
    CHECK(seqs[3].find("\"delivery_id\":\"cmd:7\"") != std::string::npos);
}

TEST_CASE("over the rate limit, what waits goes as one digest") {
    TempDir dir;
    auto db = ir::store::Database::open({dir.file("inquiryd.db")});
    REQUIRE(db);
    const auto out = dir.file("out.jsonl").string();
    auto o = options(dir, out);
    o.destinations[0].spec.rate_limits = {{1, 60s}};
    auto n = Notifier::start(std::move(o));
    REQUIRE(n);
    store_alerts(**db, 1, 1, "lena");
    (*n)->wake(1);
    REQUIRE(wait_for([&] { return (*n)->status()[0].sent == 1; }));
    store_alerts(**db, 2, 4, "lena");
    (*n)->wake(4);
    REQUIRE(wait_for([&] { return (*n)->status()[0].pending == 3; }));
    const auto s = (*n)->status()[0];
    CHECK(s.sent == 1);  // the window is full for a minute
    CHECK(s.lag_seconds > 0);
}

TEST_CASE("a digest holds no more alerts than its seqs header has room for; the rest wait for the next") {
    TempDir dir;
    auto db = ir::store::Database::open({dir.file("inquiryd.db")});
    REQUIRE(db);
    const auto out = dir.file("out.jsonl").string();
    auto o = options(dir, out);
    o.destinations[0].spec.rate_limits = {{2, 60s}};
    auto n = Notifier::start(std::move(o));
    REQUIRE(n);
    store_alerts(**db, 1, 1, "lena");
    (*n)->wake(1);
    REQUIRE(wait_for([&] { return (*n)->status()[0].sent == 1; }));
    ir::store::Change c;  // 1,500 alerts for lena, none consecutive: no run to collapse
    for (std::uint64_t seq = 2; seq <= 3001; ++seq) {
        const auto item = test::breach(seq, seq % 2 == 0 ? "lena" : "omar");
        c.alerts.push_back(
            {static_cast<std::int64_t>(seq), item.alert.topic(), test::now(), item.alert.SerializeAsString()});
    }
    REQUIRE_FALSE((*db)->apply(c));
    (*n)->wake(3001);
    REQUIRE(wait_for([&] { return (*n)->status()[0].messages == 2; }));
    REQUIRE(wait_for([&] { return (*n)->status()[0].sent + (*n)->status()[0].pending == 1501; }));
    const auto s = (*n)->status()[0];
    CHECK(s.sent > 500);   // about 4,000 characters of "2,4,6,...": some 800 alerts
    CHECK(s.pending > 0);  // the rest, for the next message the limit allows
}

TEST_CASE("a refused delivery is dropped and reported; a failing command is retried") {
    TempDir dir;
    auto db = ir::store::Database::open({dir.file("inquiryd.db")});
    REQUIRE(db);
    auto o = options(dir, "/dev/null");
    o.destinations[0].spec.command = {"/bin/sh", "-c", "cat >/dev/null; exit 1"};
    Destination retrying;
    retrying.spec.name = "tempfail";
    retrying.spec.kind = Kind::exec;
    retrying.spec.command = {"/bin/sh", "-c", "cat >/dev/null; exit 75"};
    retrying.spec.retry_initial = 20ms;
    retrying.spec.retry_max = 40ms;
    o.destinations.push_back(std::move(retrying));
    auto n = Notifier::start(std::move(o));
    REQUIRE(n);
    store_alerts(**db, 1, 1, "lena");
    (*n)->wake(1);
    REQUIRE(wait_for([&] { return (*n)->status()[0].dropped == 1 && (*n)->status()[1].failed >= 3; }));
    const auto s = (*n)->status();
    CHECK(s[0].failing);
    CHECK(s[0].delivered_seq == 1);  // dropped: not tried again
    CHECK(s[1].failing);
    CHECK(s[1].delivered_seq == 0);  // retried: the cursor waits for it
    CHECK(s[1].last_error.find("exit 75") != std::string::npos);
}
