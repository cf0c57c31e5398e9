#include "read_load.hpp"

#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "daemon_harness.hpp"
#include "ir/bench/load_generator.hpp"

namespace ir::bench {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

// Warning 3 s after a message, breach at 4 s: alarms of inquiries posted within a second
// of their received_at all lie ahead, so lateness measures the timer, not the post.
constexpr const char* kSla = "[sla]\nfast = \"4s\"\nfast_warning = \"1s\"\ntimely = \"1h\"\ntimely_warning = \"30m\"\n";
constexpr double kRate = 500;  // fresh inquiries a second in the measured phases

const char* const kReadPaths[] = {
    "/v1/alerts?since=0&topic=queue/&limit=10000",  // dense: a page of 10,000
    "/v1/alerts?since=0&topic=nomatch/",            // sparse: nothing to find
    "/v1/inquiries?limit=1000",
    "/v1/stats/replies?since=1970-01-01T00:00:00Z",
};

// `copies` x 64 bodies received now, each its own conversation tagged `tag`.
std::vector<std::string> fresh_bodies(std::size_t copies, const std::string& tag) {
    auto bodies = make_bodies(copies);
    for (auto& b : bodies) {
        auto e = boost::json::parse(b).as_object();
        e["thread_id"] = std::string(e["thread_id"].as_string()) + "-" + tag;
        b = boost::json::serialize(e);
    }
    return bodies;
}

struct Phase {
    double lateness_p99_ms = 0;
    double lateness_max_bucket_ms = 0;
    double timer_p99_ms = 0;  // the loop's part: the timer's decision, before the commit
    double ingest_p99_us = 0;
    double alerts = 0;
    std::vector<LoadResult> reads;
};

// `seconds` one-second slices of fresh inquiries at kRate, while `hammer` clients read.
Phase run_phase(const Daemon& d, int seconds, bool hammer, int& slice) {
    std::atomic<bool> stop{false};
    Phase p;
    p.reads.resize(hammer ? std::size(kReadPaths) : 0);
    std::vector<std::thread> readers;
    for (std::size_t i = 0; i < p.reads.size(); ++i)
        readers.emplace_back([&, i] {
            LoadOptions o;
            o.port = d.port();
            o.method = "GET";
            o.path = kReadPaths[i];
            o.connections = 2;
            o.duration = std::chrono::milliseconds(seconds * 1000 + 4000);  // past the last alarms
            o.timeout = 60s;
            p.reads[i] = run_load(o);
        });
    const auto before = scrape(d.port());
    double worst_ingest = 0;
    for (int s = 0; s < seconds; ++s) {
        LoadOptions o;
        o.port = d.port();
        o.bodies = fresh_bodies(static_cast<std::size_t>(kRate / 64) + 1, "slice" + std::to_string(++slice));
        o.connections = 32;
        o.rate = kRate;
        o.duration = 1s;
        worst_ingest = std::max(worst_ingest, run_load(o).p99_us);
    }
    std::this_thread::sleep_for(4500ms);  // the last slice's breaches come due
    auto after = scrape(d.port());
    for (auto& [name, value] : after) value -= before.count(name) ? before.at(name) : 0;
    for (auto& t : readers) t.join();
    p.lateness_p99_ms = 1000 * quantile_bound(after, "inquiryd_alert_lateness_seconds_bucket", 0.99);
    p.lateness_max_bucket_ms = 1000 * quantile_bound(after, "inquiryd_alert_lateness_seconds_bucket", 1.0);
    p.timer_p99_ms = 1000 * quantile_bound(after, "inquiryd_timer_lateness_seconds_bucket", 0.99);
    p.alerts = after["inquiryd_alert_lateness_seconds_count"];
    p.ingest_p99_us = worst_ingest;
    return p;
}

void print_phase(const char* label, const Phase& p) {
    std::printf(
        "inquiryd: reads hammer=%s alerts=%.0f lateness_p99_ms<=%.1f lateness_max_ms<=%.1f "
        "timer_p99_ms<=%.1f (target <= 5) ingest_p99_us(worst second)=%.0f\n",
        label, p.alerts, p.lateness_p99_ms, p.lateness_max_bucket_ms, p.timer_p99_ms, p.ingest_p99_us);
    for (std::size_t i = 0; i < p.reads.size(); ++i) {
        const auto& r = p.reads[i];
        std::printf("inquiryd: reads   GET %s requests/s=%.1f p50_ms=%.1f p99_ms=%.1f http200=%llu http503=%llu\n",
                    kReadPaths[i], r.requests_per_second, r.p50_us / 1000, r.p99_us / 1000,
                    static_cast<unsigned long long>(r.by_status.count(200) ? r.by_status.at(200) : 0),
                    static_cast<unsigned long long>(r.by_status.count(503) ? r.by_status.at(503) : 0));
    }
}

}  // namespace

void read_load(const fs::path& dir, std::size_t events) {
    Daemon d(dir, kSla);
    const auto fill_start = Clock::now();
    {
        LoadOptions o;
        o.port = d.port();
        o.bodies = fresh_bodies(std::max<std::size_t>(1, events / 64 / 8), "fill");  // 8 messages a conversation
        o.connections = 256;
        o.max_requests = events;
        o.duration = 3600s;
        const auto r = run_load(o);
        std::printf("inquiryd: reads store filled with %llu events in %.0f s\n",
                    static_cast<unsigned long long>(r.requests),
                    std::chrono::duration<double>(Clock::now() - fill_start).count());
    }
    std::this_thread::sleep_for(5s);  // the fill's own alarms have fired
    const auto m = scrape(d.port());
    std::printf("inquiryd: reads store: %.0f alerts published, %.0f open inquiries\n",
                m.count("inquiryd_alerts_published_total") ? m.at("inquiryd_alerts_published_total") : 0,
                m.count("inquiryd_open_inquiries") ? m.at("inquiryd_open_inquiries") : 0);
    int slice = 0;
    print_phase("off", run_phase(d, 10, false, slice));
    print_phase("on", run_phase(d, 10, true, slice));
}

}  // namespace ir::bench
