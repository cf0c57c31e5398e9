// The reply clock: start, warnings, breaches, replies, new clocks, ties.
#include "sla_test_support.hpp"

using namespace sla_test;
constexpr auto fast = DeadlineKind::fast;
constexpr auto timely = DeadlineKind::timely;

TEST_CASE("a clock warns then breaches, fast clock then timely clock") {
    SlaEngine e{quiet_policy()};
    const Subject s = subject(1);
    REQUIRE(e.on_buyer_message(message(s, T0), T0) == Effects{ClockStarted{s, T0, T0 + 5min, T0 + 24h}});
    CHECK(e.next_deadline() == T0 + 3min);
    CHECK(e.on_tick(T0 + 3min - 1ms).empty());
    REQUIRE(e.on_tick(T0 + 3min) == Effects{Warning{s, fast, T0 + 3min, T0 + 5min, T0 + 3min, false}});
    CHECK(e.next_deadline() == T0 + 5min);
    REQUIRE(e.on_tick(T0 + 5min + 200ms) == Effects{Breach{s, fast, T0 + 5min, T0 + 5min + 200ms, false}});
    CHECK(e.next_deadline() == T0 + 20h);
    REQUIRE(e.on_tick(T0 + 20h) == Effects{Warning{s, timely, T0 + 20h, T0 + 24h, T0 + 20h, false}});
    REQUIRE(e.on_tick(T0 + 24h) == Effects{Breach{s, timely, T0 + 24h, T0 + 24h, false}});
    CHECK_FALSE(e.next_deadline().has_value());
    CHECK(e.on_tick(T0 + 48h).empty());
}

TEST_CASE("a reply stops the clock, records the response time and cancels what is left") {
    SlaEngine e{quiet_policy()};
    const Subject s = subject(1);
    e.on_buyer_message(message(s, T0), T0);
    const auto recorded = [&](TimePoint at, bool fast_met, bool timely_met) {
        return Effects{ReplyRecorded{s, AgentId{7}, T0, at, at - T0, fast_met, timely_met}};
    };
    SECTION("before the fast warning") {
        REQUIRE(e.on_reply(reply(s, T0 + 1min), T0 + 1min) == recorded(T0 + 1min, true, true));
    }
    SECTION("after the fast warning, before the fast deadline") {
        e.on_tick(T0 + 3min);
        REQUIRE(e.on_reply(reply(s, T0 + 4min), T0 + 4min) == recorded(T0 + 4min, true, true));
    }
    SECTION("exactly at the fast deadline still meets it, and the breach never fires") {
        e.on_tick(T0 + 3min);
        REQUIRE(e.on_reply(reply(s, T0 + 5min), T0 + 5min) == recorded(T0 + 5min, true, true));
    }
    SECTION("after the fast breach, before the timely warning") {
        e.on_tick(T0 + 3min);
        e.on_tick(T0 + 5min);
        REQUIRE(e.on_reply(reply(s, T0 + 6min), T0 + 6min) == recorded(T0 + 6min, false, true));
    }
    SECTION("after the timely warning, before the timely deadline") {
        for (Duration t : {Duration{3min}, Duration{5min}, Duration{20h}}) e.on_tick(T0 + t);
        REQUIRE(e.on_reply(reply(s, T0 + 23h), T0 + 23h) == recorded(T0 + 23h, false, true));
    }
    SECTION("after the timely breach") {
        for (Duration t : {Duration{3min}, Duration{5min}, Duration{20h}, Duration{24h}}) e.on_tick(T0 + t);
        REQUIRE(e.on_reply(reply(s, T0 + 25h), T0 + 25h) == recorded(T0 + 25h, false, false));
    }
    CHECK_FALSE(e.next_deadline().has_value());
    CHECK(e.on_tick(T0 + days{30}).empty());
}

TEST_CASE("a reply that finds alarms overdue fires them first, marked late") {
    SlaEngine e{quiet_policy()};
    const Subject s = subject(1);
    e.on_buyer_message(message(s, T0), T0);
    const TimePoint now = T0 + 6min;
    REQUIRE(e.on_reply(reply(s, now), now) == Effects{Warning{s, fast, T0 + 3min, T0 + 5min, now, true},
                                                      Breach{s, fast, T0 + 5min, now, true},
                                                      ReplyRecorded{s, AgentId{7}, T0, now, 6min, false, true}});
}

TEST_CASE("a reply learnt late fires only what was due before it was sent") {
    SlaEngine e{quiet_policy()};
    const Subject s = subject(1);
    e.on_buyer_message(message(s, T0), T0);
    const TimePoint now = T0 + 6min;  // the reply was sent at 4 min, we hear of it at 6 min
    REQUIRE(e.on_reply(reply(s, T0 + 4min), now) ==
            Effects{Warning{s, fast, T0 + 3min, T0 + 5min, now, true},
                    ReplyRecorded{s, AgentId{7}, T0, T0 + 4min, 4min, true, true}});
    CHECK(e.on_tick(now).empty());
}

TEST_CASE("a buyer message after our reply starts a new clock") {
    SlaEngine e{quiet_policy()};
    const Subject s = subject(1);
    e.on_buyer_message(message(s, T0), T0);
    e.on_reply(reply(s, T0 + 1min), T0 + 1min);
    Subject next = s;
    next.inquiry = InquiryId{555};
    REQUIRE(e.on_buyer_message(message(next, T0 + 10min), T0 + 10min) ==
            Effects{ClockStarted{next, T0 + 10min, T0 + 15min, T0 + 10min + 24h}});
    REQUIRE(e.on_tick(T0 + 13min) == Effects{Warning{next, fast, T0 + 13min, T0 + 15min, T0 + 13min, false}});
    REQUIRE(e.on_reply(reply(next, T0 + 20min, 8), T0 + 20min) ==
            Effects{Breach{next, fast, T0 + 15min, T0 + 20min, true},
                    ReplyRecorded{next, AgentId{8}, T0 + 10min, T0 + 20min, 10min, false, true}});
}

TEST_CASE("more buyer messages while unanswered do not move the clock") {
    SlaEngine e{quiet_policy()};
    const Subject s = subject(1);
    e.on_buyer_message(message(s, T0), T0);
    CHECK(e.on_buyer_message(message(s, T0 + 1min), T0 + 1min).empty());
    CHECK(e.on_buyer_message(message(s, T0 + 2min), T0 + 2min).empty());
    CHECK(e.next_deadline() == T0 + 3min);
    REQUIRE(e.on_reply(reply(s, T0 + 4min), T0 + 4min).size() == 2);  // warning, then the reply
    CHECK(only<ReplyRecorded>(e.on_tick(T0 + 4min)).empty());
}

TEST_CASE("per-buyer scope: the caller's key groups inquiries, the first one stays attached") {
    SlaEngine e{quiet_policy()};
    const Subject first{ClockId{42}, InquiryId{1}, AccountId{1}, Tier::three, false};
    Subject second = first;
    second.inquiry = InquiryId{2};
    e.on_buyer_message(message(first, T0), T0);
    CHECK(e.on_buyer_message(message(second, T0 + 1min), T0 + 1min).empty());
    REQUIRE(e.on_tick(T0 + 3min) == Effects{Warning{first, fast, T0 + 3min, T0 + 5min, T0 + 3min, false}});
}

TEST_CASE("ties are ordered by (deadline, clock id), whatever order the clocks came in") {
    const auto run = [](std::vector<std::uint64_t> order) {
        SlaEngine e{quiet_policy()};
        for (auto id : order) e.on_buyer_message(message(subject(id), T0), T0);
        return e.on_tick(T0 + 5min);
    };
    const Effects a = run({5, 3, 9});
    REQUIRE(a == run({9, 5, 3}));
    REQUIRE(a == run({3, 9, 5}));
    std::vector<std::uint64_t> clocks;
    for (const Effect& fx : a) clocks.push_back(raw(subject_of(fx).clock));
    CHECK(clocks == std::vector<std::uint64_t>{3, 5, 9, 3, 5, 9});
    CHECK(only<Warning>(a).size() == 3);
    CHECK(std::holds_alternative<Breach>(a[3]));
}

TEST_CASE("a zero lead time means no warning") {
    SlaPolicy p = quiet_policy();
    p.defaults.fast_warning = 0ms;
    SlaEngine e{p};
    const Subject s = subject(1);
    e.on_buyer_message(message(s, T0), T0);
    CHECK(e.next_deadline() == T0 + 5min);
    REQUIRE(e.on_tick(T0 + 5min) == Effects{Breach{s, fast, T0 + 5min, T0 + 5min, false}});
}

TEST_CASE("resolve stops every clock of the conversation and forgets it") {
    SlaEngine e{quiet_policy()};
    const Subject s = subject(1);
    e.on_buyer_message(message(s, T0), T0);
    REQUIRE(e.on_resolve(Resolve{s.clock, T0 + 1min}, T0 + 1min) == Effects{Resolved{s, T0 + 1min, true}});
    CHECK(e.size() == 0);
    CHECK_FALSE(e.next_deadline().has_value());
    CHECK(e.on_tick(T0 + days{2}).empty());
    CHECK(e.on_reply(reply(s, T0 + 2min), T0 + 2min).empty());
    CHECK(e.on_resolve(Resolve{s.clock, T0 + 2min}, T0 + 2min).empty());
}
