#pragma once
// The parts of bench_sla; each prints its own `sla: ...` result lines.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <vector>

namespace bench_sla {

// Percentiles of a set of samples in nanoseconds, reported in microseconds.
struct Percentiles {
    double p50_us = 0;
    double p99_us = 0;
    double max_us = 0;
};

inline Percentiles percentiles(std::vector<std::int64_t> ns) {
    if (ns.empty()) return {};
    std::sort(ns.begin(), ns.end());
    const auto at = [&](double q) {
        const auto i = static_cast<std::size_t>(q * static_cast<double>(ns.size() - 1) + 0.5);
        return static_cast<double>(ns[i]) / 1000.0;
    };
    return {at(0.50), at(0.99), static_cast<double>(ns.back()) / 1000.0};
}

// (b) a bare steady_timer re-armed `wakeups` times for short random delays.
Percentiles timer_floor(int wakeups);
// (a) `clocks` clocks with deadlines spread over `spread`, one steady_timer; prints a line.
void alert_lateness(std::size_t clocks, std::chrono::milliseconds spread, const Percentiles& floor);
// (c) and (d): bytes per open clock and ops/s over `clocks` clocks.
void memory_and_ops(std::size_t clocks);

}  // namespace bench_sla
