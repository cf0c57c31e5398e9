// Properties over random traffic: the persistence contract and restart equivalence.
#include <map>
#include <random>
#include <set>

#include "sla_test_support.hpp"

using namespace sla_test;

namespace {

std::map<ClockId, ClockState> by_id(const std::vector<ClockState>& all) {
    std::map<ClockId, ClockState> m;
    for (const ClockState& c : all) m.emplace(c.subject.clock, c);
    return m;
}

// One random input (or tick) at `now`, stamped up to two minutes in the past.
Effects random_step(SlaEngine& e, std::mt19937_64& rng, TimePoint now) {
    Subject s = subject(rng() % 25 + 1, tier_from_index(rng() % 4));
    s.weak_large_buyer = rng() % 7 == 0;
    const TimePoint at = now - std::chrono::seconds{rng() % 120};
    switch (rng() % 6) {
        case 0:
        case 1:
            return e.on_buyer_message(message(s, at), now);
        case 2:
        case 3:
            return e.on_reply(reply(s, at), now);
        case 4:
            return rng() % 4 == 0 ? e.on_resolve(Resolve{s.clock, at}, now)
                                  : e.on_retier(Retier{s.clock, s.tier, s.weak_large_buyer, at}, now);
        default:
            return e.on_tick(now);
    }
}

}  // namespace

TEST_CASE("every change of a clock's state comes with an effect naming that clock") {
    std::mt19937_64 rng(7);
    SlaEngine e{SlaPolicy{}};
    TimePoint now = T0;
    for (int i = 0; i < 5000; ++i) {
        now += std::chrono::seconds{rng() % 4000};
        const auto before = by_id(e.export_state());
        const Effects fx = random_step(e, rng, now);
        const auto after = by_id(e.export_state());
        std::set<ClockId> named;
        for (const Effect& x : fx) named.insert(subject_of(x).clock);
        std::set<ClockId> changed;
        for (const auto& [id, c] : before) {
            if (!after.contains(id) || after.at(id) != c) changed.insert(id);
        }
        for (const auto& [id, c] : after) {
            if (!before.contains(id)) changed.insert(id);
        }
        for (ClockId id : changed) {
            INFO("step " << i << " clock " << raw(id));
            REQUIRE(named.contains(id));
        }
    }
}

TEST_CASE("restoring at any point gives the same future as never stopping") {
    std::mt19937_64 rng_a(11), rng_b(11);
    const SlaPolicy p;
    SlaEngine steady{p};
    SlaEngine restarted{p};
    TimePoint now = T0;
    for (int i = 0; i < 3000; ++i) {
        now += std::chrono::seconds{rng_a() % 4000};
        rng_b();
        REQUIRE(random_step(steady, rng_a, now) == random_step(restarted, rng_b, now));
        if (i % 50 == 0) restarted = SlaEngine{p, restarted.export_state()};
    }
    REQUIRE(steady.export_state() == restarted.export_state());
    REQUIRE(steady.on_tick(now + days{60}) == restarted.on_tick(now + days{60}));
}

TEST_CASE("no alarm ever fires twice, and each fires at or after its moment") {
    std::mt19937_64 rng(3);
    SlaEngine e{SlaPolicy{}};
    TimePoint now = T0;
    std::set<std::tuple<ClockId, TimePoint, int>> seen;  // (clock, clock start, stage)
    std::map<ClockId, TimePoint> starts;
    for (int i = 0; i < 5000; ++i) {
        now += std::chrono::seconds{rng() % 4000};
        for (const Effect& fx : random_step(e, rng, now)) {
            const ClockId id = subject_of(fx).clock;
            if (const auto* c = std::get_if<ClockStarted>(&fx)) starts[id] = c->started_at;
            if (const auto* m = std::get_if<ClockMoved>(&fx)) starts[id] = m->started_at;
            if (const auto* w = std::get_if<Warning>(&fx)) {
                REQUIRE(w->fired_at >= w->due_at);
                REQUIRE(seen.emplace(id, w->deadline, static_cast<int>(w->kind)).second);
            }
            if (const auto* b = std::get_if<Breach>(&fx)) {
                REQUIRE(b->fired_at >= b->deadline);
                REQUIRE(seen.emplace(id, b->deadline, 10 + static_cast<int>(b->kind)).second);
            }
        }
    }
    CHECK(seen.size() > 100);
}
