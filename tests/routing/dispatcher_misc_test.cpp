// Smaller contracts: repeated enqueues, replies from outside the roster, unknown ids, logs.
#include "routing_test_support.hpp"

using namespace routing_test;

namespace {
const FixedOffsetClock utc;
}

TEST_CASE("enqueue of a known inquiry re-tiers it, and reopens it if it was answered") {
    Dispatcher d({agent("amy"), agent("sam", Role::senior)}, {}, utc, T0);
    REQUIRE(assignee(d.enqueue(item(1, 3), T0)) == "amy");
    CHECK(d.enqueue(item(1, 3, T0 + 6min), T0).empty());
    REQUIRE(d.replied(1, "amy", T0 + 1min).empty());
    CHECK(d.enqueue(item(1, 3, T0 + 20min), T0 + 15min) ==
          Decisions{Assigned{1, "amy", "amy", std::nullopt, true, "buyer wrote again"}});
    CHECK(d.size() == 1);
}

TEST_CASE("a reply from outside the roster answers it: it leaves its queue, the owner keeps it") {
    Dispatcher d({agent("amy", Role::agent, {"acme"}, 1)}, {}, utc, T0);
    REQUIRE(assignee(d.enqueue(item(1), T0)) == "amy");
    REQUIRE(queued(d.enqueue(item(2), T0)));
    CHECK(d.replied(2, "platform-autoreply", T0).empty());
    CHECK(d.queues().empty());
    CHECK(d.find(2)->answered);
    CHECK(d.replied(1, "", T0).empty());  // frees amy's slot; nothing waits
    CHECK(d.owner_of(1) == "amy");
    CHECK(d.agents()[0].load == 0);
}

TEST_CASE("unknown inquiries and agents change nothing") {
    Dispatcher d({agent("amy")}, {}, utc, T0);
    CHECK(d.update(9, 1, false, T0, T0).empty());
    CHECK(d.replied(9, "amy", T0).empty());
    CHECK(d.reopened(9, T0, T0).empty());
    CHECK(d.release(9, T0).empty());
    CHECK(d.set_presence("zed", Presence::offline, T0).refused == Refusal::unknown_agent);
    CHECK(d.owner_of(9).empty());
    CHECK(!d.find(9));
    CHECK(!d.next_deadline());
}

TEST_CASE("a repeated roster id keeps the first; agents are listed by id") {
    AgentSpec first = agent("bob");
    AgentSpec second = agent("bob", Role::supervisor);
    Dispatcher d({first, agent("amy"), second}, {}, utc, T0);
    const auto views = d.agents();
    REQUIRE(views.size() == 2);
    CHECK(views[0].id == "amy");
    CHECK(views[1].role == Role::agent);
}

TEST_CASE("decisions print as one readable line") {
    CHECK(to_string(Decision{Assigned{7, "amy", "bob", T0, true, "previous owner"}}) ==
          "Assigned{inquiry=7 agent=amy previous=bob reserved_until=1795428000000 sticky=true reason=previous "
          "owner}");
    CHECK(to_string(Decision{Unassigned{7, "amy", Unassigned::Why::agent_offline}}) ==
          "Unassigned{inquiry=7 agent=amy why=agent_offline}");
    CHECK(to_string(Decision{Queued{7, "verify/acme", {"fee", "urgency"}}}) ==
          "Queued{inquiry=7 queue=verify/acme reasons=fee,urgency}");
    CHECK(to_string(Decision{SupervisorsNotified{7, {"sue"}}}) == "SupervisorsNotified{inquiry=7 supervisors=sue}");
    CHECK(to_string(Refusal::not_theirs) == "the inquiry is not assigned to this agent");
    CHECK(queue_name(item(1, 3, T0, "acme", "")) == "acme/uncategorised");
}

TEST_CASE("find() gives the item back as it was given, whatever it is stored as") {
    Dispatcher d({agent("amy", Role::senior, {"acme"}, 1)}, {}, utc, T0);
    Item a = item(1, 7);  // an out-of-range tier counts as 4 but is kept
    a.language = "de";
    a.reasons = {"not a suspect, but given"};
    a.preferred_owner = "nobody";
    (void)d.enqueue(a, T0);
    Item b = item(2, 2);
    b.suspect = true;
    b.reasons = {"asks for a fee", "new account"};
    const Decisions ds = d.enqueue(b, T0);
    REQUIRE(queued(ds));
    CHECK(std::get<Queued>(ds.front()).reasons == b.reasons);
    CHECK(std::get<Queued>(ds.front()).queue == "verify/acme");
    REQUIRE(d.find(1));
    CHECK(d.find(1)->item == a);
    CHECK(d.find(2)->item == b);
    CHECK(d.find(1)->owner == "amy");
    CHECK(d.find(1)->reserved_until.has_value());
    (void)d.release(1, T0);
    CHECK(d.find(2)->owner == "amy");
    CHECK(d.find(2)->item == b);
}
