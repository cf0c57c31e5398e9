// Mail at once: rename() into new/ to ASSIGNED on the feed.
#include "mail_latency.hpp"

#include <chrono>
#include <cstdio>
#include <random>
#include <thread>

#include "daemon_harness.hpp"
#include "mail_bench.hpp"

namespace ir::bench {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

void mail_latency(const fs::path& dir, std::size_t mails) {
    MailBench bench(dir);
    bench.warm_up();
    std::mt19937 rng(42);
    std::vector<double> ms;
    std::size_t lost = 0;
    const std::string load = machine_load();
    for (std::size_t i = 0; i < mails; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 20));  // not in step with anything
        const auto sent = bench.deliver("1700000000." + std::to_string(i) + ".bench", bench.buyer_mail(i));
        const auto got = bench.next_assigned(10s);
        if (!got) {
            ++lost;
            continue;
        }
        ms.push_back(std::chrono::duration<double, std::milli>(*got - sent).count());
    }
    const auto metrics = scrape(bench.daemon().port());
    std::printf(
        "mail: rename-to-ASSIGNED mails=%zu p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f (target p99 < 50) "
        "missing=%zu machine=\"%s\"\n",
        ms.size(), percentile(ms, 0.50), percentile(ms, 0.90), percentile(ms, 0.99), percentile(ms, 1.0), lost,
        load.c_str());
    std::printf("inquiryd: p99_ms_at_most commit_transaction=%g",
                1e3 * quantile_bound(metrics, "inquiryd_commit_latency_seconds_bucket{", 0.99));
    for (const char* stage : {"analysis", "commit", "answer"})
        std::printf(
            " %s=%g", stage,
            1e3 * quantile_bound(metrics, std::string("inquiryd_event_stage_seconds_bucket{stage=\"") + stage + "\",",
                                 0.99));
    std::printf("\n");
}

namespace {

// A mail GMime takes seconds over: many thousand MIME parts (the parser's part limit is
// checked on the tree it has built, so the whole of it is built first).
std::string crafted_slow_mail(std::size_t n) {
    std::string m = "From: x" + std::to_string(n) + "@spam.example\r\nTo: sales@seller.example\r\nSubject: hi\r\n" +
                    "Message-ID: <slow-" + std::to_string(n) +
                    "@spam.example>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=BB\r\n\r\n";
    for (int i = 0; i < 150'000; ++i) m += "--BB\r\nContent-Type: text/plain\r\n\r\nx\r\n";
    return m + "--BB--\r\n";
}

}  // namespace

void slow_mail(const fs::path& dir, std::size_t slow) {
    MailBench bench(dir);  // the defaults: parse_budget 1 s, parse_timeout 5 s, 6 slow parses a minute
    bench.warm_up();
    const std::string load = machine_load();
    const std::string crafted = crafted_slow_mail(0);
    for (std::size_t i = 0; i < slow; ++i) bench.deliver("1700000000." + std::to_string(i) + ".crafted", crafted);
    const auto sent = bench.deliver("1700000001.0.buyer", bench.buyer_mail(0));
    constexpr double budget_s = 1.0, strict_s = 0.1, timeout_s = 5.0;
    constexpr std::size_t per_minute = 6;
    const double bound_s = static_cast<double>(std::min(slow, per_minute)) * budget_s +
                           static_cast<double>(slow - std::min(slow, per_minute)) * strict_s;
    const auto got = bench.next_assigned(std::chrono::seconds(static_cast<int>(3 * bound_s) + 60));
    auto metrics = scrape(bench.daemon().port());
    const double set_aside = metrics["inquiryd_mail_slow_total{account=\"alibaba-electronics\"}"];
    if (!got) {
        std::printf("mail: slow crafted=%zu the buyer's mail got no ASSIGNED in time (set_aside=%.0f)\n", slow,
                    set_aside);
        return;
    }
    std::printf(
        "mail: slow crafted=%zu (%zu bytes, 150,000 MIME parts each) buyer_rename_to_ASSIGNED_s=%.2f "
        "budgets_s=%.1f (%zu x %.1f + %zu x %.1f) one_parse_timeout_each_s=%.0f set_aside=%.0f machine=\"%s\"\n",
        slow, crafted.size(), std::chrono::duration<double>(*got - sent).count(), bound_s, std::min(slow, per_minute),
        budget_s, slow - std::min(slow, per_minute), strict_s, static_cast<double>(slow) * timeout_s, set_aside,
        load.c_str());
}

}  // namespace ir::bench
