// Restarts, time jumps and out-of-order inputs: nothing fires twice, nothing is skipped.
#include "sla_test_support.hpp"

using namespace sla_test;
constexpr auto fast = DeadlineKind::fast;
constexpr auto timely = DeadlineKind::timely;

TEST_CASE("restart: state exported, time passes, a new engine fires each missed alarm once, late, in order") {
    const SlaPolicy p;
    SlaEngine before{p};
    const Subject a = subject(1, Tier::one);
    const Subject b = subject(2, Tier::three);
    before.on_buyer_message(message(a, T0), T0);
    before.on_buyer_message(message(b, T0 + 1min), T0 + 1min);
    REQUIRE(only<Warning>(before.on_tick(T0 + 3min)).size() == 1);  // a's fast warning fired before the crash
    const std::vector<ClockState> stored = before.export_state();
    REQUIRE(stored.size() == 2);
    CHECK(stored[0].fired == Fired{true, false, false, false});

    SlaEngine after{p, stored};  // the daemon was down from 3 min to 10 min
    CHECK(after.export_state() == stored);
    CHECK(after.next_deadline() == T0 + 4min);
    const TimePoint now = T0 + 10min;
    REQUIRE(after.on_tick(now) == Effects{Warning{b, fast, T0 + 4min, T0 + 6min, now, true},
                                          Breach{a, fast, T0 + 5min, now, true},
                                          Escalation{a, Stage::fast_breach, T0 + 5min, T0 + 5min, now, true},
                                          Breach{b, fast, T0 + 6min, now, true}});
    CHECK(after.on_tick(now).empty());
    CHECK(after.next_deadline() == T0 + 20h);
}

TEST_CASE("restored state resumes exactly: the same effects as if the daemon had never stopped") {
    const SlaPolicy p;
    SlaEngine steady{p};
    SlaEngine restarted{p};
    for (std::uint64_t id = 1; id <= 20; ++id) {
        const Subject s = subject(id, tier_from_index(id % 4));
        const TimePoint at = T0 + std::chrono::minutes{id};
        steady.on_buyer_message(message(s, at), at);
        restarted.on_buyer_message(message(s, at), at);
        if (id % 3 == 0) {
            steady.on_reply(reply(s, at + 4min), at + 4min);
            restarted.on_reply(reply(s, at + 4min), at + 4min);
        }
    }
    for (TimePoint t = T0; t < T0 + days{30}; t += 7min) {
        REQUIRE(steady.on_tick(t) == restarted.on_tick(t));
        if (t < T0 + days{2}) restarted = SlaEngine{p, restarted.export_state()};
    }
}

TEST_CASE("a clock going backwards fires nothing twice") {
    SlaEngine e{quiet_policy()};
    const Subject s = subject(1);
    e.on_buyer_message(message(s, T0), T0);
    REQUIRE(e.on_tick(T0 + 6min).size() == 2);
    CHECK(e.on_tick(T0 + 4min).empty());
    CHECK(e.on_tick(T0).empty());
    CHECK(e.on_tick(T0 - days{1}).empty());
    CHECK(e.on_tick(T0 + 6min).empty());
    REQUIRE(e.on_tick(T0 + 20h) == Effects{Warning{s, timely, T0 + 20h, T0 + 24h, T0 + 20h, false}});
}

TEST_CASE("a big forward jump fires everything due exactly once, in deadline order") {
    SlaEngine e{quiet_policy()};
    const Subject a = subject(7);
    const Subject b = subject(3);
    e.on_buyer_message(message(a, T0), T0);
    e.on_buyer_message(message(b, T0 + 1min), T0 + 1min);
    const TimePoint now = T0 + days{3};
    REQUIRE(e.on_tick(now) == Effects{
                                  Warning{a, fast, T0 + 3min, T0 + 5min, now, true},
                                  Warning{b, fast, T0 + 4min, T0 + 6min, now, true},
                                  Breach{a, fast, T0 + 5min, now, true},
                                  Breach{b, fast, T0 + 6min, now, true},
                                  Warning{a, timely, T0 + 20h, T0 + 24h, now, true},
                                  Warning{b, timely, T0 + 1min + 20h, T0 + 1min + 24h, now, true},
                                  Breach{a, timely, T0 + 24h, now, true},
                                  Breach{b, timely, T0 + 1min + 24h, now, true},
                              });
    CHECK(e.on_tick(now + days{3}).empty());
}

TEST_CASE("late means more than the tolerance after the alarm's moment") {
    SlaPolicy p = quiet_policy();
    p.late_tolerance = 1s;
    SlaEngine e{p};
    e.on_buyer_message(message(subject(1), T0), T0);
    CHECK_FALSE(only<Warning>(e.on_tick(T0 + 3min + 1s)).at(0).late);
    CHECK(only<Breach>(e.on_tick(T0 + 5min + 1001ms)).at(0).late);
}

TEST_CASE("an input stamped after now is taken as now") {
    SlaEngine e{quiet_policy()};
    const Subject s = subject(1);
    REQUIRE(e.on_buyer_message(message(s, T0 + 1h), T0) == Effects{ClockStarted{s, T0, T0 + 5min, T0 + 24h}});
}

TEST_CASE("out-of-order buyer messages") {
    SlaEngine e{quiet_policy()};
    const Subject s = subject(1);
    e.on_buyer_message(message(s, T0), T0);
    SECTION("an earlier message arriving late moves the clock back; overdue alarms fire at the next tick") {
        REQUIRE(e.on_buyer_message(message(s, T0 - 4min), T0 + 30s) ==
                Effects{ClockMoved{s, T0 - 4min, T0 + 1min, T0 - 4min + 24h}});
        REQUIRE(e.on_tick(T0 + 30s) == Effects{Warning{s, fast, T0 - 1min, T0 + 1min, T0 + 30s, true}});
    }
    SECTION("a message older than our last reply was answered by it") {
        e.on_reply(reply(s, T0 + 1min), T0 + 1min);
        CHECK(e.on_buyer_message(message(s, T0 + 30s), T0 + 2min).empty());
        CHECK(e.on_buyer_message(message(s, T0 + 1min), T0 + 2min).empty());
        CHECK_FALSE(e.next_deadline().has_value());
    }
    SECTION("an alarm already fired is not fired again after the clock moves") {
        e.on_tick(T0 + 3min);
        REQUIRE(e.on_buyer_message(message(s, T0 - 1min), T0 + 3min).size() == 1);
        REQUIRE(e.on_tick(T0 + 4min) == Effects{Breach{s, fast, T0 + 4min, T0 + 4min, false}});
    }
}

TEST_CASE("out-of-order replies") {
    SlaEngine e{quiet_policy()};
    const Subject s = subject(1);
    e.on_buyer_message(message(s, T0), T0);
    SECTION("a reply stamped before the buyer's message did not answer it") {
        CHECK(e.on_reply(reply(s, T0 - 1min), T0 + 1min).empty());
        CHECK(e.next_deadline() == T0 + 3min);
    }
    SECTION("a reply older than the one we already acted on changes nothing") {
        e.on_reply(reply(s, T0 + 2min), T0 + 2min);
        CHECK(e.on_reply(reply(s, T0 + 1min), T0 + 2min).empty());
    }
}

TEST_CASE("the engine is deterministic: the same inputs give the same effects and state") {
    const auto run = [] {
        SlaEngine e{SlaPolicy{}};
        Effects all;
        for (std::uint64_t i = 0; i < 200; ++i) {
            const Subject s = subject(i * 7919 % 101, tier_from_index(i % 4));
            const TimePoint at = T0 + std::chrono::seconds{i * 37};
            for (auto& fx : (i % 5 == 4) ? e.on_reply(reply(s, at), at) : e.on_buyer_message(message(s, at), at)) {
                all.push_back(fx);
            }
        }
        for (auto& fx : e.on_tick(T0 + days{40})) all.push_back(fx);
        return std::pair{all, e.export_state()};
    };
    REQUIRE(run() == run());
}
