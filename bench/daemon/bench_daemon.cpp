// bench_daemon: durable events/s and latency of a real inquiryd over keep-alive HTTP, as a
// ratio of the transport's limit (a bare Beast server answering 202, same load generator)
// and of the disk's limit (the same SQLite inserts, same pragmas, 100 rows per commit).
// Each daemon run also prints the CPU per event of each thread and the commit sizes.
// Usage: bench_daemon [SECONDS_PER_RUN]   (default 5; stops by itself; loopback only)
//        bench_daemon ingest [SECONDS]    (the daemon's runs alone)
//        bench_daemon paced [RATE] [SECONDS]  (one open-loop run on a fresh daemon)
//        bench_daemon memory [N]          (memory per open inquiry, N of them)
//        bench_daemon soak [RATE] [MINUTES]   (hours of steady load: leaks, WAL, fds)
//        bench_daemon mail [MAILS]        (rename() into new/ to ASSIGNED on the feed, p50/p99)
//        bench_daemon mail-slow [N]       (a buyer's mail behind N crafted slow mails)
//        bench_daemon flood [SECONDS] [QUEUED_MIB]  (1 MB bodies: RSS bounded, webhook p99)
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "ir/bench/load_generator.hpp"
#include "ir/daemon/http_json.hpp"
#include "ir/daemon/http_server.hpp"
#include "ir/store/database.hpp"

#include "access_cost.hpp"
#include "daemon_harness.hpp"
#include "flood.hpp"
#include "mail_latency.hpp"
#include "read_load.hpp"
#include "soak.hpp"

namespace {
namespace fs = std::filesystem;
using ir::bench::Daemon;
using ir::bench::make_bodies;
using ir::bench::quantile_bound;
using ir::bench::scrape;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Seconds of CPU the calling thread (the load generator) has used.
double own_cpu_seconds() {
    timespec ts{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// Idle seconds of the whole machine so far, summed over its cores (/proc/stat: idle + iowait).
double machine_idle_seconds() {
    std::ifstream stat("/proc/stat");
    std::string cpu;
    double user = 0, nice = 0, system = 0, idle = 0, iowait = 0;
    stat >> cpu >> user >> nice >> system >> idle >> iowait;
    return (idle + iowait) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

ir::bench::LoadResult drive(std::uint16_t port, const std::vector<std::string>& bodies, std::size_t connections,
                            double rate, std::chrono::milliseconds duration) {
    ir::bench::LoadOptions o;
    o.port = port;
    o.bodies = bodies;
    o.connections = connections;
    o.rate = rate;
    o.warmup = 500ms;
    o.duration = duration;
    return ir::bench::run_load(o);
}

double bare_http_rate(const std::vector<std::string>& bodies, std::chrono::milliseconds duration) {
    boost::asio::io_context ioc{1};
    ir::daemon::metrics::Registry registry;
    ir::daemon::HttpServer server(
        ioc, {boost::asio::ip::address_v4::loopback(), 0},
        [](ir::daemon::HttpRequest&&, ir::daemon::Responder respond) {
            respond(ir::daemon::json_response(boost::beast::http::status::accepted, boost::json::object{}));
        },
        registry);
    server.start();
    std::thread t([&] { ioc.run(); });
    const auto r = drive(server.port(), bodies, 16, 0, duration);
    server.stop();
    t.join();
    std::printf("bare-http: conns=16 requests/s=%.0f p50_us=%.0f p99_us=%.0f p99.9_us=%.0f\n", r.requests_per_second,
                r.p50_us, r.p99_us, r.p999_us);
    return r.requests_per_second;
}

// The disk's limit: one event row and one inquiry upsert per event, 100 events a commit.
double raw_sqlite_rate(const fs::path& dir, const std::vector<std::string>& bodies,
                       std::chrono::milliseconds duration) {
    ir::store::Options o;
    o.path = dir / "raw" / "raw.db";
    auto db = ir::store::Database::open(o);
    if (!db) throw std::runtime_error(db.error().message);
    std::uint64_t n = 0;
    const auto start = Clock::now();
    while (Clock::now() - start < duration) {
        std::vector<ir::store::Change> batch(100);
        for (auto& c : batch) {
            ++n;
            const auto& body = bodies[n % bodies.size()];
            c.events.push_back({0,
                                "email",
                                "acct",
                                "m" + std::to_string(n),
                                "t",
                                {},
                                "inbound",
                                {},
                                static_cast<std::int64_t>(n),
                                body});
            c.inquiries.push_back({static_cast<std::int64_t>(n), "acct", "open", {}, body});
        }
        if (auto e = (*db)->apply(batch)) throw std::runtime_error(e->message);
    }
    const double rate = static_cast<double>(n) / std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("raw-sqlite: batch=100 synchronous=FULL rows/s=%.0f\n", rate);
    return rate;
}

void report(const char* label, const ir::bench::LoadResult& r, std::size_t conns, double rate) {
    std::printf("%s: conns=%zu rate=%s events/s=%.0f p50_us=%.0f p99_us=%.0f p99.9_us=%.0f", label, conns,
                rate > 0 ? std::to_string(static_cast<int>(rate)).c_str() : "max", r.requests_per_second, r.p50_us,
                r.p99_us, r.p999_us);
    for (const auto& [status, count] : r.by_status)
        std::printf(" http%u=%llu", status, static_cast<unsigned long long>(count));
    std::printf(" errors=%llu\n", static_cast<unsigned long long>(r.errors));
}

// A load run with the CPU each part of the system spent on it.
struct Measured {
    ir::bench::LoadResult load;
    std::map<std::string, double> daemon_cpu;  // seconds, by daemon thread name
    double generator_cpu = 0;
    double idle = 0;     // the machine's idle (and I/O wait) seconds over all cores
    double elapsed = 0;  // wall seconds (warm-up included, as the CPU figures are)
    double commits = 0;  // group commits (transactions) over the run
    double committed_seconds = 0;
    double wal_bytes = 0;                   // at the end of the run
    std::map<std::string, double> metrics;  // the daemon's /metrics: what the run added
};

template <typename Run>
Measured measured(const Daemon& daemon, Run run) {
    Measured m;
    const auto cpu_before = daemon.thread_cpu();
    auto before = scrape(daemon.port());
    const double gen_before = own_cpu_seconds(), idle_before = machine_idle_seconds();
    const auto start = Clock::now();
    m.load = run();
    m.elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    m.generator_cpu = own_cpu_seconds() - gen_before;
    m.idle = machine_idle_seconds() - idle_before;
    m.daemon_cpu = daemon.thread_cpu();
    for (const auto& [name, seconds] : cpu_before) m.daemon_cpu[name] -= seconds;
    auto after = scrape(daemon.port());
    for (const auto& [name, value] : after) m.metrics[name] = value - before[name];
    m.commits = after["inquiryd_commit_latency_seconds_count"] - before["inquiryd_commit_latency_seconds_count"];
    m.committed_seconds = after["inquiryd_commit_latency_seconds_sum"] - before["inquiryd_commit_latency_seconds_sum"];
    m.wal_bytes = after["inquiryd_wal_bytes"];
    return m;
}

// Where the CPU goes, in microseconds per answered request: the daemon's threads by name
// (inquiryd = the event loop), the load generator, and how idle the machine stayed.
void report_cpu(const Measured& m) {
    const double answered = static_cast<double>(m.load.requests) * m.elapsed / std::max(m.load.seconds, 1e-9);
    const double per = 1e6 / std::max(answered, 1.0);
    std::printf("inquiryd: cpu_us_per_event");
    double total = 0;
    for (const auto& [name, seconds] : m.daemon_cpu) {
        if (seconds * per < 0.05) continue;
        std::printf(" %s=%.1f", name.c_str(), seconds * per);
        total += seconds;
    }
    std::printf(" generator=%.1f total=%.1f machine_idle=%.0f%%\n", m.generator_cpu * per,
                (total + m.generator_cpu) * per, 100 * m.idle / (m.elapsed * std::thread::hardware_concurrency()));
    std::printf("inquiryd: commits/s=%.0f events_per_commit=%.1f commit_ms=%.2f writer_busy=%.0f%% wal_mib=%.0f\n",
                m.commits / m.elapsed, answered / std::max(m.commits, 1.0),
                1e3 * m.committed_seconds / std::max(m.commits, 1.0), 100 * m.committed_seconds / m.elapsed,
                m.wal_bytes / (1 << 20));
    // Which stage makes the tail: bucket bounds, so "<=" (docs/operations.md, the stages).
    std::printf("inquiryd: p99_ms_at_most commit_transaction=%g",
                1e3 * quantile_bound(m.metrics, "inquiryd_commit_latency_seconds_bucket{", 0.99));
    for (const char* stage : {"analysis", "commit", "answer"})
        std::printf(
            " %s=%g", stage,
            1e3 * quantile_bound(m.metrics, std::string("inquiryd_event_stage_seconds_bucket{stage=\"") + stage + "\",",
                                 0.99));
    std::printf("\n");
}

}  // namespace

// Memory per open inquiry (see below); `n` inquiries after the warm-up.
void memory_phase(const fs::path& dir, std::size_t n) {
    // Memory per open inquiry: a fresh daemon, 20,000 conversations to warm it up (connection
    // buffers, SQLite's page cache, the dedupe filter: fixed costs), then n more, each
    // from its own buyer; the growth over those is what one more open inquiry costs (with its
    // clocks, routing state and customer record), the number that decides whether 1M fit in
    // 1 GiB. Once with routing off, once with 20 agents (1,000 held, the rest queued).
    std::string roster = "[routing]\nreserve = \"10m\"\n";
    for (int a = 0; a < 20; ++a) roster += "[[agents]]\nid = \"agent" + std::to_string(a) + "\"\ncapacity = 50\n";
    for (const auto& [label, extra] :
         {std::pair<std::string, std::string>{"routing=off", ""}, {"routing=20-agents", roster}}) {
        const fs::path mem_dir = dir / ("memory-" + label.substr(8));
        fs::create_directories(mem_dir);
        Daemon daemon(mem_dir, extra);
        const std::size_t warm = 20'000;
        const auto bodies_n = make_bodies((warm + n) / 64 + 1, true);
        auto load = [&](std::size_t from, std::size_t count) {
            ir::bench::LoadOptions o;
            o.port = daemon.port();
            o.bodies.assign(bodies_n.begin() + static_cast<std::ptrdiff_t>(from),
                            bodies_n.begin() + static_cast<std::ptrdiff_t>(from + count));
            o.connections = 256;
            o.max_requests = count;
            o.duration = 1200s;
            return ir::bench::run_load(o);
        };
        const std::size_t start = daemon.rss_bytes();
        load(0, warm);
        const std::size_t before = daemon.rss_bytes();
        const auto r = load(warm, n);
        const std::size_t after = daemon.rss_bytes();
        std::printf(
            "inquiryd: memory %s open_inquiries=%llu rss_start_mib=%.1f rss_warm_mib=%.1f rss_after_mib=%.1f "
            "bytes_per_open_inquiry=%.0f (target < 1024)\n",
            label.c_str(), static_cast<unsigned long long>(warm + (r.by_status.count(202) ? r.by_status.at(202) : 0)),
            static_cast<double>(start) / (1 << 20), static_cast<double>(before) / (1 << 20),
            static_cast<double>(after) / (1 << 20),
            static_cast<double>(after - before) / static_cast<double>(std::max<std::uint64_t>(1, r.requests)));
    }
}

// One open-loop run at `rate` on a fresh daemon, with the commit times' histogram beside
// the events' latency: which of the two makes the tail.
void paced_phase(const fs::path& dir, double rate, double seconds) {
    const auto bodies = make_bodies(50);
    Daemon daemon(dir);
    const auto m = measured(daemon, [&] {
        return drive(daemon.port(), bodies, 128, rate, std::chrono::milliseconds(static_cast<int>(1000 * seconds)));
    });
    report("inquiryd", m.load, 128, rate);
    report_cpu(m);
}

// bench_daemon [SECONDS]: throughput against the machine's two limits, then memory.
// bench_daemon ingest [SECONDS]: the daemon's two runs alone, without the limits or memory.
// bench_daemon memory [N]: memory only, with N open inquiries (default 100,000).
// bench_daemon access [SECONDS]: ingest with bearer tokens checked against without, alternating.
// bench_daemon reads [EVENTS]: timer lateness and ingest p99 while clients hammer the heaviest
// read routes on a store of EVENTS events (default 1,000,000).
// bench_daemon paced [RATE] [SECONDS]: one open-loop run (default 10,000/s for 5 s).
// bench_daemon soak [RATE] [MINUTES]: steady load (default 2,000/s for 20 minutes), see soak.hpp.
// bench_daemon mail [MAILS]: a mail's rename() into new/ to its ASSIGNED alert, one at a time
// (default 300 mails), see mail_latency.hpp.
// bench_daemon mail-slow [N]: a buyer's mail behind N crafted mails that take the parser
// seconds each (default 30), see mail_latency.hpp.
// bench_daemon flood [SECONDS] [QUEUED_MIB]: 1 MB bodies from 128 connections, see flood.hpp.
int main(int argc, char** argv) {
    CLI::App app{"bench_daemon: inquiryd's ingest throughput, memory, access cost and a soak"};
    double seconds = 5.0, rate = 10'000, soak_rate = 2'000, minutes = 20;
    std::size_t inquiries = 100'000;
    app.add_option("SECONDS", seconds, "measured seconds a run")->capture_default_str()->check(CLI::PositiveNumber);
    auto* ingest_cmd = app.add_subcommand("ingest", "the daemon's two runs alone, without the limits or memory");
    ingest_cmd->add_option("SECONDS", seconds, "measured seconds a run")->check(CLI::PositiveNumber);
    auto* memory_cmd = app.add_subcommand("memory", "memory only, with N open inquiries");
    memory_cmd->add_option("N", inquiries, "open inquiries")->capture_default_str()->check(CLI::PositiveNumber);
    auto* access_cmd = app.add_subcommand("access", "ingest with bearer tokens checked against without");
    access_cmd->add_option("SECONDS", seconds, "measured seconds a run")->check(CLI::PositiveNumber);
    std::size_t events = 1'000'000;
    auto* reads_cmd = app.add_subcommand("reads", "timer lateness and ingest p99 while clients hammer the read routes");
    reads_cmd->add_option("EVENTS", events, "events in the store")->capture_default_str()->check(CLI::PositiveNumber);
    auto* paced_cmd = app.add_subcommand("paced", "one open-loop run");
    paced_cmd->add_option("RATE", rate, "events/s")->capture_default_str()->check(CLI::PositiveNumber);
    paced_cmd->add_option("SECONDS", seconds, "measured seconds")->check(CLI::PositiveNumber);
    auto* soak_cmd = app.add_subcommand("soak", "steady load for minutes, see soak.hpp");
    soak_cmd->add_option("RATE", soak_rate, "events/s")->capture_default_str()->check(CLI::PositiveNumber);
    soak_cmd->add_option("MINUTES", minutes, "minutes")->capture_default_str()->check(CLI::PositiveNumber);
    std::size_t mails = 300;
    auto* mail_cmd = app.add_subcommand("mail", "a mail's rename() into new/ to its ASSIGNED alert on the feed");
    mail_cmd->add_option("MAILS", mails, "mails, one at a time")->capture_default_str()->check(CLI::PositiveNumber);
    std::size_t slow_mails = 30;
    auto* slow_cmd =
        app.add_subcommand("mail-slow", "a buyer's mail behind N crafted slow mails: its wait for ASSIGNED");
    slow_cmd->add_option("N", slow_mails, "crafted slow mails")->capture_default_str()->check(CLI::PositiveNumber);
    std::string inquiryd;
    app.add_option("--inquiryd", inquiryd, "the inquiryd to run (default: this build's)")->check(CLI::ExistingFile);
    double flood_seconds = 5;
    std::size_t queued_mib = 64;
    auto* flood_cmd = app.add_subcommand("flood", "1 MB bodies from 128 connections: RSS and webhook p99");
    flood_cmd->add_option("SECONDS", flood_seconds, "seconds of flood")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    flood_cmd->add_option("QUEUED_MIB", queued_mib, "[ingest] max_queued_bytes in MiB")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    CLI11_PARSE(app, argc, argv);
    if (!inquiryd.empty()) ir::bench::set_inquiryd(inquiryd);

    ::signal(SIGPIPE, SIG_IGN);
    char tmpl[] = "/tmp/ir-bench-daemon-XXXXXX";
    const fs::path dir = ::mkdtemp(tmpl);
    if (*memory_cmd) {
        memory_phase(dir, inquiries);
        fs::remove_all(dir);
        return 0;
    }
    if (*slow_cmd) {
        ir::bench::slow_mail(dir, slow_mails);
        fs::remove_all(dir);
        return 0;
    }
    if (*mail_cmd) {
        ir::bench::mail_latency(dir, mails);
        fs::remove_all(dir);
        return 0;
    }
    if (*soak_cmd) {
        const int status = ir::bench::soak(dir, soak_rate, minutes);
        fs::remove_all(dir);
        return status;
    }
    if (*access_cmd) {
        ir::bench::access_cost(dir, std::chrono::milliseconds(static_cast<int>(1000 * seconds)), 3);
        fs::remove_all(dir);
        return 0;
    }
    if (*flood_cmd) {
        ir::bench::flood(dir, flood_seconds, queued_mib);
        fs::remove_all(dir);
        return 0;
    }
    if (*reads_cmd) {
        ir::bench::read_load(dir, events);
        fs::remove_all(dir);
        return 0;
    }
    if (*paced_cmd) {
        paced_phase(dir, rate, seconds);
        fs::remove_all(dir);
        return 0;
    }
    const bool ingest_only = static_cast<bool>(*ingest_cmd);
    const auto run = std::chrono::milliseconds(static_cast<int>(1000 * seconds));
    const auto bodies = make_bodies(50);
    const double bare = ingest_only ? 0 : bare_http_rate(bodies, run);
    const double disk = ingest_only ? 0 : raw_sqlite_rate(dir, bodies, run);
    double closed = 0;
    {
        Daemon daemon(dir);
        // Every event waits for its fsync, so the rate is connections / commit time: it takes
        // many concurrent senders (webhook deliveries, adapters) to fill a group commit.
        const auto max = measured(daemon, [&] { return drive(daemon.port(), bodies, 256, 0, run); });
        report("inquiryd", max.load, 256, 0);
        report_cpu(max);
        closed = max.load.requests_per_second;
        const auto paced = measured(daemon, [&] { return drive(daemon.port(), bodies, 128, 10'000, run); });
        report("inquiryd", paced.load, 128, 10'000);
        report_cpu(paced);
    }
    if (ingest_only) {
        fs::remove_all(dir);
        return 0;
    }
    std::printf("inquiryd: durable events/s = %.0f%% of bare HTTP (target >= 40%%), %.0f%% of raw SQLite inserts\n",
                100 * closed / bare, 100 * closed / disk);
    memory_phase(dir, 100'000);
    fs::remove_all(dir);
    return 0;
}
