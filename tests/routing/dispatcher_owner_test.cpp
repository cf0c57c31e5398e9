// Sticky owners, tier 1 to seniors, the verification queue, re-tiering, transfers.
#include "routing_test_support.hpp"

using namespace routing_test;

namespace {
const FixedOffsetClock utc;

Item returning(std::uint64_t inquiry, std::string owner, int tier = 3) {
    Item i = item(inquiry, tier);
    i.preferred_owner = std::move(owner);
    return i;
}
}  // namespace

TEST_CASE("sticky: the customer's previous owner gets it when they can answer in time") {
    Dispatcher d({agent("ann"), agent("bob")}, {}, utc, T0);
    REQUIRE(assignee(d.enqueue(item(1), T0)) == "ann");
    const Decisions ds = d.enqueue(returning(2, "ann"), T0);
    CHECK(ds == Decisions{Assigned{2, "ann", "", T0 + 2min, true, "previous owner"}});
}

TEST_CASE("not sticky when the previous owner is away, at capacity or off shift before the deadline") {
    // abe sorts first, so the others only get an inquiry before him by being sticky or less loaded.
    AgentSpec ann = agent("ann", Role::agent, {"acme"}, 2);
    ann.hours.days[0] = {{9 * 60, 10 * 60 + 3}};  // Monday 09:00-10:03 UTC: ends before T0 + 5 min
    AgentSpec ann2 = agent("ann2", Role::agent, {"acme"}, 1);
    Dispatcher d({ann, ann2, agent("abe")}, {}, utc, T0);
    CHECK(assignee(d.enqueue(returning(1, "ann"), T0)) == "abe");  // off shift before the deadline
    REQUIRE(assignee(d.enqueue(returning(2, "ann2"), T0)) == "ann2");
    CHECK(assignee(d.enqueue(returning(3, "ann2"), T0)) == "ann");  // ann2 at capacity: least loaded
    REQUIRE(d.set_presence("ann2", Presence::away, T0).ok());
    REQUIRE(d.replied(2, "ann2", T0).empty());
    CHECK(assignee(d.enqueue(returning(4, "ann2"), T0)) == "abe");  // ann2 away
    // A deadline already missed cannot be met by anyone: on shift now is enough.
    Item late = returning(5, "ann");
    late.fast_deadline = T0 - 1min;
    const Decisions ds = d.enqueue(late, T0);
    REQUIRE(assignee(ds) == "ann");
    CHECK(std::get<Assigned>(ds[0]).sticky);
}

TEST_CASE("tier 1 goes to a senior (a supervisor if no senior can) and the supervisors are told") {
    Dispatcher d({agent("amy"), agent("sam", Role::senior, {"acme"}, 1), agent("sue", Role::supervisor),
                  agent("zed", Role::supervisor, {"*"}), agent("other", Role::supervisor, {"globex"})},
                 {}, utc, T0);
    const Decisions ds = d.enqueue(item(1, 1), T0);
    CHECK(ds == Decisions{Assigned{1, "sam", "", T0 + 2min, false, "tier 1: senior, least loaded (0/1)"},
                          SupervisorsNotified{1, {"sue", "zed"}}});
    const Decisions ds2 = d.enqueue(item(2, 1), T0);
    CHECK(assignee(ds2) == "sue");
    CHECK(std::get<Assigned>(ds2[0]).reason == "tier 1: supervisor (no senior free), least loaded (0/10)");
    // Ordinary inquiries go to agents and seniors before supervisors.
    CHECK(assignee(d.enqueue(item(3, 2), T0)) == "amy");
}

TEST_CASE("tier 1 with no senior or supervisor free stays queued; plain agents never take it") {
    Dispatcher d({agent("amy", Role::agent, {"acme"}, 5), agent("sam", Role::senior, {"acme"}, 1)}, {}, utc, T0);
    REQUIRE(assignee(d.enqueue(item(1, 1), T0)) == "sam");
    const Decisions ds = d.enqueue(item(2, 1), T0);
    CHECK(ds == Decisions{Queued{2, "acme/apparel", {}}, SupervisorsNotified{2, {}}});
    CHECK(queued(d.enqueue(item(3, 3), T0)) == false);  // amy takes tier 3 ...
    REQUIRE(d.replied(3, "amy", T0).empty());           // ... and never pulls the tier 1 item
    CHECK(assignee(d.replied(1, "sam", T0)) == "sam");  // sam's freed slot does
}

TEST_CASE("suspects wait in verify/<account> with their reasons and go only to seniors or supervisors") {
    AgentSpec sam = agent("sam", Role::senior);
    sam.categories = {"jewelry"};  // verification is about the buyer: the category does not matter
    Dispatcher d({agent("amy"), sam}, {}, utc, T0);
    REQUIRE(d.set_presence("sam", Presence::away, T0).ok());
    Item s = item(1, 3);
    s.suspect = true;
    s.reasons = {"asks for a fee", "urgency"};
    CHECK(d.enqueue(s, T0) == Decisions{Queued{1, "verify/acme", {"asks for a fee", "urgency"}}});
    CHECK(d.queues().front().name == "verify/acme");
    const Outcome back = d.set_presence("sam", Presence::available, T0 + 1min);
    REQUIRE(assignee(back.decisions) == "sam");
    CHECK(std::get<Assigned>(back.decisions[0]).reason == "next in queue verify/acme");
    s.inquiry = 2;
    CHECK(std::get<Assigned>(d.enqueue(s, T0).front()).reason == "verification: senior, least loaded (1/10)");
}

TEST_CASE("re-tiering to tier 1 takes it from a plain agent to a senior; a senior keeps it") {
    Dispatcher d({agent("amy"), agent("sam", Role::senior), agent("sue", Role::supervisor)}, {}, utc, T0);
    REQUIRE(assignee(d.enqueue(item(1, 3), T0)) == "amy");
    REQUIRE(d.accept(1, "amy", T0).ok());
    const Decisions ds = d.update(1, 1, false, T0 + 5min, T0 + 1min);
    CHECK(ds == Decisions{Unassigned{1, "amy", Unassigned::Why::needs_senior},
                          Assigned{1, "sam", "amy", T0 + 3min, false, "tier 1: senior, least loaded (0/10)"},
                          SupervisorsNotified{1, {"sue"}}});
    CHECK(d.update(1, 1, false, T0 + 5min, T0 + 1min).empty());  // already tier 1 with a senior
    CHECK(d.agents()[0].load == 0);
    // Re-tiering a queued inquiry moves it in its queue (and to verify/ when it turns suspect).
    REQUIRE(d.set_presence("amy", Presence::away, T0).ok());
    REQUIRE(d.set_presence("sam", Presence::away, T0).ok());
    REQUIRE(d.set_presence("sue", Presence::away, T0).ok());
    REQUIRE(queued(d.enqueue(item(2, 4), T0)));
    CHECK(d.update(2, 2, false, T0 + 5min, T0).empty());
    CHECK(d.update(2, 2, true, T0 + 5min, T0) == Decisions{Queued{2, "verify/acme", {}}});
}

TEST_CASE("an answered inquiry keeps its owner through a re-tier; the role is checked when the buyer writes") {
    Dispatcher d({agent("amy"), agent("sam", Role::senior)}, {}, utc, T0);
    REQUIRE(assignee(d.enqueue(item(1, 3), T0)) == "amy");
    REQUIRE(d.replied(1, "amy", T0 + 1min).empty());
    CHECK(d.update(1, 1, false, T0 + 5min, T0 + 2min) == Decisions{SupervisorsNotified{1, {}}});
    CHECK(d.owner_of(1) == "amy");
    const Decisions ds = d.reopened(1, T0 + 15min, T0 + 10min);
    CHECK(ds == Decisions{Unassigned{1, "amy", Unassigned::Why::owner_unavailable},
                          Assigned{1, "sam", "", T0 + 12min, false, "tier 1: senior, least loaded (0/10)"}});
}

TEST_CASE("reopened: the owner takes the conversation again, never above capacity") {
    Dispatcher d({agent("amy", Role::agent, {"acme"}, 1), agent("bob")}, {}, utc, T0);
    REQUIRE(assignee(d.enqueue(item(1), T0)) == "amy");
    REQUIRE(d.replied(1, "amy", T0 + 1min).empty());
    CHECK(d.reopened(1, T0 + 15min, T0 + 10min) ==
          Decisions{Assigned{1, "amy", "amy", std::nullopt, true, "buyer wrote again"}});
    CHECK(d.agents()[0].load == 1);
    REQUIRE(d.replied(1, "amy", T0 + 11min).empty());
    REQUIRE(assignee(d.enqueue(item(2), T0 + 11min)) == "amy");  // fills her slot
    const Decisions ds = d.reopened(1, T0 + 25min, T0 + 20min);
    CHECK(ds == Decisions{Unassigned{1, "amy", Unassigned::Why::owner_unavailable},
                          Assigned{1, "bob", "", T0 + 22min, false, "least loaded (0/10)"}});
    // Unanswered: a new message only moves the deadline.
    CHECK(d.reopened(1, T0 + 30min, T0 + 21min).empty());
    CHECK(d.find(1)->item.fast_deadline == T0 + 30min);
}

TEST_CASE("transfer: by hand, to anyone not offline and below capacity; refused otherwise") {
    Dispatcher d({agent("amy"), agent("bob", Role::agent, {"globex"}, 1), agent("cy")}, {}, utc, T0);
    REQUIRE(assignee(d.enqueue(item(1), T0)) == "amy");
    REQUIRE(assignee(d.enqueue(item(2), T0)) == "cy");
    const Outcome r = d.transfer(1, "bob", T0 + 1min);
    CHECK(r == Outcome{{Unassigned{1, "amy", Unassigned::Why::transferred},
                        Assigned{1, "bob", "amy", T0 + 3min, false, "transferred"}},
                       std::nullopt});
    CHECK(d.transfer(2, "bob", T0).refused == Refusal::agent_unavailable);  // at capacity
    REQUIRE(d.set_presence("amy", Presence::offline, T0).ok());
    CHECK(d.transfer(2, "amy", T0).refused == Refusal::agent_unavailable);
    CHECK(d.transfer(2, "nobody", T0).refused == Refusal::unknown_agent);
    CHECK(d.transfer(99, "cy", T0).refused == Refusal::unknown_inquiry);
    CHECK(d.transfer(2, "cy", T0) == Outcome{});  // already theirs
}

TEST_CASE("accept only by the assigned agent; a reply by someone else on the roster moves the owner") {
    Dispatcher d({agent("amy"), agent("bob")}, {}, utc, T0);
    REQUIRE(assignee(d.enqueue(item(1), T0)) == "amy");
    CHECK(d.accept(1, "bob", T0).refused == Refusal::not_theirs);
    CHECK(d.accept(1, "zed", T0).refused == Refusal::unknown_agent);
    CHECK(d.accept(2, "amy", T0).refused == Refusal::unknown_inquiry);
    CHECK(d.accept(1, "amy", T0).ok());
    CHECK(!d.find(1)->reserved_until);
    CHECK(d.replied(1, "bob", T0 + 1min) ==
          Decisions{Unassigned{1, "amy", Unassigned::Why::transferred},
                    Assigned{1, "bob", "amy", std::nullopt, false, "replied to the buyer"}});
    CHECK(d.agents()[0].load == 0);
    CHECK(d.agents()[1].load == 0);
    CHECK(d.agents()[1].owned == 1);
}
