// Queue order, skills, language preference and capacity.
#include "routing_test_support.hpp"

using namespace routing_test;

namespace {
const FixedOffsetClock utc;
}

TEST_CASE("a freed agent takes tier order first, then the earliest deadline") {
    Dispatcher d({agent("ann", Role::senior, {"acme"}, 1)}, {}, utc, T0);
    REQUIRE(assignee(d.enqueue(item(1, 4), T0)) == "ann");  // fills her only slot
    CHECK(queued(d.enqueue(item(2, 4, T0 + 1min), T0)));
    CHECK(queued(d.enqueue(item(3, 2, T0 + 9min), T0)));
    CHECK(queued(d.enqueue(item(4, 3, T0 + 2min), T0)));
    CHECK(queued(d.enqueue(item(5, 2, T0 + 3min), T0)));
    std::vector<std::uint64_t> order;
    std::uint64_t current = 1;
    for (int i = 0; i < 4; ++i) {
        const Decisions ds = d.replied(current, "ann", T0 + 10s);
        REQUIRE(ds.size() == 1);
        current = std::get<Assigned>(ds[0]).inquiry;
        order.push_back(current);
    }
    CHECK(order == std::vector<std::uint64_t>{5, 3, 4, 2});
}

TEST_CASE("queued decisions name the queue, and the queue view shows depth and oldest deadline") {
    Dispatcher d({agent("ann", Role::agent, {"acme"}, 0)}, {}, utc, T0);
    CHECK(d.enqueue(item(1, 3, T0 + 4min), T0) == Decisions{Queued{1, "acme/apparel", {}}});
    CHECK(d.enqueue(item(2, 2, T0 + 7min), T0) == Decisions{Queued{2, "acme/apparel", {}}});
    CHECK(d.enqueue(item(3, 3, T0 + 1min, "acme", ""), T0) == Decisions{Queued{3, "acme/uncategorised", {}}});
    const auto qs = d.queues();
    REQUIRE(qs.size() == 2);
    CHECK(qs[0] == QueueView{"acme/apparel", 2, T0 + 4min});
    CHECK(qs[1] == QueueView{"acme/uncategorised", 1, T0 + 1min});
}

TEST_CASE("skills: only agents with the account and the category take it") {
    AgentSpec bob = agent("bob", Role::agent, {"globex"});
    AgentSpec cat = agent("cat", Role::agent, {"acme"});
    cat.categories = {"jewelry"};
    AgentSpec dan = agent("dan", Role::agent, {"*"});
    dan.categories = {"apparel"};
    Dispatcher d({bob, cat, dan}, {}, utc, T0);
    CHECK(assignee(d.enqueue(item(1, 3, T0 + 5min, "acme", "apparel"), T0)) == "dan");
    CHECK(assignee(d.enqueue(item(2, 3, T0 + 5min, "acme", "jewelry"), T0)) == "cat");
    CHECK(assignee(d.enqueue(item(3, 3, T0 + 5min, "globex", "jewelry"), T0)) == "bob");
    CHECK(queued(d.enqueue(item(4, 3, T0 + 5min, "initech", "jewelry"), T0)));
    CHECK(assignee(d.enqueue(item(5, 3, T0 + 5min, "initech", "apparel"), T0)) == "dan");
}

TEST_CASE("language: a speaker is preferred, a non-speaker beats leaving it queued") {
    AgentSpec ann = agent("ann");
    ann.languages = {"en"};
    AgentSpec bea = agent("bea");
    bea.languages = {"de", "en"};
    Dispatcher d({ann, bea}, {}, utc, T0);
    Item german = item(1);
    german.language = "de";
    const Decisions ds = d.enqueue(german, T0);
    REQUIRE(assignee(ds) == "bea");
    CHECK(std::get<Assigned>(ds[0]).reason == "speaks de, least loaded (0/10)");
    REQUIRE(d.set_presence("bea", Presence::away, T0).ok());
    Item german2 = item(2);
    german2.language = "de";
    const Decisions ds2 = d.enqueue(german2, T0);
    REQUIRE(assignee(ds2) == "ann");
    CHECK(std::get<Assigned>(ds2[0]).reason == "no free speaker of de, least loaded (0/10)");
}

TEST_CASE("least loaded first; ties go to the first id") {
    Dispatcher d({agent("bob"), agent("ann")}, {}, utc, T0);
    CHECK(assignees(d.enqueue(item(1), T0)) == std::vector<std::string>{"ann"});
    CHECK(assignees(d.enqueue(item(2), T0)) == std::vector<std::string>{"bob"});
    CHECK(assignees(d.enqueue(item(3), T0)) == std::vector<std::string>{"ann"});
    REQUIRE(d.replied(1, "ann", T0).empty());
    REQUIRE(d.replied(3, "ann", T0).empty());
    CHECK(assignees(d.enqueue(item(4), T0)) == std::vector<std::string>{"ann"});  // load 0 vs 1
}

TEST_CASE("capacity: nobody above it; a freed slot pulls the next queued inquiry in order") {
    Dispatcher d({agent("ann", Role::agent, {"acme"}, 2)}, {}, utc, T0);
    CHECK(assignee(d.enqueue(item(1), T0)) == "ann");
    CHECK(assignee(d.enqueue(item(2), T0)) == "ann");
    CHECK(queued(d.enqueue(item(3, 3, T0 + 8min), T0)));
    CHECK(queued(d.enqueue(item(4, 3, T0 + 6min), T0)));
    CHECK(d.agents().front().load == 2);
    const Decisions ds = d.replied(1, "ann", T0 + 1min);
    REQUIRE(ds.size() == 1);
    const auto& a = std::get<Assigned>(ds[0]);
    CHECK(a.inquiry == 4);
    CHECK(a.reason == "next in queue acme/apparel");
    CHECK(d.agents().front().load == 2);
    CHECK(d.agents().front().owned == 3);  // the answered one stays hers
    CHECK(d.release(2, T0 + 2min) ==
          Decisions{Unassigned{2, "ann", Unassigned::Why::released},
                    Assigned{3, "ann", "", T0 + 2min + 2min, false, "next in queue acme/apparel"}});
}

TEST_CASE("a roster without anyone free keeps inquiries queued until someone is") {
    Dispatcher d({agent("ann")}, {}, utc, T0);
    REQUIRE(d.set_presence("ann", Presence::away, T0).ok());
    CHECK(queued(d.enqueue(item(1), T0)));
    CHECK(queued(d.enqueue(item(2, 2), T0)));
    CHECK(assignees(d.set_presence("ann", Presence::available, T0 + 1min).decisions) ==
          std::vector<std::string>{"ann", "ann"});
    CHECK(d.queues().empty());
}
