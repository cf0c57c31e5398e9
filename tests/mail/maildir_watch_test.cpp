// The Maildir source wakes on inotify: with an hour between polls, mail is still taken at once.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "ir/daemon/maildir_source.hpp"
#include "ir/daemon/maildir_watch.hpp"
#include "maildir_fixture.hpp"

using namespace ir;
using namespace ir::test;

namespace {

constexpr auto kWait = std::chrono::seconds(20);
constexpr auto kAtOnce = std::chrono::seconds(3);  // far below the hour a poll would take

daemon::MaildirConfig hourly_poll(const fs::path& root) {
    auto cfg = config_for(root);
    cfg.poll_interval = std::chrono::hours(1);
    return cfg;
}

}  // namespace

TEST_CASE("inotify reports a rename into new/, a file written in place, and a FIFO; not a file still open") {
    TempDir tmp;
    const fs::path maildir = tmp.path / "Maildir";
    for (const char* d : {"tmp", "new", "cur"}) fs::create_directories(maildir / d);
    daemon::MaildirWatch watch;
    REQUIRE(watch.add(0, maildir, daemon::MaildirWatch::Sub::new_mail).empty());
    REQUIRE(watch.ok());
    CHECK(watch.wait(std::chrono::milliseconds(0)).changes.empty());

    deliver(maildir, "m1", mail("one@x"));
    auto w = watch.wait(std::chrono::seconds(5));
    REQUIRE(w.changes.size() == 1);
    CHECK(w.changes[0].name == "m1");
    CHECK(!w.changes[0].created_only);

    REQUIRE(::mkfifo((maildir / "new" / "fifo").c_str(), 0600) == 0);
    w = watch.wait(std::chrono::seconds(5));
    REQUIRE(w.changes.size() == 1);
    CHECK(w.changes[0].created_only);

    SECTION("wake() from another thread ends a wait at once") {
        std::thread waker([&] { watch.wake(); });
        const auto start = std::chrono::steady_clock::now();
        CHECK(watch.wait(std::chrono::seconds(30)).woken);
        CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
        waker.join();
    }
    SECTION("a folder that cannot be watched makes ok() false: the source polls") {
        CHECK(!watch.add(1, tmp.path / "missing", daemon::MaildirWatch::Sub::new_mail).empty());
        CHECK(!watch.ok());
    }
}

TEST_CASE("mail delivered while the source waits is taken at once, not at the next poll") {
    TempDir tmp;
    IoThread io;
    FakeIngest ingest;
    auto cfg = hourly_poll(tmp.path);
    cfg.sent_maildir = tmp.path / "Sent";
    daemon::MaildirSource source(io.ioc, cfg, ingest.fn());
    source.start();
    REQUIRE(wait_until([&] { return source.stats().scans >= 1; }, kWait));
    for (int i = 0; i < 3; ++i) {
        const auto start = std::chrono::steady_clock::now();
        deliver(cfg.maildir, "m" + std::to_string(i), mail("at-once-" + std::to_string(i) + "@x"));
        REQUIRE(wait_until([&] { return ingest.count() == static_cast<std::size_t>(i + 1); }, kAtOnce));
        CHECK(std::chrono::steady_clock::now() - start < kAtOnce);
    }
    deliver(*cfg.sent_maildir, "s1",
            "From: sales@seller.example\r\nMessage-ID: <reply@seller>\r\nIn-Reply-To: <at-once-0@x>\r\n\r\nOk.\r\n");
    REQUIRE(wait_until([&] { return ingest.count() == 4; }, kAtOnce));
    CHECK(source.stats().woken >= 2);
    source.stop();
    CHECK(ingest.events[3].direction == router::Direction::outbound);
}

TEST_CASE("a FIFO or a symlink made in new/ while the source waits is quarantined at once") {
    TempDir tmp;
    IoThread io;
    FakeIngest ingest;
    auto cfg = hourly_poll(tmp.path);
    daemon::MaildirSource source(io.ioc, cfg, ingest.fn());
    source.start();
    REQUIRE(wait_until([&] { return source.stats().scans >= 1; }, kWait));
    REQUIRE(::mkfifo((cfg.maildir / "new" / "a-fifo").c_str(), 0600) == 0);
    REQUIRE(wait_until([&] { return fs::exists(cfg.quarantine / "a-fifo.reason"); }, kAtOnce));
    fs::create_symlink("/etc/hostname", cfg.maildir / "new" / "b-link");
    REQUIRE(wait_until([&] { return fs::exists(cfg.quarantine / "b-link.reason"); }, kAtOnce));
    const auto start = std::chrono::steady_clock::now();
    source.stop();
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
    CHECK(ingest.count() == 0);
    CHECK(source.stats().quarantined == 2);
}

TEST_CASE("a buyer's mail a client files straight into the inbox's cur/ is taken at once too") {
    TempDir tmp;
    IoThread io;
    FakeIngest ingest;
    auto cfg = hourly_poll(tmp.path);
    cfg.state_dir = tmp.path / "state";
    daemon::MaildirSource source(io.ioc, cfg, ingest.fn());
    source.start();
    REQUIRE(wait_until([&] { return source.stats().scans >= 1; }, kWait));
    deliver(cfg.maildir, "1700000000.1.host", mail("via-new@x"));
    REQUIRE(wait_until([&] { return ingest.count() == 1; }, kAtOnce));
    file_seen(cfg.maildir, "1700000000.2.host,U=2:2,S", mail("read-on-phone@x"));
    REQUIRE(wait_until([&] { return ingest.count() == 2; }, kAtOnce));
    source.stop();
    CHECK(ingest.events[1].message_id == "<read-on-phone@x>");
    CHECK(source.stats().duplicates == 0);  // our own move of the first one to cur/ was not read again
}

TEST_CASE("a mail hard-linked from tmp/ into new/ (qmail's way: no rename, no close) is taken within moments") {
    TempDir tmp;
    IoThread io;
    FakeIngest ingest;
    auto cfg = hourly_poll(tmp.path);
    daemon::MaildirSource source(io.ioc, cfg, ingest.fn());
    source.start();
    REQUIRE(wait_until([&] { return source.stats().scans >= 1; }, kWait));
    std::ofstream(cfg.maildir / "tmp" / "1700000000.1.host") << mail("linked@x");
    fs::create_hard_link(cfg.maildir / "tmp" / "1700000000.1.host", cfg.maildir / "new" / "1700000000.1.host");
    fs::remove(cfg.maildir / "tmp" / "1700000000.1.host");
    REQUIRE(wait_until([&] { return ingest.count() == 1; }, kAtOnce));
    source.stop();
    CHECK(ingest.events[0].message_id == "<linked@x>");
}
