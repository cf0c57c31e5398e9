#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <thread>

#include "ir/daemon/maildir_files.hpp"
#include "ir/daemon/maildir_source.hpp"
#include "ir/daemon/maildir_worker.hpp"
#include "maildir_fixture.hpp"

using namespace ir;
using namespace ir::test;
using Kind = daemon::SubmitOutcome::Kind;

namespace {

std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

constexpr auto kWait = std::chrono::seconds(20);

}  // namespace

TEST_CASE("committed mail becomes an event and moves to cur/ with the seen flag") {
    TempDir tmp;
    IoThread io;
    FakeIngest ingest;
    auto cfg = config_for(tmp.path);
    deliver(cfg.maildir, "1700000000.1.host", mail("one@x"));
    deliver(cfg.maildir, "1700000000.2.host", mail("two@x"));
    {
        std::ofstream(cfg.maildir / "tmp" / "1700000000.3.host") << mail("half-written@x");  // never read
    }
    daemon::MaildirSource source(io.ioc, cfg, ingest.fn());
    source.start();
    REQUIRE(wait_until([&] { return count_files(cfg.maildir / "cur") == 2; }, kWait));
    source.stop();
    CHECK(ingest.count() == 2);
    CHECK(ingest.events[0].message_id == "<one@x>");
    CHECK(ingest.events[1].message_id == "<two@x>");
    CHECK(ingest.events[0].account == "alibaba-electronics");
    CHECK(fs::exists(cfg.maildir / "cur" / "1700000000.1.host:2,S"));
    CHECK(count_files(cfg.maildir / "new") == 0);
    CHECK(count_files(cfg.maildir / "tmp") == 1);
    CHECK(source.stats().events == 2);
}

TEST_CASE("a duplicate is moved like a commit: a crash before the rename loses nothing, doubles nothing") {
    TempDir tmp;
    IoThread io;
    FakeIngest ingest;
    ingest.decide = [](const router::Event&) { return daemon::SubmitOutcome{Kind::duplicate, "", true}; };
    auto cfg = config_for(tmp.path);
    deliver(cfg.maildir, "m1", mail("again@x"));
    daemon::MaildirSource source(io.ioc, cfg, ingest.fn());
    source.start();
    REQUIRE(wait_until([&] { return fs::exists(cfg.maildir / "cur" / "m1:2,S"); }, kWait));
    CHECK(source.stats().duplicates == 1);
}

TEST_CASE("retry_later leaves the mail in new/ and tries it again within a second until the daemon takes it") {
    TempDir tmp;
    IoThread io;
    FakeIngest ingest;
    int calls = 0;
    ingest.decide = [&](const router::Event&) {
        return ++calls < 3 ? daemon::SubmitOutcome{Kind::retry_later, "busy", false} : daemon::SubmitOutcome{};
    };
    auto cfg = config_for(tmp.path);
    cfg.poll_interval = std::chrono::minutes(1);  // the retries come within a second, not at the poll
    deliver(cfg.maildir, "m1", mail("busy@x"));
    daemon::MaildirSource source(io.ioc, cfg, ingest.fn());
    source.start();
    REQUIRE(wait_until([&] { return fs::exists(cfg.maildir / "cur" / "m1:2,S"); }, kWait));
    source.stop();
    CHECK(ingest.count() == 3);
    CHECK(source.stats().retries == 2);
    CHECK(source.stats().events == 1);
}

TEST_CASE("a permanent rejection goes to quarantine with a reason file") {
    TempDir tmp;
    IoThread io;
    FakeIngest ingest;
    ingest.decide = [](const router::Event&) { return daemon::SubmitOutcome{Kind::rejected, "unknown account", true}; };
    auto cfg = config_for(tmp.path);
    deliver(cfg.maildir, "m1", mail("rejected@x"));
    daemon::MaildirSource source(io.ioc, cfg, ingest.fn());
    source.start();
    REQUIRE(wait_until([&] { return fs::exists(cfg.quarantine / "m1.reason"); }, kWait));
    source.stop();
    CHECK(fs::exists(cfg.quarantine / "m1"));
    CHECK(read(cfg.quarantine / "m1") == mail("rejected@x"));
    const auto reason = read(cfg.quarantine / "m1.reason");
    CHECK(reason.find("reason: rejected: unknown account") == 0);
    CHECK(reason.find("source: " + (cfg.maildir / "new" / "m1").string()) != std::string::npos);
}

TEST_CASE("unreadable and oversize mail is quarantined - bounces go to cur/ without an event") {
    TempDir tmp;
    IoThread io;
    FakeIngest ingest;
    auto cfg = config_for(tmp.path);
    cfg.max_bytes = 4096;
    deliver(cfg.maildir, "a-garbage", "no headers at all, only words\n");
    deliver(cfg.maildir, "b-big", mail("big@x", std::string(5000, 'x')));
    deliver(cfg.maildir, "c-bounce", "From: MAILER-DAEMON@mx.example\r\nSubject: failure\r\n\r\nUndeliverable\r\n");
    deliver(cfg.maildir, "d-empty", "");
    daemon::MaildirSource source(io.ioc, cfg, ingest.fn());
    source.start();
    REQUIRE(wait_until([&] { return count_files(cfg.maildir / "new") == 0; }, kWait));
    source.stop();
    CHECK(ingest.count() == 0);
    CHECK(read(cfg.quarantine / "a-garbage.reason").find("reason: not a mail") == 0);
    CHECK(read(cfg.quarantine / "b-big.reason").find("reason: mail too big: 5136 bytes, the limit is 4096") == 0);
    CHECK(read(cfg.quarantine / "d-empty.reason").find("reason: empty file") == 0);
    CHECK(fs::exists(cfg.maildir / "cur" / "c-bounce:2,S"));
    CHECK(source.stats().not_inquiries == 1);
    CHECK(source.stats().quarantined == 3);
}

TEST_CASE("mail in the Sent maildir becomes outbound events, read once") {
    TempDir tmp;
    IoThread io;
    FakeIngest ingest;
    auto cfg = config_for(tmp.path);
    cfg.sent_maildir = tmp.path / "Sent";
    deliver(*cfg.sent_maildir, "s1",
            "From: Anna <anna@seller.example>\r\nTo: j@weber-handel.de\r\nMessage-ID: <reply@seller>\r\n"
            "In-Reply-To: <one@x>\r\n\r\nHere is our quote.\r\n");
    daemon::MaildirSource source(io.ioc, cfg, ingest.fn());
    source.start();
    REQUIRE(wait_until([&] { return fs::exists(*cfg.sent_maildir / "cur" / "s1:2,S"); }, kWait));
    // Now in cur/, which is read too: not a second time.
    const auto scans = source.stats().scans.load();
    REQUIRE(wait_until([&] { return source.stats().scans >= scans + 3; }, kWait));
    source.stop();
    REQUIRE(ingest.count() == 1);
    CHECK(source.stats().duplicates == 0);
    CHECK(ingest.events[0].direction == router::Direction::outbound);
    CHECK(ingest.events[0].thread_id == "<one@x>");
}

TEST_CASE("sent mail filed straight into cur/ (mutt, mbsync) is read once and left where its client keeps it") {
    TempDir tmp;
    IoThread io;
    FakeIngest ingest;
    auto cfg = config_for(tmp.path);
    cfg.sent_maildir = tmp.path / "Sent";
    const fs::path cur = *cfg.sent_maildir / "cur";
    file_seen(*cfg.sent_maildir, "1700000000.7.host,U=7:2,S",
              "From: Anna <anna@seller.example>\r\nTo: j@weber-handel.de\r\nMessage-ID: <reply@seller>\r\n"
              "In-Reply-To: <one@x>\r\n\r\nHere is our quote.\r\n");
    file_seen(*cfg.sent_maildir, "1700000000.8.host,U=8:2,S", "no headers at all, only words\n");
    file_seen(*cfg.sent_maildir, "1600000000.1.host,U=1:2,S",
              "From: sales@seller.example\r\nMessage-ID: <old@seller>\r\nIn-Reply-To: <gone@x>\r\n\r\nOld.\r\n");
    fs::last_write_time(cur / "1600000000.1.host,U=1:2,S",
                        fs::file_time_type::clock::now() - cfg.cur_lookback - std::chrono::hours(1));
    {
        daemon::MaildirSource source(io.ioc, cfg, ingest.fn());
        source.start();
        REQUIRE(wait_until([&] { return ingest.count() == 1 && source.stats().quarantined == 1; }, kWait));
        const auto scans = source.stats().scans.load();
        REQUIRE(wait_until([&] { return source.stats().scans >= scans + 3; }, kWait));
        source.stop();
        CHECK(ingest.count() == 1);  // not again on later scans, and the old one not at all
        CHECK(source.stats().quarantined == 1);
    }
    REQUIRE(ingest.count() == 1);
    CHECK(ingest.events[0].direction == router::Direction::outbound);
    CHECK(ingest.events[0].message_id == "<reply@seller>");
    CHECK(ingest.events[0].thread_id == "<one@x>");
    // Nothing moved: the mail client (and its sync state) keeps its files.
    CHECK(count_files(cur) == 3);
    CHECK(read(cfg.quarantine / "1700000000.8.host,U=8:2,S.reason").find("reason: not a mail") == 0);
    CHECK(fs::exists(cur / "1700000000.8.host,U=8:2,S"));

    SECTION("after a restart it comes back as a duplicate, and the broken one is not copied twice") {
        ingest.decide = [](const router::Event&) { return daemon::SubmitOutcome{Kind::duplicate, "", true}; };
        daemon::MaildirSource again(io.ioc, cfg, ingest.fn());
        again.start();
        REQUIRE(wait_until([&] { return again.stats().duplicates == 1 && again.stats().scans >= 2; }, kWait));
        again.stop();
        CHECK(count_files(cfg.quarantine) == 2);  // the copy and its reason, once
        CHECK(count_files(cur) == 3);
    }
}

TEST_CASE(
    "a buyer's mail synced into the inbox's cur/ already read is taken - read mail from before the first start "
    "is not") {
    TempDir tmp;
    IoThread io;
    FakeIngest ingest;
    auto cfg = config_for(tmp.path);
    cfg.state_dir = tmp.path / "state";
    const fs::path cur = cfg.maildir / "cur";
    file_seen(cfg.maildir, "1700000000.1.host,U=1:2,S", mail("before@x"));
    fs::last_write_time(cur / "1700000000.1.host,U=1:2,S", fs::file_time_type::clock::now() - std::chrono::hours(1));
    const fs::path record = daemon::maildir::watch_record(cfg.state_dir, cfg.maildir);
    {
        daemon::MaildirSource source(io.ioc, cfg, ingest.fn());
        source.start();
        REQUIRE(wait_until([&] { return source.stats().scans >= 2; }, kWait));
        CHECK(ingest.count() == 0);  // older than the first start: the mailbox's past
        REQUIRE(fs::exists(record));
        // Let the folder go quiet, so that passes stop listing it: a new file is still seen.
        std::this_thread::sleep_for(std::chrono::milliseconds(1200));
        const auto quiet = source.stats().scans.load();
        REQUIRE(wait_until([&] { return source.stats().scans >= quiet + 2; }, kWait));
        file_seen(cfg.maildir, "1700000000.2.host,U=2:2,S", mail("read-on-phone@x"));
        REQUIRE(wait_until([&] { return ingest.count() == 1; }, kWait));
        const auto scans = source.stats().scans.load();
        REQUIRE(wait_until([&] { return source.stats().scans >= scans + 3; }, kWait));
        source.stop();
    }
    REQUIRE(ingest.count() == 1);
    CHECK(ingest.events[0].message_id == "<read-on-phone@x>");
    CHECK(ingest.events[0].direction == router::Direction::inbound);
    CHECK(count_files(cur) == 2);  // left where the client keeps them

    SECTION("the first start is remembered across restarts") {
        const std::string first = read(record);
        daemon::MaildirSource again(io.ioc, cfg, ingest.fn());
        again.start();
        REQUIRE(wait_until([&] { return ingest.count() == 2 && again.stats().scans >= 2; }, kWait));
        again.stop();
        CHECK(ingest.count() == 2);
        CHECK(ingest.events[1].message_id == "<read-on-phone@x>");  // a duplicate for the store
        CHECK(read(record) == first);
    }
}

TEST_CASE("a new inquiry does not wait behind a long cur/ backlog (a restart reads cur/ once more)") {
    TempDir tmp;
    IoThread io;
    FakeIngest ingest;
    auto cfg = config_for(tmp.path);
    cfg.sent_maildir = tmp.path / "Sent";
    cfg.cur_pass_budget = std::chrono::milliseconds(1);
    ingest.decide = [](const router::Event&) {  // a loaded daemon: each commit takes a while
        std::this_thread::sleep_for(std::chrono::milliseconds(3));
        return daemon::SubmitOutcome{};
    };
    constexpr int kBacklog = 100;
    for (int i = 0; i < kBacklog; ++i) {
        const std::string name = "1700000000." + std::to_string(i) + ".host:2,S";
        file_seen(*cfg.sent_maildir, name,
                  "From: sales@seller.example\r\nMessage-ID: <r" + std::to_string(i) +
                      "@seller>\r\nIn-Reply-To: <q@x>\r\n\r\nQuote.\r\n");
    }
    daemon::MaildirSource source(io.ioc, cfg, ingest.fn());
    source.start();
    REQUIRE(wait_until([&] { return ingest.count() >= 3; }, kWait));
    deliver(cfg.maildir, "1700000001.1.host", mail("buyer@x"));
    REQUIRE(wait_until([&] { return ingest.count() == kBacklog + 1; }, kWait));
    source.stop();
    std::size_t at = 0;
    while (at < ingest.events.size() && ingest.events[at].message_id != "<buyer@x>") ++at;
    CHECK(at < kBacklog / 2);  // taken on the next pass, not after the backlog
}

TEST_CASE("a parse that hangs is killed at its deadline - the mail is quarantined and the next one parsed") {
    TempDir tmp;
    IoThread io;
    FakeIngest ingest;
    auto cfg = config_for(tmp.path);
    cfg.worker = fs::path(IR_BIN_DIR) / "test_mailparse";  // hangs on the mail that asks for it
    cfg.parse_timeout = std::chrono::milliseconds(500);    // no more than parse_budget: no slow lane
    deliver(cfg.maildir, "a-hangs", "X-Test-Hang: yes\r\n" + mail("hang@x"));
    fs::last_write_time(cfg.maildir / "new" / "a-hangs", fs::file_time_type::clock::now() - std::chrono::hours(1));
    deliver(cfg.maildir, "b-fine", mail("fine@x"));
    daemon::MaildirSource source(io.ioc, cfg, ingest.fn());
    const auto start = std::chrono::steady_clock::now();
    source.start();
    REQUIRE(wait_until([&] { return count_files(cfg.maildir / "new") == 0; }, kWait));
    source.stop();
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
    CHECK(read(cfg.quarantine / "a-hangs.reason").find("reason: parse timed out after 500 ms") == 0);
    CHECK(source.stats().set_aside == 0);
    REQUIRE(ingest.count() == 1);
    CHECK(ingest.events[0].message_id == "<fine@x>");
}

TEST_CASE("a worker that never says it is ready counts as unavailable: the mail stays in new/") {
    TempDir tmp;
    IoThread io;
    FakeIngest ingest;
    auto cfg = config_for(tmp.path);
    const auto script = tmp.path / "mute-worker.sh";
    std::ofstream(script) << "#!/bin/sh\nexec sleep 600\n";
    fs::permissions(script, fs::perms::owner_all);
    cfg.worker = script;
    deliver(cfg.maildir, "m1", mail("kept@x"));
    daemon::MaildirSource source(io.ioc, cfg, ingest.fn());
    source.start();
    REQUIRE(wait_until([&] { return source.stats().scans >= 1; }, std::chrono::seconds(30)));
    const auto start = std::chrono::steady_clock::now();
    source.stop();
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
    CHECK(fs::exists(cfg.maildir / "new" / "m1"));
    CHECK(!fs::exists(cfg.quarantine));
}

TEST_CASE("without a worker binary, mail stays in new/ (nothing quarantined, nothing lost)") {
    TempDir tmp;
    IoThread io;
    FakeIngest ingest;
    auto cfg = config_for(tmp.path);
    cfg.worker = tmp.path / "no-such-worker";
    deliver(cfg.maildir, "m1", mail("kept@x"));
    daemon::MaildirSource source(io.ioc, cfg, ingest.fn());
    source.start();
    REQUIRE(wait_until([&] { return source.stats().scans >= 2; }, kWait));
    source.stop();
    CHECK(fs::exists(cfg.maildir / "new" / "m1"));
    CHECK(!fs::exists(cfg.quarantine));
}

TEST_CASE("stop() returns promptly while a submit is unanswered - the mail stays in new/") {
    TempDir tmp;
    IoThread io;
    auto cfg = config_for(tmp.path);
    std::atomic<int> submitted{0};
    std::function<void(daemon::SubmitOutcome)> held;  // never answered
    daemon::SubmitFn never = [&](router::Event, std::function<void(daemon::SubmitOutcome)> done) {
        held = std::move(done);
        ++submitted;
    };
    deliver(cfg.maildir, "m1", mail("slow@x"));
    daemon::MaildirSource source(io.ioc, cfg, never);
    source.start();
    REQUIRE(wait_until([&] { return submitted == 1; }, kWait));
    source.stop();
    CHECK(fs::exists(cfg.maildir / "new" / "m1"));
    held(daemon::SubmitOutcome{});  // a late answer after stop is harmless
}

TEST_CASE("the worker survives being fed garbage and a crash of its own") {
    daemon::MailParseWorker worker(fs::path(IR_BIN_DIR) / "inquiryd-mailparse");
    adapters::MailOptions o;
    o.account = "a";
    auto r1 = worker.parse(mail("w1@x"), o, std::chrono::seconds(5));
    REQUIRE(std::holds_alternative<adapters::MailResult>(r1));
    const pid_t first = worker.pid();
    ::kill(first, SIGKILL);
    auto r2 = worker.parse(mail("w2@x"), o, std::chrono::seconds(5));
    REQUIRE(std::holds_alternative<daemon::WorkerFailure>(r2));
    CHECK(std::get<daemon::WorkerFailure>(r2).kind == daemon::WorkerFailure::Kind::crashed);
    auto r3 = worker.parse(mail("w3@x"), o, std::chrono::seconds(5));
    REQUIRE(std::holds_alternative<adapters::MailResult>(r3));
    CHECK(worker.pid() != first);
}

TEST_CASE("a FIFO and a symlink in new/ are quarantined with a reason, never opened or followed") {
    TempDir tmp;
    IoThread io;
    FakeIngest ingest;
    auto cfg = config_for(tmp.path);
    for (const char* d : {"tmp", "new", "cur"}) fs::create_directories(cfg.maildir / d);
    REQUIRE(::mkfifo((cfg.maildir / "new" / "a-fifo").c_str(), 0600) == 0);
    const fs::path secret = tmp.path / "secret.txt";
    std::ofstream(secret) << mail("secret@x");
    fs::create_symlink(secret, cfg.maildir / "new" / "b-link");
    deliver(cfg.maildir, "c-fine", mail("fine@x"));
    daemon::MaildirSource source(io.ioc, cfg, ingest.fn());
    const auto start = std::chrono::steady_clock::now();
    source.start();
    REQUIRE(wait_until([&] { return count_files(cfg.maildir / "new") == 0; }, kWait));
    source.stop();
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
    REQUIRE(ingest.count() == 1);
    CHECK(ingest.events[0].message_id == "<fine@x>");
    CHECK(read(cfg.quarantine / "a-fifo.reason").find("reason: not a regular file: a FIFO") == 0);
    CHECK(read(cfg.quarantine / "b-link.reason").find("reason: not a regular file: a symbolic link") == 0);
    CHECK(fs::is_fifo(fs::symlink_status(cfg.quarantine / "a-fifo")));
    CHECK(fs::is_symlink(fs::symlink_status(cfg.quarantine / "b-link")));
    CHECK(fs::read_symlink(cfg.quarantine / "b-link") == secret);
    CHECK(read(secret) == mail("secret@x"));  // the target untouched
    CHECK(source.stats().quarantined == 2);
}
