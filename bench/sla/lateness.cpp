// (a) Alert lateness: the daemon's shape, one steady_timer armed for the engine's next
// deadline, firing whatever on_tick(now) returns. Lateness = when the alarm's effect is in
// hand minus its moment. (b) The floor: how late a bare steady_timer wakes on this machine.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdio>
#include <functional>
#include <random>
#include <stdexcept>

#include "bench_sla.hpp"
#include "ir/sla/engine.hpp"

namespace bench_sla {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;
using ir::sla::TimePoint;

Percentiles timer_floor(int wakeups) {
    asio::io_context io;
    asio::steady_timer timer(io);
    std::mt19937 rng(1);
    std::vector<std::int64_t> late;
    late.reserve(static_cast<std::size_t>(wakeups));
    std::function<void()> arm = [&] {
        const auto expiry = Steady::now() + std::chrono::microseconds{200 + rng() % 1800};
        timer.expires_at(expiry);
        timer.async_wait([&, expiry](const boost::system::error_code& ec) {
            if (ec) return;
            late.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(Steady::now() - expiry).count());
            if (static_cast<int>(late.size()) < wakeups) arm();
        });
    };
    arm();
    io.run();
    return percentiles(std::move(late));
}

namespace {

// Engine time is wall-clock milliseconds; the bench maps it onto the steady clock once,
// as the daemon does each time it arms its timer.
struct TimeMap {
    TimePoint sys0 = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
    Steady::time_point steady0 = Steady::now();
    TimePoint engine_now() const {
        return sys0 + std::chrono::floor<std::chrono::milliseconds>(Steady::now() - steady0);
    }
    Steady::time_point steady(TimePoint t) const { return steady0 + (t - sys0); }
};

ir::sla::SlaPolicy bench_policy() {
    ir::sla::SlaPolicy p;
    p.defaults.fast = 2min;  // longer than the spread, so every clock starts in the past
    p.defaults.fast_warning = 500ms;
    p.defaults.timely = 1h;  // beyond the run
    p.defaults.timely_warning = 0ms;
    if (!ir::sla::validate(p).empty()) throw std::logic_error("bench_sla: invalid policy: " + ir::sla::validate(p)[0]);
    return p;
}

// Starts `clocks` clocks whose fast deadlines are spread evenly over [first, first + spread).
void start_clocks(ir::sla::SlaEngine& engine, std::size_t clocks, TimePoint now, TimePoint first,
                  std::chrono::milliseconds spread) {
    using namespace ir::sla;
    for (std::size_t i = 0; i < clocks; ++i) {
        const auto offset = std::chrono::milliseconds{static_cast<std::int64_t>(i) * spread.count() /
                                                      static_cast<std::int64_t>(clocks)};
        const Subject s{ClockId{i + 1}, InquiryId{i + 1}, AccountId{static_cast<std::uint32_t>(i % 8 + 1)},
                        tier_from_index(i % 4), false};
        engine.on_buyer_message(BuyerMessage{s, first + offset - 2min}, now);
    }
}

struct LatenessRun {
    ir::sla::SlaEngine engine{bench_policy()};
    TimeMap map;
    TimePoint last_deadline{};
    std::vector<std::int64_t> late_ns;
    std::size_t effects = 0;
    asio::io_context io;
    asio::steady_timer timer{io};

    void record(const ir::sla::Effects& fx, Steady::time_point done) {
        effects += fx.size();
        for (const ir::sla::Effect& e : fx) {
            TimePoint due{};
            if (const auto* w = std::get_if<ir::sla::Warning>(&e))
                due = w->due_at;
            else if (const auto* b = std::get_if<ir::sla::Breach>(&e))
                due = b->deadline;
            else
                continue;
            late_ns.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(done - map.steady(due)).count());
        }
    }

    void arm() {
        const auto next = engine.next_deadline();
        if (!next || *next > last_deadline) return;  // all fast alarms fired: io.run() returns
        timer.expires_at(map.steady(*next));
        timer.async_wait([this](const boost::system::error_code& ec) {
            if (ec) return;
            const ir::sla::Effects fx = engine.on_tick(map.engine_now());  // decided again with a fresh now
            record(fx, Steady::now());
            arm();
        });
    }
};

}  // namespace

void alert_lateness(std::size_t clocks, std::chrono::milliseconds spread, const Percentiles& floor) {
    LatenessRun run;
    const TimePoint now = run.map.engine_now();
    const TimePoint first = now + 2s;
    run.last_deadline = first + spread;
    start_clocks(run.engine, clocks, now, first, spread);
    run.late_ns.reserve(clocks * 2);
    std::printf("sla: lateness started clocks=%zu spread_s=%lld (runs ~%lld s)\n", clocks,
                static_cast<long long>(spread.count() / 1000), static_cast<long long>(spread.count() / 1000 + 2));
    std::fflush(stdout);
    asio::steady_timer guard(run.io);  // a hard stop, whatever happens
    guard.expires_after(spread + 30s);
    guard.async_wait([&](const boost::system::error_code& ec) {
        if (!ec) run.io.stop();
    });
    run.arm();
    while (run.engine.next_deadline() && *run.engine.next_deadline() <= run.last_deadline && !run.io.stopped()) {
        run.io.run_one();
    }
    const std::size_t alarms = run.late_ns.size();
    const Percentiles p = percentiles(std::move(run.late_ns));
    std::printf(
        "sla: lateness clocks=%zu alarms=%zu effects=%zu p50_us=%.0f p99_us=%.0f max_us=%.0f "
        "(floor steady_timer p50_us=%.0f p99_us=%.0f)\n",
        clocks, alarms, run.effects, p.p50_us, p.p99_us, p.max_us, floor.p50_us, floor.p99_us);
    std::fflush(stdout);
}

}  // namespace bench_sla
