// Slow mail cannot starve the rest: the fast lane's parse_budget, the slow lane, the
// per-minute bound; and a quarantine copy is made of the bytes read, never of the path.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "ir/daemon/maildir_files.hpp"
#include "ir/daemon/maildir_source.hpp"
#include "ir/daemon/parse_budget.hpp"
#include "maildir_fixture.hpp"

using namespace ir;
using namespace ir::test;
using namespace std::chrono_literals;

namespace {

constexpr auto kWait = std::chrono::seconds(20);

std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// A mail test_mailparse answers after `ms`, or never (ms < 0).
std::string slow_mail(const std::string& id, int ms) {
    return (ms < 0 ? std::string("X-Test-Hang: yes\r\n") : "X-Test-Parse-Ms: " + std::to_string(ms) + "\r\n") +
           mail(id);
}

daemon::MaildirConfig lanes_config(const fs::path& root) {
    auto cfg = config_for(root);
    cfg.worker = fs::path(IR_BIN_DIR) / "test_mailparse";
    cfg.parse_budget = 300ms;
    cfg.parse_timeout = 3s;
    cfg.poll_interval = 1h;  // inotify alone
    return cfg;
}

std::size_t index_of(FakeIngest& ingest, const std::string& message_id) {
    std::lock_guard lock(ingest.mu);
    for (std::size_t i = 0; i < ingest.events.size(); ++i)
        if (ingest.events[i].message_id == message_id) return i;
    return ingest.events.size();
}

}  // namespace

TEST_CASE("the fast lane's budget: a tenth once a minute's worth of mail was set aside, capped by the timeout") {
    daemon::ParseBudget b({1000ms, 5000ms, 3});
    const auto t0 = daemon::ParseBudget::Clock::time_point{} + 1h;
    CHECK(b.fast_budget(t0) == 1000ms);
    for (int i = 0; i < 3; ++i) b.set_aside(t0 + i * 1s);
    CHECK(b.fast_budget(t0 + 3s) == 100ms);
    CHECK(b.fast_budget(t0 + 61s) == 1000ms);  // the first of them is a minute old
    CHECK(b.worth_slow_lane(1000ms));
    CHECK(!b.worth_slow_lane(5000ms));
    CHECK(daemon::ParseBudget({300ms, 5000ms, 1}).fast_budget(t0) == 300ms);
    daemon::ParseBudget strict({300ms, 5000ms, 1});
    strict.set_aside(t0);
    CHECK(strict.fast_budget(t0) == daemon::ParseBudget::kStrictFloor);
    CHECK(daemon::ParseBudget({9000ms, 5000ms, 1}).fast_budget(t0) == 5000ms);

    SECTION("the slow lane starts at most per_minute parses a minute") {
        CHECK(!b.slow_wait(t0));
        for (int i = 0; i < 3; ++i) b.slow_started(t0 + i * 10s);
        REQUIRE(b.slow_wait(t0 + 30s));
        CHECK(*b.slow_wait(t0 + 30s) == t0 + 60s);
        CHECK(!b.slow_wait(t0 + 60s));
    }
}

TEST_CASE("a mail over parse_budget is set aside: the next one is taken first, the slow one after") {
    TempDir tmp;
    IoThread io;
    FakeIngest ingest;
    auto cfg = lanes_config(tmp.path);
    deliver(cfg.maildir, "a-slow", slow_mail("slow@x", 1000));
    fs::last_write_time(cfg.maildir / "new" / "a-slow", fs::file_time_type::clock::now() - 1h);
    deliver(cfg.maildir, "b-fine", mail("fine@x"));
    daemon::MaildirSource source(io.ioc, cfg, ingest.fn());
    source.start();
    REQUIRE(wait_until([&] { return ingest.count() == 2; }, kWait));
    REQUIRE(wait_until([&] { return count_files(cfg.maildir / "new") == 0; }, kWait));
    source.stop();
    CHECK(index_of(ingest, "<fine@x>") == 0);
    CHECK(index_of(ingest, "<slow@x>") == 1);
    CHECK(source.stats().set_aside == 1);
    CHECK(source.stats().slow_parses == 1);
    CHECK(fs::exists(cfg.maildir / "cur" / "a-slow:2,S"));
    CHECK(!fs::exists(cfg.quarantine));
}

TEST_CASE("a mail that hangs the parser is quarantined by the slow lane after parse_timeout") {
    TempDir tmp;
    IoThread io;
    FakeIngest ingest;
    auto cfg = lanes_config(tmp.path);
    cfg.parse_timeout = 800ms;
    deliver(cfg.maildir, "a-hangs", slow_mail("hang@x", -1));
    daemon::MaildirSource source(io.ioc, cfg, ingest.fn());
    source.start();
    REQUIRE(wait_until([&] { return fs::exists(cfg.quarantine / "a-hangs.reason"); }, kWait));
    source.stop();
    CHECK(read(cfg.quarantine / "a-hangs.reason").find("reason: parse timed out after 800 ms") == 0);
    CHECK(read(cfg.quarantine / "a-hangs") == slow_mail("hang@x", -1));
    CHECK(ingest.count() == 0);
}

TEST_CASE("a flood of mail that hangs the parser delays a buyer's mail by a bounded time, not N x parse_timeout") {
    TempDir tmp;
    IoThread io;
    FakeIngest ingest;
    auto cfg = lanes_config(tmp.path);
    cfg.parse_budget = 500ms;
    cfg.parse_timeout = 2s;
    cfg.slow_parses_per_minute = 3;
    constexpr int kFlood = 12;
    daemon::MaildirSource source(io.ioc, cfg, ingest.fn());
    source.start();
    REQUIRE(wait_until([&] { return source.stats().scans >= 1; }, kWait));
    for (int i = 0; i < kFlood; ++i)
        deliver(cfg.maildir, "1700000000." + std::to_string(i) + ".flood", slow_mail(std::to_string(i) + "@x", -1));
    const auto start = std::chrono::steady_clock::now();
    deliver(cfg.maildir, "1700000001.0.buyer", mail("buyer@x"));
    REQUIRE(wait_until([&] { return ingest.count() == 1; }, kWait));
    CHECK(index_of(ingest, "<buyer@x>") == 0);
    const auto waited = std::chrono::steady_clock::now() - start;
    // 3 x 500 ms, then 9 x 100 ms (the strict budget), plus a worker taken over each time.
    const auto bound = 3 * cfg.parse_budget + (kFlood - 3) * daemon::ParseBudget::kStrictFloor;
    std::printf(
        "flood of %d hanging mails: the buyer's mail taken after %lld ms (budgets add up to %lld ms; "
        "one parse_timeout each would be %lld ms)\n",
        kFlood, static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(waited).count()),
        static_cast<long long>(bound.count()), static_cast<long long>((kFlood * cfg.parse_timeout).count()));
    CHECK(waited < kFlood * cfg.parse_timeout / 4);
    CHECK(source.stats().set_aside == kFlood);
    CHECK(source.stats().slow_parses <= 3);  // a minute's worth, not more
    REQUIRE(wait_until([&] { return fs::exists(cfg.maildir / "cur" / "1700000001.0.buyer:2,S"); }, kWait));
    const auto stop_start = std::chrono::steady_clock::now();
    source.stop();  // with a parse hanging in the slow lane
    CHECK(std::chrono::steady_clock::now() - stop_start < 5s);
    // Nothing lost: each hanging mail is still in new/ or quarantined with its reason.
    CHECK(count_files(cfg.maildir / "new") + count_files(cfg.quarantine) / 2 == kFlood);
}

TEST_CASE("a quarantine copy is what was read, even when the path names something else by then") {
    TempDir tmp;
    const fs::path cur = tmp.path / "Maildir" / "cur";
    fs::create_directories(cur);
    const fs::path file = cur / "1700000000.1.host:2,S";
    const std::string original = mail("broken@x", std::string(70000, 'x'));  // more than one read
    std::ofstream(file, std::ios::binary) << original;
    std::string error, kind;
    auto content = daemon::maildir::read_mail(file, 1000, error, kind);  // a mail too big: partly read
    REQUIRE(content);
    CHECK(!content->whole);
    const fs::path secret = tmp.path / "secret";
    std::ofstream(secret) << "not mail";
    fs::remove(file);
    fs::create_symlink(secret, file);  // swapped after the read
    const fs::path q = tmp.path / "quarantine";
    REQUIRE(daemon::maildir::quarantine(file, q, "mail too big", daemon::maildir::Keep::original, &*content).empty());
    CHECK(read(q / file.filename()) == original);
    CHECK(fs::is_symlink(fs::symlink_status(file)));  // the client's entry left as it is
    struct stat st {};
    REQUIRE(::stat((q / file.filename()).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);

    SECTION("across filesystems, a new/ mail is written from what was read, then removed") {
        const fs::path shm = "/dev/shm";
        struct stat a {
        }, b{};
        if (::stat(shm.c_str(), &a) != 0 || ::stat(tmp.path.c_str(), &b) != 0 || a.st_dev == b.st_dev) {
            WARN("no second filesystem at /dev/shm: skipped");
            return;
        }
        const fs::path newdir = tmp.path / "Maildir" / "new";
        fs::create_directories(newdir);
        const fs::path mine = newdir / "1700000000.2.host";
        std::ofstream(mine, std::ios::binary) << original;
        auto read_back = daemon::maildir::read_mail(mine, 1 << 20, error, kind);
        REQUIRE(read_back);
        char tmpl[] = "/dev/shm/ir-mail-q-XXXXXX";
        const fs::path far = ::mkdtemp(tmpl);
        REQUIRE(daemon::maildir::quarantine(mine, far, "rejected", daemon::maildir::Keep::move, &*read_back).empty());
        CHECK(read(far / mine.filename()) == original);
        CHECK(!fs::exists(mine));
        fs::remove_all(far);
    }
}
