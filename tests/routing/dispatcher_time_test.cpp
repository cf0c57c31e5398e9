// Presence, reservations and working hours: everything that moves with time.
#include "ir/routing/tzdb_local_clock.hpp"
#include "routing_test_support.hpp"

using namespace routing_test;

namespace {
const FixedOffsetClock utc;
}

TEST_CASE("offline hands unanswered inquiries back at once and re-routes them; answered ones stay") {
    Dispatcher d({agent("amy"), agent("bob", Role::agent, {"acme"}, 1)}, {}, utc, T0);
    REQUIRE(assignee(d.enqueue(item(1, 3, T0 + 5min), T0)) == "amy");
    REQUIRE(assignee(d.enqueue(item(2, 3, T0 + 5min), T0)) == "bob");
    REQUIRE(assignee(d.enqueue(item(3, 2, T0 + 9min), T0)) == "amy");
    REQUIRE(assignee(d.enqueue(item(4, 3, T0 + 5min), T0)) == "amy");
    REQUIRE(d.replied(4, "amy", T0).empty());
    REQUIRE(d.replied(2, "bob", T0).empty());  // bob has one free slot again
    const Outcome r = d.set_presence("amy", Presence::offline, T0 + 1min);
    CHECK(r.decisions == Decisions{Unassigned{3, "amy", Unassigned::Why::agent_offline},
                                   Unassigned{1, "amy", Unassigned::Why::agent_offline},
                                   Assigned{3, "bob", "amy", T0 + 3min, false, "least loaded (0/1)"},
                                   Queued{1, "acme/apparel", {}}});
    CHECK(d.owner_of(4) == "amy");
    CHECK(d.agents()[0] == AgentView{"amy", "Agent amy", Role::agent, Presence::offline, true, 0, 10, 1});
    // Available again: pulls from the queue.
    CHECK(d.set_presence("amy", Presence::available, T0 + 2min).decisions ==
          Decisions{Assigned{1, "amy", "", T0 + 3min + 30s, false, "next in queue acme/apparel"}});
}

TEST_CASE("away keeps everything, takes nothing new, and its reservations still expire") {
    Dispatcher d({agent("amy"), agent("bob")}, {}, utc, T0);
    REQUIRE(assignee(d.enqueue(item(1, 3, T0 + 10min), T0)) == "amy");
    REQUIRE(d.set_presence("amy", Presence::away, T0).decisions.empty());
    CHECK(assignee(d.enqueue(item(2, 3, T0 + 1h), T0 + 1min)) == "bob");
    CHECK(d.next_deadline() == T0 + 2min);
    CHECK(d.on_tick(T0 + 2min) == Decisions{Unassigned{1, "amy", Unassigned::Why::reservation_expired},
                                            Assigned{1, "bob", "amy", T0 + 4min, false, "least loaded (1/10)"}});
}

TEST_CASE("reservation timeout: the next agent gets it, the first is told, the round restarts") {
    Dispatcher d({agent("amy"), agent("bob")}, {}, utc, T0);
    const TimePoint deadline = T0 + 30min;
    REQUIRE(d.enqueue(item(1, 3, deadline), T0) ==
            Decisions{Assigned{1, "amy", "", T0 + 2min, false, "least loaded (0/10)"}});
    CHECK(d.on_tick(T0 + 2min - 1ms).empty());
    CHECK(d.on_tick(T0 + 2min) == Decisions{Unassigned{1, "amy", Unassigned::Why::reservation_expired},
                                            Assigned{1, "bob", "amy", T0 + 4min, false, "least loaded (0/10)"}});
    // Both have let it expire: a new round, starting again by load and id.
    CHECK(d.on_tick(T0 + 4min) == Decisions{Unassigned{1, "bob", Unassigned::Why::reservation_expired},
                                            Assigned{1, "amy", "bob", T0 + 6min, false, "least loaded (0/10)"}});
    CHECK(d.find(1)->tried.empty());
    // A reply by the owner counts as accepting.
    REQUIRE(d.replied(1, "amy", T0 + 5min).empty());
    CHECK(!d.next_deadline());
    CHECK(d.on_tick(T0 + 10min).empty());
}

TEST_CASE("the time allowed to accept shrinks as the fast deadline nears") {
    const RoutingPolicy p;  // 2 min, at least 20 s
    CHECK(reservation_window(p, T0 + 30min, T0) == 2min);
    CHECK(reservation_window(p, T0 + 3min, T0) == 90s);
    CHECK(reservation_window(p, T0 + 30s, T0) == 20s);
    CHECK(reservation_window(p, T0 - 1min, T0) == 20s);
    const RoutingPolicy custom{5min, 10s};
    CHECK(reservation_window(custom, T0 + 1h, T0) == 5min);
    CHECK(reservation_window(custom, T0 + 4min, T0) == 2min);
    Dispatcher d({agent("amy")}, custom, utc, T0);
    CHECK(d.enqueue(item(1, 3, T0 + 4min), T0) ==
          Decisions{Assigned{1, "amy", "", T0 + 2min, false, "least loaded (0/10)"}});
}

TEST_CASE("an expiry with nobody else eligible goes back to the same agent; accept stops the clock") {
    Dispatcher d({agent("amy"), agent("bob", Role::agent, {"globex"})}, {}, utc, T0);
    REQUIRE(assignee(d.enqueue(item(1, 3, T0 + 1h), T0)) == "amy");
    CHECK(d.on_tick(T0 + 2min) == Decisions{Unassigned{1, "amy", Unassigned::Why::reservation_expired},
                                            Assigned{1, "amy", "amy", T0 + 4min, false, "least loaded (0/10)"}});
    REQUIRE(d.accept(1, "amy", T0 + 3min).ok());
    CHECK(d.on_tick(T0 + 5min).empty());
}

TEST_CASE("working hours in a fixed zone: shift start pulls, shift end keeps inquiries") {
    AgentSpec amy = agent("amy");
    amy.hours = WeeklyHours::weekdays(9 * 60, 18 * 60);
    amy.time_zone = "Asia/Shanghai";
    const FixedOffsetClock cst({{"Asia/Shanghai", 8h}});
    // Monday 10:00 UTC is 18:00 in Shanghai: her shift has just ended.
    Dispatcher d({amy}, {}, cst, T0);
    CHECK(!d.agents()[0].on_shift);
    CHECK(queued(d.enqueue(item(1), T0)));
    // Tuesday 09:00 Shanghai = Tuesday 01:00 UTC.
    const TimePoint start = T0 + 15h;
    CHECK(d.next_deadline() == start);
    CHECK(d.on_tick(start - 1ms).empty());
    CHECK(assignees(d.on_tick(start)) == std::vector<std::string>{"amy"});
    REQUIRE(d.accept(1, "amy", start).ok());
    CHECK(d.next_deadline() == start + 9h);
    CHECK(d.on_tick(start + 9h).empty());  // off shift: keeps it, like away
    CHECK(d.owner_of(1) == "amy");
    CHECK(queued(d.enqueue(item(2), start + 9h)));
    CHECK(d.next_deadline() == start + 24h);  // Wednesday 09:00
    CHECK(assignees(d.on_tick(start + 24h)) == std::vector<std::string>{"amy"});
}

TEST_CASE("working hours follow DST through the tz database (Europe/Berlin, 09:00-18:00)") {
    const TzdbLocalClock tz;
    REQUIRE(tz.knows("Europe/Berlin"));
    CHECK(!tz.knows("Mars/Olympus"));
    AgentSpec amy = agent("amy");
    amy.hours = WeeklyHours::weekdays(9 * 60, 18 * 60);
    amy.time_zone = "Europe/Berlin";
    using std::chrono::sys_days;
    using std::chrono::year;
    // Friday 27 March 2026, 20:00 UTC; DST starts on Sunday 29 March.
    const TimePoint friday = TimePoint{sys_days{year{2026} / 3 / 27}} + 20h;
    Dispatcher d({amy}, {}, tz, friday);
    CHECK(!d.agents()[0].on_shift);
    // Monday 30 March 09:00 CEST = 07:00 UTC (it was 08:00 UTC the Monday before).
    const TimePoint monday = TimePoint{sys_days{year{2026} / 3 / 30}} + 7h;
    CHECK(d.next_deadline() == monday);
    CHECK(queued(d.enqueue(item(1, 3, monday), friday)));
    CHECK(assignees(d.on_tick(monday)) == std::vector<std::string>{"amy"});
    // Winter: Monday 26 October 2026 09:00 CET = 08:00 UTC.
    const TimePoint october = TimePoint{sys_days{year{2026} / 10 / 23}} + 20h;
    Dispatcher w({amy}, {}, tz, october);
    CHECK(w.next_deadline() == TimePoint{sys_days{year{2026} / 10 / 26}} + 8h);
}

TEST_CASE("local time: weekday and minute from a clock's offset") {
    const FixedOffsetClock clock({{"Asia/Tokyo", 9h}, {"America/Anchorage", -9h}});
    CHECK(clock.local("", T0) == LocalTime{0, 600, 0h});
    CHECK(clock.local("Asia/Tokyo", T0) == LocalTime{0, 19 * 60, 9h});
    CHECK(clock.local("America/Anchorage", T0) == LocalTime{0, 60, -9h});
    CHECK(clock.local("America/Anchorage", T0 - 2h) == LocalTime{6, 23 * 60, -9h});
    WeeklyHours night;
    night.days[6] = {{22 * 60, 24 * 60}};
    night.days[0] = {{0, 6 * 60}};
    // Sunday 22:00 to Monday 06:00 is one shift: no change at midnight.
    CHECK(next_shift_change(night, "", clock, T0 - 11h) == T0 - 4h);
    CHECK(on_shift(night, clock.local("", T0 - 11h)));
}
