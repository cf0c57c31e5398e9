// bench_sla [all|lateness|floor|memory] : the SLA engine's speed and memory targets.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>
#include <string_view>

#include "bench_sla.hpp"

int main(int argc, char** argv) {
    using namespace std::chrono_literals;
    CLI::App app{"bench_sla: the SLA engine's speed and memory targets"};
    std::string what = "all";
    app.add_option("WHAT", what, "which part to run")
        ->capture_default_str()
        ->check(CLI::IsMember({"all", "lateness", "floor", "memory"}));
    CLI11_PARSE(app, argc, argv);
    bench_sla::Percentiles floor;
    if (what == "all" || what == "floor" || what == "lateness") {
        floor = bench_sla::timer_floor(3000);
        std::printf("sla: floor steady_timer wakeups=3000 p50_us=%.0f p99_us=%.0f max_us=%.0f\n", floor.p50_us,
                    floor.p99_us, floor.max_us);
        std::fflush(stdout);
    }
    if (what == "all" || what == "lateness") bench_sla::alert_lateness(100'000, 60s, floor);
    if (what == "all" || what == "memory") bench_sla::memory_and_ops(1'000'000);
    return 0;
}
