// (c) Memory per open clock, from the allocator's own count (mallinfo2) before and after
// creating the clocks. (d) Throughput of starts, one big tick and replies on those clocks.
#include <malloc.h>

#include <cstdio>

#include "bench_sla.hpp"
#include "ir/sla/engine.hpp"

namespace bench_sla {

namespace {

using namespace std::chrono_literals;
using namespace ir::sla;
using Steady = std::chrono::steady_clock;

// Bytes the program holds from malloc: small blocks plus mmapped big ones.
std::size_t heap_in_use() {
    const struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
}

double per_second(std::size_t ops, Steady::duration took) {
    return static_cast<double>(ops) / std::chrono::duration<double>(took).count();
}

Subject subject_of_clock(std::size_t i) {
    return Subject{ClockId{i + 1}, InquiryId{i + 1}, AccountId{static_cast<std::uint32_t>(i % 8 + 1)},
                   tier_from_index(i % 4), i % 50 == 0};
}

// GCC 12 at -O3 reports SlaPolicy's default vectors as "maybe uninitialized" when it inlines
// their clean-up on the exception path of this constructor (a false positive).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
[[gnu::noinline]] const SlaPolicy& default_policy() {
    static const SlaPolicy policy{};
    return policy;
}
#pragma GCC diagnostic pop

}  // namespace

void memory_and_ops(std::size_t clocks) {
    const TimePoint t0 = from_unix_ms(1'700'000'000'000);
    const std::size_t before = heap_in_use();
    SlaEngine engine{default_policy()};
    const auto start_begin = Steady::now();
    for (std::size_t i = 0; i < clocks; ++i) {
        const TimePoint at = t0 + std::chrono::milliseconds{i / 10};  // starts only: nothing due yet
        engine.on_buyer_message(BuyerMessage{subject_of_clock(i), at}, at);
    }
    const auto start_took = Steady::now() - start_begin;
    const std::size_t after = heap_in_use();
    std::printf("sla: memory bytes_per_open_clock=%zu (clocks=%zu heap_delta=%zu sizeof(ClockState)=%zu)\n",
                (after - before) / clocks, engine.size(), after - before, sizeof(ClockState));
    std::fflush(stdout);

    const TimePoint warn_all = t0 + std::chrono::milliseconds{clocks / 10} + 3min;  // every fast warning due
    const auto tick_begin = Steady::now();
    const std::size_t fired = engine.on_tick(warn_all).size();
    const auto tick_took = Steady::now() - tick_begin;

    const auto reply_begin = Steady::now();
    for (std::size_t i = 0; i < clocks; ++i) {
        engine.on_reply(Reply{ClockId{i + 1}, AgentId{i % 40}, warn_all + 1ms}, warn_all + 1ms);
    }
    const auto reply_took = Steady::now() - reply_begin;
    std::printf("sla: ops clocks=%zu start_per_s=%.0f reply_per_s=%.0f tick_fired=%zu fire_per_s=%.0f\n", clocks,
                per_second(clocks, start_took), per_second(clocks, reply_took), fired, per_second(fired, tick_took));
    std::fflush(stdout);
}

}  // namespace bench_sla
