// bench_notify [SECONDS] [RATE] [limits|unlimited]: alerts committed to a real store at RATE
// a second (default 1,000) for SECONDS (default 5), 10 destinations each delivering all of
// them over loopback HTTP as DingTalk robots (their payload and signature). "unlimited": every
// alert its own POST; "limits" (the default): DingTalk's 20 messages a minute (or
// --rate-limit), so what is over the limit goes in digests. Waits at most --max-wait seconds
// after the last commit for every alert to arrive, then prints per destination the alerts
// delivered, the messages, and the lag from commit to arrival.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <thread>

#include "ir/notify/notifier.hpp"
#include "ir/store/database.hpp"
#include "receiver.hpp"

using namespace std::chrono_literals;
using bench_notify::now_ms;
using bench_notify::Receiver;

namespace {

constexpr int kDestinations = 10;

struct Options {
    int seconds = 5;
    int rate = 1000;
    std::string mode = "limits";
    std::string rate_limit;  // empty: DingTalk's documented limit
    int max_wait = 60;
};

std::string alert_payload(std::uint64_t seq, std::int64_t ms) {
    inquiry::v1::Alert a;
    a.set_seq(seq);
    a.set_kind(inquiry::v1::ALERT_KIND_BREACH);
    a.set_clock(inquiry::v1::CLOCK_KIND_FAST);
    a.set_inquiry_id(seq);
    a.set_account("alibaba-electronics");
    a.set_tier(2);
    a.mutable_deadline()->set_seconds(ms / 1000);
    a.mutable_fired_at()->set_seconds(ms / 1000);
    a.mutable_fired_at()->set_nanos(static_cast<int>(ms % 1000) * 1'000'000);
    a.set_topic("queue/alibaba-electronics/");
    return a.SerializeAsString();
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

ir::notify::NotifierOptions notifier_options(const Options& opt, const std::filesystem::path& dir,
                                             unsigned short port) {
    ir::notify::NotifierOptions o;
    o.database = dir / "inquiryd.db";
    o.state_dir = dir;
    for (int i = 0; i < kDestinations; ++i) {
        ir::notify::Destination d;
        d.spec.name = "dest" + std::to_string(i);
        d.spec.kind = ir::notify::Kind::dingtalk;  // its documented limits, its signature
        d.secret = ir::adapters::Secret("SECbench");
        d.spec.url = "http://127.0.0.1:" + std::to_string(port) + "/d" + std::to_string(i);
        d.spec.allow_plain_http = true;
        d.spec.unlimited = opt.mode == "unlimited";
        if (!d.spec.unlimited && !opt.rate_limit.empty())
            d.spec.rate_limits = {*ir::notify::parse_rate_limit(opt.rate_limit)};
        o.destinations.push_back(std::move(d));
    }
    return o;
}

// Commits RATE alerts a second, a commit every 10 ms, waking the notifier after each as the
// daemon does. Returns when each seq was committed (ms since the epoch, index = seq).
std::vector<std::int64_t> produce(const Options& opt, ir::store::Database& db, ir::notify::Notifier& notifier) {
    std::vector<std::int64_t> committed_ms(1, 0);
    const auto start = std::chrono::steady_clock::now();
    const int per_tick = std::max(1, opt.rate / 100);
    for (int tick = 0; tick < opt.seconds * 100; ++tick) {
        std::this_thread::sleep_until(start + tick * 10ms);
        ir::store::Change c;
        const auto ms = now_ms();
        for (int i = 0; i < per_tick; ++i) {
            const auto seq = committed_ms.size() + static_cast<std::size_t>(i);
            c.alerts.push_back({static_cast<std::int64_t>(seq), "queue/alibaba-electronics/", ir::sla::from_unix_ms(ms),
                                alert_payload(seq, ms)});
        }
        if (auto e = db.apply(c)) throw std::runtime_error(e->message);
        committed_ms.resize(committed_ms.size() + static_cast<std::size_t>(per_tick), now_ms());
        notifier.wake(static_cast<std::int64_t>(committed_ms.size() - 1));
    }
    return committed_ms;
}

// Until every destination has every alert, or `max_wait` has passed.
void drain(Receiver& receiver, std::size_t alerts, std::chrono::seconds max_wait) {
    const auto until = std::chrono::steady_clock::now() + max_wait;
    while (std::chrono::steady_clock::now() < until) {
        const auto st = receiver.stats();
        if (st.size() == kDestinations &&
            std::all_of(st.begin(), st.end(), [&](const auto& kv) { return kv.second.alerts == alerts; }))
            return;
        std::this_thread::sleep_for(50ms);
    }
}

// Prints each destination's and the overall figures; false when an alert did not arrive.
bool report(Receiver& receiver, const std::vector<std::int64_t>& committed_ms, double total_s) {
    const std::size_t alerts = committed_ms.size() - 1;
    std::vector<double> all;
    std::size_t delivered = 0;
    for (const auto& [path, st] : receiver.stats()) {
        std::vector<double> lags;
        for (std::size_t s = 1; s < st.arrival_ms.size() && s <= alerts; ++s)
            if (st.arrival_ms[s]) lags.push_back(static_cast<double>(st.arrival_ms[s] - committed_ms[s]) / 1000.0);
        all.insert(all.end(), lags.begin(), lags.end());
        delivered += st.alerts;
        std::printf("  %-4s %6zu alerts in %5zu messages; lag p50 %.3f s  p99 %.3f s  max %.3f s\n", path.c_str(),
                    st.alerts, st.messages, percentile(lags, 0.5), percentile(lags, 0.99), percentile(lags, 1.0));
    }
    std::printf("throughput: %.0f alerts/s delivered in total (%zu of %zu x %d) until the last arrived at %.2f s\n",
                static_cast<double>(delivered) / total_s, delivered, alerts, kDestinations, total_s);
    std::printf("lag over all destinations: p50 %.3f s  p99 %.3f s  max %.3f s\n", percentile(all, 0.5),
                percentile(all, 0.99), percentile(all, 1.0));
    if (receiver.refused()) std::printf("requests the receiver could not read: %zu\n", receiver.refused());
    const bool complete = delivered == alerts * kDestinations;
    if (!complete) std::fprintf(stderr, "bench_notify: %zu alerts not delivered\n", alerts * kDestinations - delivered);
    return complete;
}

std::string describe(const Options& opt) {
    if (opt.mode == "unlimited") return "no rate limit (one POST per alert)";
    const std::string limit = opt.rate_limit.empty() ? "20/1m (DingTalk's)" : opt.rate_limit;
    return "rate limit " + limit + " each, the rest in digests";
}

int run(const Options& opt) {
    const auto dir = std::filesystem::temp_directory_path() / ("ir_bench_notify_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto db = ir::store::Database::open({dir / "inquiryd.db"});
    if (!db) return std::fprintf(stderr, "%s\n", db.error().message.c_str()), 1;
    Receiver receiver;
    auto notifier = ir::notify::Notifier::start(notifier_options(opt, dir, receiver.port()));
    if (!notifier) return std::fprintf(stderr, "%s\n", notifier.error().message.c_str()), 1;
    const auto start = std::chrono::steady_clock::now();
    const auto committed_ms = produce(opt, **db, **notifier);
    const auto produced_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    drain(receiver, committed_ms.size() - 1, std::chrono::seconds(opt.max_wait));
    const auto total_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const auto alerts = committed_ms.size() - 1;
    std::printf("bench_notify: %zu alerts in %.2f s (%.0f/s committed), %d destinations, %s\n", alerts, produced_s,
                static_cast<double>(alerts) / produced_s, kDestinations, describe(opt).c_str());
    const bool complete = report(receiver, committed_ms, total_s);
    (*notifier)->stop();
    std::filesystem::remove_all(dir);
    return complete ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"bench_notify: the notifier's throughput and lag, 10 DingTalk destinations over loopback HTTP"};
    Options opt;
    app.add_option("SECONDS", opt.seconds, "seconds of alerts")->capture_default_str()->check(CLI::Range(1, 600));
    app.add_option("RATE", opt.rate, "alerts a second")->capture_default_str()->check(CLI::Range(1, 100'000));
    app.add_option("MODE", opt.mode, "limits: the robots' rate limit, digests beyond; unlimited: a POST an alert")
        ->capture_default_str()
        ->check(CLI::IsMember({"limits", "unlimited"}));
    app.add_option("--rate-limit", opt.rate_limit, "limits mode: N/WINDOW instead of DingTalk's 20/1m")
        ->check([](const std::string& s) { return ir::notify::parse_rate_limit(s) ? "" : "not N/WINDOW: " + s; });
    app.add_option("--max-wait", opt.max_wait, "seconds to wait after the last commit for every alert")
        ->capture_default_str()
        ->check(CLI::Range(1, 3600));
    CLI11_PARSE(app, argc, argv);
    try {
        return run(opt);
    } catch (const std::exception& e) {
        return std::fprintf(stderr, "bench_notify: %s\n", e.what()), 1;
    }
}
