#include "flood.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "daemon_harness.hpp"
#include "ir/bench/load_generator.hpp"

namespace ir::bench {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t kBodyBytes = 1'000'000;
constexpr std::size_t kFloodConnections = 128;
constexpr double kWebhookRate = 20;
constexpr const char* kSecret = "bench-telegram-secret";

// A few dev-set events whose body is padded (plain ASCII: no escapes) to make the request
// kBodyBytes; the load generator makes each message_id unique.
std::vector<std::string> big_bodies() {
    static constexpr std::string_view filler = "Please quote 500 pcs of the X9 smart watch, carton size? ";
    auto bodies = make_bodies(1);
    bodies.resize(8);
    for (auto& b : bodies) {
        auto e = boost::json::parse(b).as_object();
        e["body"] = "";
        const std::size_t room = kBodyBytes - boost::json::serialize(e).size();
        std::string body;
        while (body.size() < room) body += filler;
        body.resize(room);
        e["body"] = body;
        b = boost::json::serialize(e);
    }
    return bodies;
}

// Telegram updates, each its own update and chat, enough for the whole run.
std::vector<std::string> telegram_updates(std::size_t n) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < n; ++i) {
        const auto id = static_cast<std::int64_t>(800000 + i);
        boost::json::object chat{{"id", id}, {"type", "private"}};
        boost::json::object from{{"id", id}, {"is_bot", false}, {"first_name", "Bench"}};
        boost::json::object msg{{"message_id", 1},
                                {"date", 1795162500},
                                {"chat", chat},
                                {"from", from},
                                {"text", "Hello, 500 pcs X9 smart watch, price?"}};
        out.push_back(boost::json::serialize(boost::json::object{{"update_id", id}, {"message", msg}}));
    }
    return out;
}

LoadResult webhooks(std::uint16_t port, double seconds) {
    LoadOptions o;
    o.port = port;
    o.path = "/v1/webhooks/telegram";
    o.headers = {{"X-Telegram-Bot-Api-Secret-Token", kSecret}};
    o.bodies = telegram_updates(static_cast<std::size_t>(kWebhookRate * (seconds + 2)) + 100);
    o.unique_message_ids = false;
    o.connections = 4;
    o.rate = kWebhookRate;
    o.duration = std::chrono::milliseconds(static_cast<int>(1000 * seconds));
    o.timeout = 30s;
    return run_load(o);
}

std::uint64_t count(const LoadResult& r, unsigned status) {
    return r.by_status.count(status) ? r.by_status.at(status) : 0;
}

// One daemon, one flood: its bodies and connections, the bytes it may hold, its [http] limits.
struct Phase {
    const char* label;
    std::size_t queued_bytes;
    std::string http_config;
    bool big_bodies;
    std::size_t connections;
};

void run(const fs::path& dir, double seconds, const Phase& p) {
    fs::create_directories(dir);
    const auto secret = dir / "telegram.secret";
    std::ofstream(secret) << kSecret << "\n";
    fs::permissions(secret, fs::perms::owner_read | fs::perms::owner_write);
    Daemon d(dir,
             "[ingest]\nmax_queued_bytes = " + std::to_string(p.queued_bytes) +
                 "\n[adapters.telegram]\naccount = \"aliexpress-jewelry\"\nsecret_token_file = \"" + secret.string() +
                 "\"\n",
             p.http_config);
    const auto quiet = webhooks(d.port(), 2);  // the webhook's latency with nothing else going on
    const std::size_t before = d.rss_bytes();
    std::atomic<bool> done{false};
    std::size_t peak = before;
    std::thread sampler([&] {
        while (!done) {
            peak = std::max(peak, d.rss_bytes());
            std::this_thread::sleep_for(10ms);
        }
    });
    LoadResult hooks;
    std::thread prober([&] { hooks = webhooks(d.port(), seconds); });
    LoadOptions o;
    o.port = d.port();
    o.bodies = p.big_bodies ? big_bodies() : make_bodies(1);
    o.connections = p.connections;
    o.duration = std::chrono::milliseconds(static_cast<int>(1000 * seconds));
    o.timeout = 30s;
    const auto flood = run_load(o);
    prober.join();
    done = true;
    sampler.join();
    const bool bounded = p.queued_bytes < (std::size_t{1} << 40);
    std::printf(
        "inquiryd: flood %s conns=%zu body_bytes=%zu seconds=%.0f max_queued_mib=%s requests=%llu http202=%llu "
        "http429=%llu http503=%llu errors=%llu rss_before_mib=%.0f rss_peak_mib=%.0f peak_minus_before_mib=%.0f",
        p.label, p.connections, p.big_bodies ? kBodyBytes : o.bodies.front().size(), seconds,
        bounded ? std::to_string(p.queued_bytes >> 20).c_str() : "none",
        static_cast<unsigned long long>(flood.requests), static_cast<unsigned long long>(count(flood, 202)),
        static_cast<unsigned long long>(count(flood, 429)), static_cast<unsigned long long>(count(flood, 503)),
        static_cast<unsigned long long>(flood.errors), before / 1048576.0, peak / 1048576.0,
        (peak - before) / 1048576.0);
    if (bounded)
        std::printf(" growth_per_bound=%.1f", static_cast<double>(peak - before) / static_cast<double>(p.queued_bytes));
    std::printf("\n");
    std::printf(
        "inquiryd: flood %s webhook=telegram rate=%.0f quiet_p50_ms=%.1f quiet_p99_ms=%.1f during: requests=%llu "
        "http200=%llu other=%llu p50_ms=%.1f p99_ms=%.1f max_ms=%.1f\n",
        p.label, kWebhookRate, quiet.p50_us / 1000, quiet.p99_us / 1000, static_cast<unsigned long long>(hooks.requests),
        static_cast<unsigned long long>(count(hooks, 200)),
        static_cast<unsigned long long>(hooks.requests - count(hooks, 200) + hooks.errors), hooks.p50_us / 1000,
        hooks.p99_us / 1000, hooks.max_us / 1000);
    std::fflush(stdout);
    d.stop();
}

}  // namespace

void flood(const fs::path& dir, double seconds, std::size_t queued_mib) {
    const std::string none = Daemon::kNoClientLimits;
    const Phase phases[] = {
        {"bounded", queued_mib << 20, none, true, kFloodConnections},
        {"unbounded", std::size_t{1} << 40, none, true, kFloodConnections},
        // One client over its rate (100 requests/s: a 2-core machine answers small events
        // from one client below the default 1,000/s) posting small events as fast as it
        // can; its webhooks (4 of its connections) have a bucket of their own.
        {"one-client", queued_mib << 20, "max_connections_per_client = 64\nrate_per_client = 100\n", false, 32},
    };
    for (const auto& p : phases) {
        run(dir / p.label, seconds, p);
        fs::remove_all(dir / p.label);
    }
}

}  // namespace ir::bench
