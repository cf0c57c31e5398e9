// The comparison strategies (round robin, least loaded, none): the agent is chosen
// differently, everything else (queues, capacity, presence, reservations) stays the same.
#include "routing_test_support.hpp"

using namespace routing_test;

namespace {

const FixedOffsetClock utc;

RoutingPolicy with(Strategy s) {
    RoutingPolicy p;
    p.strategy = s;
    return p;
}

// A plain agent who speaks only English, a German-speaking senior for jewelry only, and a
// supervisor: `ours` sends tier 1 and German to ann, the strategies do not care.
std::vector<AgentSpec> team() {
    AgentSpec amy = agent("amy");
    amy.languages = {"en"};
    AgentSpec ann = agent("ann", Role::senior);
    ann.languages = {"de"};
    ann.categories = {"jewelry"};
    return {amy, ann, agent("zed", Role::supervisor)};
}

}  // namespace

TEST_CASE("the default strategy is ours, and strategies have names") {
    CHECK(RoutingPolicy{}.strategy == Strategy::ours);
    for (const Strategy s : {Strategy::ours, Strategy::round_robin, Strategy::least_loaded, Strategy::none})
        CHECK(parse_strategy(to_string(s)) == s);
    CHECK(to_string(Strategy::round_robin) == "round-robin");
    CHECK(to_string(Strategy::least_loaded) == "least-loaded");
    CHECK_FALSE(parse_strategy("fifo").has_value());
}

TEST_CASE("round robin: each free agent of the account in turn, whatever the tier, skill or load") {
    Dispatcher d(team(), with(Strategy::round_robin), utc, T0);
    std::vector<std::string> got;
    for (std::uint64_t i = 1; i <= 4; ++i) got.push_back(assignee(d.enqueue(item(i, 3), T0)));
    CHECK(got == std::vector<std::string>{"amy", "ann", "zed", "amy"});
    // amy holds two now; round robin still goes on with ann, and gives a tier 1 to a plain agent.
    CHECK(d.enqueue(item(5, 1), T0) == Decisions{Assigned{5, "ann", "", T0 + 2min, false, "round robin: next in turn"},
                                                 SupervisorsNotified{5, {"zed"}}});
    CHECK(assignee(d.enqueue(item(6, 1), T0)) == "zed");
    CHECK(assignee(d.enqueue(item(7, 1), T0)) == "amy");
}

TEST_CASE("round robin skips who cannot take it now and ignores the previous owner") {
    std::vector<AgentSpec> roster{agent("amy", Role::agent, {"acme"}, 1), agent("bob"), agent("cat")};
    Dispatcher d(roster, with(Strategy::round_robin), utc, T0);
    REQUIRE(assignee(d.enqueue(item(1, 3), T0)) == "amy");  // amy is full now
    REQUIRE(d.set_presence("cat", Presence::away, T0).ok());
    Item returning = item(2, 3);
    returning.preferred_owner = "cat";
    CHECK(assignee(d.enqueue(returning, T0)) == "bob");
    CHECK(assignee(d.enqueue(item(3, 3), T0)) == "bob");  // the only one free
    // A missed reservation goes to the free agent next in turn who has not let it expire.
    REQUIRE(d.set_presence("cat", Presence::available, T0).ok());
    const TimePoint until = T0 + 3min + 30s;  // half of the 3 minutes left
    CHECK(d.on_tick(T0 + 2min) == Decisions{Unassigned{1, "amy", Unassigned::Why::reservation_expired},
                                            Assigned{1, "cat", "amy", until, false, "round robin: next in turn"},
                                            Unassigned{2, "bob", Unassigned::Why::reservation_expired},
                                            Assigned{2, "amy", "bob", until, false, "round robin: next in turn"},
                                            Unassigned{3, "bob", Unassigned::Why::reservation_expired},
                                            Assigned{3, "cat", "bob", until, false, "round robin: next in turn"}});
}

TEST_CASE("least loaded: the free agent holding the fewest, whatever the tier, suspicion or language") {
    Dispatcher d(team(), with(Strategy::least_loaded), utc, T0);
    Item german = item(1, 1);
    german.language = "de";
    german.suspect = true;
    CHECK(assignee(d.enqueue(german, T0)) == "amy");  // ours: ann (senior, speaks German)
    CHECK(d.find(1)->queued == false);
    CHECK(assignee(d.enqueue(item(2, 3, T0 + 5min, "acme", "apparel"), T0)) == "ann");  // not her category
    CHECK(assignee(d.enqueue(item(3, 3), T0)) == "zed");
    CHECK(assignee(d.enqueue(item(4, 3), T0)) == "amy");
    REQUIRE(d.replied(1, "amy", T0).empty());  // every one holds one now: roster order decides
    CHECK(d.enqueue(item(5, 3), T0) == Decisions{Assigned{5, "amy", "", T0 + 2min, false, "least loaded (1/10)"}});
}

TEST_CASE("under the comparison strategies a re-tier takes nothing away from a plain agent") {
    Dispatcher d(team(), with(Strategy::least_loaded), utc, T0);
    REQUIRE(assignee(d.enqueue(item(1, 3), T0)) == "amy");
    CHECK(d.update(1, 1, true, T0 + 5min, T0) == Decisions{SupervisorsNotified{1, {"zed"}}});
    CHECK(d.owner_of(1) == "amy");
}

TEST_CASE("none: everything waits, a freed agent takes the best waiting inquiry, one at a time") {
    Dispatcher d(team(), with(Strategy::none), utc, T0);
    CHECK(d.enqueue(item(1, 4), T0) == Decisions{Queued{1, "acme/apparel", {}}});
    CHECK(queued(d.enqueue(item(2, 2, T0 + 9min), T0)));
    CHECK(queued(d.enqueue(item(3, 1, T0 + 6min, "acme", "jewelry"), T0)));
    // Being available again is how a free agent takes the next one: tier 1 first, any role.
    CHECK(d.set_presence("amy", Presence::available, T0).decisions ==
          Decisions{Assigned{3, "amy", "", T0 + 2min, false, "next in queue acme/jewelry"}});
    CHECK(assignees(d.set_presence("zed", Presence::available, T0).decisions) == std::vector<std::string>{"zed"});
    CHECK(d.owner_of(2) == "zed");
    // A reply frees amy's slot: she takes exactly one more.
    CHECK(d.replied(3, "amy", T0 + 1min) ==
          Decisions{Assigned{1, "amy", "", T0 + 1min + 2min, false, "next in queue acme/apparel"}});
    CHECK(d.queues().empty());
}

TEST_CASE("none: an agent coming on shift takes one inquiry, not a slot-full") {
    AgentSpec night = agent("nia");
    night.hours = WeeklyHours::weekdays(11 * 60, 19 * 60);  // starts at 11:00 UTC, an hour after T0
    Dispatcher d({night}, with(Strategy::none), utc, T0);
    for (std::uint64_t i = 1; i <= 3; ++i) REQUIRE(queued(d.enqueue(item(i, 3, T0 + 2h), T0)));
    CHECK(assignees(d.on_tick(T0 + 1h)) == std::vector<std::string>{"nia"});
    CHECK(d.queues().front().depth == 2);
}
