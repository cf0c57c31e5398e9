// Follow-up reminders (DOMAIN.md step 3): tier 2 within 3 days of the first reply, then
// weekly; a weakly interested large buyer again within 1-3 days (2 by default).
#include "sla_test_support.hpp"

using namespace sla_test;

namespace {

// A tier 2 conversation answered one minute after the buyer wrote at T0.
struct Answered {
    SlaEngine engine{SlaPolicy{}};
    Subject s = subject(1, Tier::two);
    TimePoint replied = T0 + 1min;
    Answered() {
        engine.on_buyer_message(message(s, T0), T0);
        REQUIRE(engine.on_reply(reply(s, replied), replied) ==
                Effects{ReplyRecorded{s, AgentId{7}, T0, replied, 1min, true, true},
                        FollowUpScheduled{s, replied + days{3}}});
    }
};

}  // namespace

TEST_CASE("tier 2: a reminder three days after the first reply, then weekly") {
    Answered a;
    const TimePoint first = a.replied + days{3};
    CHECK(a.engine.next_deadline() == first);
    CHECK(a.engine.on_tick(first - 1ms).empty());
    REQUIRE(a.engine.on_tick(first) ==
            Effects{FollowUpDue{a.s, first, first, false, a.replied}, FollowUpScheduled{a.s, first + days{7}}});
    const TimePoint second = first + days{7};
    REQUIRE(a.engine.on_tick(second + 500ms) == Effects{FollowUpDue{a.s, second, second + 500ms, false, a.replied},
                                                        FollowUpScheduled{a.s, second + days{7}}});
}

TEST_CASE("our next reply re-bases the plan: after the first contact it is weekly") {
    Answered a;
    const TimePoint day1 = T0 + days{1};
    SECTION("a reply without a new buyer message") {
        REQUIRE(a.engine.on_reply(reply(a.s, day1), day1) == Effects{FollowUpScheduled{a.s, day1 + days{7}}});
    }
    SECTION("the buyer writes (the reply clock takes over), then we answer") {
        const auto started = a.engine.on_buyer_message(message(a.s, day1), day1);
        REQUIRE(started == Effects{ClockStarted{a.s, day1, day1 + 5min, day1 + 24h}});
        const TimePoint r = day1 + 2min;
        REQUIRE(
            a.engine.on_reply(reply(a.s, r), r) ==
            Effects{ReplyRecorded{a.s, AgentId{7}, day1, r, 2min, true, true}, FollowUpScheduled{a.s, r + days{7}}});
    }
    CHECK(only<FollowUpDue>(a.engine.on_tick(a.replied + days{6})).empty());
}

TEST_CASE("a buyer message pauses follow-ups while the reply clock runs") {
    Answered a;
    const TimePoint day2 = T0 + days{2};
    a.engine.on_buyer_message(message(a.s, day2), day2);
    const Effects fx = a.engine.on_tick(T0 + days{10});
    CHECK(only<FollowUpDue>(fx).empty());
    CHECK(only<Breach>(fx).size() == 2);
    CHECK_FALSE(a.engine.next_deadline().has_value());
}

TEST_CASE("resolve stops the follow-ups") {
    Answered a;
    const TimePoint day1 = T0 + days{1};
    REQUIRE(a.engine.on_resolve(Resolve{a.s.clock, day1}, day1) == Effects{Resolved{a.s, day1, false}});
    CHECK_FALSE(a.engine.next_deadline().has_value());
    CHECK(a.engine.on_tick(T0 + days{30}).empty());
}

TEST_CASE("a weakly interested large buyer is followed up two days after each reply") {
    SlaEngine e{SlaPolicy{}};
    Subject s = subject(1, Tier::three);
    s.weak_large_buyer = true;
    e.on_buyer_message(message(s, T0), T0);
    REQUIRE(only<FollowUpScheduled>(e.on_reply(reply(s, T0 + 1min), T0 + 1min)) ==
            std::vector<FollowUpScheduled>{{s, T0 + 1min + days{2}}});
    const TimePoint due = T0 + 1min + days{2};
    REQUIRE(e.on_tick(due) == Effects{FollowUpDue{s, due, due, false, T0 + 1min}});
    CHECK_FALSE(e.next_deadline().has_value());  // one nudge per contact, then wait for our reply
    const TimePoint again = due + 1h;
    REQUIRE(e.on_reply(reply(s, again), again) == Effects{FollowUpScheduled{s, again + days{2}}});
}

TEST_CASE("tiers without a plan get no follow-ups") {
    SlaEngine e{SlaPolicy{}};
    const Subject s = subject(1, Tier::three);
    e.on_buyer_message(message(s, T0), T0);
    REQUIRE(e.on_reply(reply(s, T0 + 1min), T0 + 1min).size() == 1);
    CHECK_FALSE(e.next_deadline().has_value());
}

TEST_CASE("re-tiering an answered conversation starts or cancels its follow-ups") {
    SlaEngine e{SlaPolicy{}};
    const Subject s = subject(1, Tier::three);
    e.on_buyer_message(message(s, T0), T0);
    e.on_reply(reply(s, T0 + 1min), T0 + 1min);
    const TimePoint t = T0 + 1h;
    const Subject s2 = subject(1, Tier::two);
    REQUIRE(e.on_retier(Retier{s.clock, Tier::two, false, t}, t) ==
            Effects{Retiered{s2, Tier::three, false}, FollowUpScheduled{s2, t + days{3}}});
    REQUIRE(e.on_retier(Retier{s.clock, Tier::three, false, t + 1h}, t + 1h) ==
            Effects{Retiered{s, Tier::two, false}, FollowUpCancelled{s}});
    CHECK_FALSE(e.next_deadline().has_value());
}

TEST_CASE("a reminder missed during an outage fires once, late, and the cadence restarts from then") {
    Answered a;
    const TimePoint first = a.replied + days{3};
    const TimePoint back = first + days{20};  // three weekly reminders would have been due
    REQUIRE(a.engine.on_tick(back) ==
            Effects{FollowUpDue{a.s, first, back, true, a.replied}, FollowUpScheduled{a.s, back + days{7}}});
}
