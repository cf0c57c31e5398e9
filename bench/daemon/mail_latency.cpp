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

}  // namespace ir::bench
