#include "soak.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <map>
#include <string>
#include <thread>

#include "daemon_harness.hpp"
#include "ir/bench/load_generator.hpp"

namespace ir::bench {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kSampleEvery = 30s;
constexpr int kSamplesPerSighup = 2;  // one SIGHUP a minute

double mib(double bytes) {
    return bytes / (1 << 20);
}

double file_bytes(const fs::path& p) {
    std::error_code ec;
    const auto n = fs::file_size(p, ec);
    return ec ? 0 : static_cast<double>(n);
}

// The sum of every sample of a counter, whatever its labels.
double total(const std::map<std::string, double>& metrics, const std::string& name) {
    double sum = 0;
    for (const auto& [sample, value] : metrics)
        if (sample == name || sample.rfind(name + "{", 0) == 0) sum += value;
    return sum;
}

std::map<std::string, double> minus(std::map<std::string, double> after, const std::map<std::string, double>& before) {
    for (const auto& [name, value] : before) after[name] -= value;
    return after;
}

}  // namespace

int soak(const fs::path& dir, double rate, double minutes) {
    const auto bodies = make_bodies(300);  // 19,200 conversations
    Daemon daemon(dir);
    LoadOptions options;
    options.port = daemon.port();
    options.bodies = bodies;
    options.connections = 64;
    options.rate = rate;
    options.duration = std::chrono::milliseconds(static_cast<long long>(minutes * 60'000));
    LoadResult result;
    std::thread load([&] { result = run_load(options); });

    const fs::path db = dir / "state" / "inquiryd.db", wal = dir / "state" / "inquiryd.db-wal";
    const auto start = Clock::now(), end = start + options.duration;
    auto previous = scrape(daemon.port());
    double first_rss = 0, first_dedupe = 0, first_accepted = 0;
    std::printf("soak: rate=%.0f/s minutes=%g conversations=%zu (a SIGHUP every minute)\n", rate, minutes,
                bodies.size());
    bool up = true;
    for (int sample = 1; start + sample * kSampleEvery <= end; ++sample) {
        std::this_thread::sleep_until(start + sample * kSampleEvery);
        std::map<std::string, double> now;
        try {
            now = scrape(daemon.port());
        } catch (const std::exception&) {  // refused or reset: it is gone
            up = false;
        }
        if (!(up = up && daemon.running())) break;
        const auto interval = minus(now, previous);
        previous = now;
        const double rss = static_cast<double>(daemon.rss_bytes());
        const double accepted = total(now, "inquiryd_events_accepted_total");
        if (sample == 1) {
            first_rss = rss;
            first_dedupe = now.at("inquiryd_dedupe_index_bytes");
            first_accepted = accepted;
        }
        std::printf(
            "soak: t=%llds accepted=%.0f rejected=%.0f commit_failures=%.0f rss_mib=%.1f fds=%zu db_mib=%.0f "
            "wal_mib=%.1f dedupe_mib=%.1f open_inquiries=%.0f p99_ms_at_most=%g\n",
            static_cast<long long>(std::chrono::duration_cast<std::chrono::seconds>(sample * kSampleEvery).count()),
            accepted, total(now, "inquiryd_events_rejected_total"), total(now, "inquiryd_commit_failures_total"),
            mib(rss), daemon.open_fds(), mib(file_bytes(db)), mib(file_bytes(wal)),
            mib(now.at("inquiryd_dedupe_index_bytes")), now.at("inquiryd_open_inquiries"),
            1e3 * quantile_bound(interval, "http_request_duration_seconds_bucket{", 0.99));
        std::fflush(stdout);
        if (sample % kSamplesPerSighup == 0) ::kill(daemon.pid(), SIGHUP);
        if (sample > 1) {
            const double per_million = 1e6 / std::max(1.0, accepted - first_accepted);
            std::printf("soak: since t=30s, per million events: rss_mib=%+.1f dedupe_mib=%+.1f\n",
                        mib(rss - first_rss) * per_million,
                        mib(now.at("inquiryd_dedupe_index_bytes") - first_dedupe) * per_million);
        }
    }
    load.join();
    std::printf("%s\n", format_result("soak", options, result).c_str());

    std::string failed;
    if (!up || !daemon.running()) failed += " the daemon died;";
    const auto answered = result.by_status.count(202) ? result.by_status.at(202) : 0;
    if (result.errors || answered != result.requests) failed += " not every request got its 202;";
    if (result.not_sent) failed += " the load generator fell behind (lower the rate);";
    if (up) {
        const int status = daemon.stop();
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) failed += " SIGTERM did not end it with status 0;";
    }
    std::printf("soak: %s\n", failed.empty() ? "ok" : ("FAILED:" + failed).c_str());
    return failed.empty() ? 0 : 1;
}

}  // namespace ir::bench
