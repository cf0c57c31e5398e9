// The engine with routing on: a small roster, a fake clock. Routing's own rules are proven
// in tests/routing; these check what the engine makes of them: owners, queues, alerts,
// customers, replies for the report, and a restore that changes nothing.
#include "assessor_fixture.hpp"
#include "ir/router/engine.hpp"

using namespace ir;
using namespace std::chrono_literals;
using router::AlertKind;
using router::Engine;
using router::InquiryId;
using router::InquiryState;

namespace {

const sla::TimePoint T0 = sla::from_unix_ms(1'800'000'000'000);

routing::AgentSpec agent(std::string id, routing::Role role = routing::Role::agent, std::uint32_t capacity = 2) {
    routing::AgentSpec a;
    a.id = id;
    a.name = id;
    a.role = role;
    a.accounts = {"*"};
    a.capacity = capacity;
    return a;
}

router::RoutingSetup setup() {
    static const router::Catalog catalog = test::small_catalog();
    router::RoutingSetup s;
    s.roster = {agent("amy"), agent("bob"), agent("sue", routing::Role::senior),
                agent("zed", routing::Role::supervisor)};
    s.policy.reserve = 60s;
    s.policy.min_reserve = 20s;
    s.catalog = &catalog;
    s.agent_addresses = {{"amy@seller.example", "amy"}};
    return s;
}

router::Event inbound(std::string id, std::string thread, sla::TimePoint at, std::string email = "pat@buyer-shop.com",
                      std::string body = "price for X9 Smart Watch?") {
    auto e = test::email(std::move(body));
    e.message_id = std::move(id);
    e.thread_id = std::move(thread);
    e.received_at = at;
    e.sender.email = std::move(email);
    return e;
}

const router::Alert* find_alert(const router::StepResult& s, AlertKind kind, std::string_view topic) {
    for (const auto& a : s.alerts)
        if (a.kind == kind && a.topic == topic) return &a;
    return nullptr;
}

sla::SlaPolicy policy() {
    sla::SlaPolicy p;
    p.defaults.fast = 300s;
    p.defaults.fast_warning = 120s;
    return p;
}

}  // namespace

TEST_CASE("a new inquiry is assigned to an agent who can take it, with an ASSIGNED alert on their topic") {
    Engine engine(test::assessor(), policy(), {}, setup(), T0);
    auto step = engine.on_event(inbound("m1", "t1", T0), T0);
    const auto* r = engine.find(InquiryId{1});
    REQUIRE(r);
    CHECK(r->owner == "amy");  // least loaded, then by id
    const auto* a = find_alert(step, AlertKind::assigned, "agent/amy/");
    REQUIRE(a);
    CHECK(a->agent_id == "amy");
    CHECK(a->deadline == T0 + 60s);  // accept before the reservation runs out
    auto routed = engine.routing_of(InquiryId{1});
    REQUIRE(routed);
    CHECK(routed->item.category == "consumer-electronics");
    CHECK(routed->reserved_until == T0 + 60s);
}

TEST_CASE("an unaccepted assignment moves on and the first agent is told; accept keeps it") {
    Engine engine(test::assessor(), policy(), {}, setup(), T0);
    engine.on_event(inbound("m1", "t1", T0), T0);
    REQUIRE(engine.next_deadline() == T0 + 60s);  // the reservation, before the fast warning
    auto tick = engine.on_tick(T0 + 60s);
    CHECK(find_alert(tick, AlertKind::unassigned, "agent/amy/"));
    CHECK(find_alert(tick, AlertKind::assigned, "agent/bob/"));
    CHECK(engine.find(InquiryId{1})->owner == "bob");

    CHECK(engine.on_accept(InquiryId{1}, "amy", T0 + 61s).refused == routing::Refusal::not_theirs);
    auto ok = engine.on_accept(InquiryId{1}, "bob", T0 + 61s);
    CHECK_FALSE(ok.refused);
    CHECK_FALSE(engine.routing_of(InquiryId{1})->reserved_until);
    CHECK(engine.customers().get(routing::CustomerId{engine.find(InquiryId{1})->customer})->last_owner == "bob");
}

TEST_CASE("offline hands unanswered inquiries back at once; nobody free leaves them queued") {
    auto s = setup();
    s.roster = {agent("amy", routing::Role::agent, 1)};
    Engine engine(test::assessor(), policy(), {}, s, T0);
    engine.on_event(inbound("m1", "t1", T0), T0);
    auto second = engine.on_event(inbound("m2", "t2", T0 + 1s, "kim@shop-two.com"), T0 + 1s);
    CHECK(engine.find(InquiryId{2})->owner.empty());  // amy is at capacity
    CHECK(engine.find(InquiryId{2})->queue == "alibaba-electronics/consumer-electronics");
    CHECK(find_alert(second, AlertKind::assigned, "queue/alibaba-electronics/consumer-electronics/"));

    auto off = engine.on_presence("amy", routing::Presence::offline, T0 + 2s);
    CHECK(off.presence == std::vector<std::pair<std::string, routing::Presence>>{{"amy", routing::Presence::offline}});
    CHECK(find_alert(off, AlertKind::unassigned, "agent/amy/"));
    CHECK(engine.find(InquiryId{1})->owner.empty());
    CHECK(engine.on_presence("nobody", routing::Presence::away, T0 + 3s).refused == routing::Refusal::unknown_agent);
}

TEST_CASE("our reply frees the slot and counts for the report; the buyer's next conversation is sticky") {
    Engine engine(test::assessor(), policy(), {}, setup(), T0);
    engine.on_event(inbound("m1", "t1", T0), T0);
    auto reply = inbound("r1", "t1", T0 + 90s, "amy@seller.example", "Here is our offer");
    reply.direction = router::Direction::outbound;
    auto step = engine.on_event(reply, T0 + 90s);
    REQUIRE(step.replies.size() == 1);
    CHECK(step.replies[0].agent == "amy");  // her address maps to her roster id
    CHECK(step.replies[0].buyer_at == T0);
    CHECK(step.replies[0].replied_at == T0 + 90s);
    CHECK(engine.find(InquiryId{1})->state == InquiryState::replied);

    // Same buyer, new conversation (another channel even): back to amy, though bob is idle.
    auto chat = inbound("m2", "chat-1", T0 + 100s);
    chat.channel = router::Channel::chat;
    engine.on_event(chat, T0 + 100s);
    CHECK(engine.find(InquiryId{2})->owner == "amy");
    CHECK(engine.find(InquiryId{2})->customer == engine.find(InquiryId{1})->customer);
}

TEST_CASE("a first order re-tiers the customer's open inquiries to tier 1: the owner is told, a senior takes it") {
    Engine engine(test::assessor(), policy(), {}, setup(), T0);
    engine.on_event(inbound("m1", "t1", T0), T0);
    REQUIRE(engine.find(InquiryId{1})->assessment.tier == 3);
    const routing::CustomerId customer{engine.find(InquiryId{1})->customer};
    auto step = engine.on_order(customer, false, T0 + 10s);
    CHECK(engine.find(InquiryId{1})->assessment.tier == 1);
    CHECK(find_alert(step, AlertKind::retiered, "agent/amy/"));
    CHECK(find_alert(step, AlertKind::unassigned, "agent/amy/"));  // a plain agent cannot keep tier 1
    CHECK(engine.find(InquiryId{1})->owner == "sue");
    CHECK(find_alert(step, AlertKind::escalation, "agent/zed/"));  // the supervisor is told
    REQUIRE(step.customers.size() == 1);
    CHECK(step.customers[0] == *engine.customers().get(customer));  // as the order left it

    // The customer's next inquiry is tier 1 from the start.
    engine.on_event(inbound("m2", "t2", T0 + 20s), T0 + 20s);
    CHECK(engine.find(InquiryId{2})->assessment.tier == 1);
}

TEST_CASE("decline closes the inquiry and counts as a response") {
    Engine engine(test::assessor(), policy(), {}, setup(), T0);
    engine.on_event(inbound("m1", "t1", T0), T0);
    auto step = engine.on_decline(InquiryId{1}, "amy", T0 + 30s);
    CHECK(engine.find(InquiryId{1}) == nullptr);
    REQUIRE(step.inquiries.size() == 1);
    CHECK(step.inquiries[0].record.state == InquiryState::resolved);
    REQUIRE(step.replies.size() == 1);
    CHECK(step.replies[0].agent == "amy");
    CHECK(engine.dispatcher().agents()[0].load == 0);  // amy's slot is free again
    CHECK_FALSE(engine.next_deadline());
}

TEST_CASE("restore brings back owners, reservations, customers and presence, and decides nothing new") {
    Engine first(test::assessor(), policy(), {}, setup(), T0);
    first.on_event(inbound("m1", "t1", T0), T0);
    first.on_event(inbound("m2", "t2", T0 + 1s, "kim@shop-two.com"), T0 + 1s);
    first.on_presence("bob", routing::Presence::away, T0 + 2s);

    router::EngineState state;
    for (auto id : {InquiryId{1}, InquiryId{2}})
        state.inquiries.push_back({*first.find(id), first.clock(id), first.routing_of(id)});
    state.customers = first.customers().export_state();
    state.presence = {{"bob", routing::Presence::away}};
    state.next_inquiry_id = 3;
    state.next_alert_seq = first.next_alert_seq();

    Engine second(test::assessor(), policy(), {}, setup(), T0 + 3s);
    auto step = second.restore(state, T0 + 3s);
    CHECK(step.alerts.empty());
    for (auto id : {InquiryId{1}, InquiryId{2}}) {
        CHECK(*second.find(id) == *first.find(id));
        CHECK(second.routing_of(id) == first.routing_of(id));
    }
    CHECK(second.dispatcher().agents() == first.dispatcher().agents());
    CHECK(second.next_deadline() == first.next_deadline());
    // Both go on alike.
    REQUIRE(first.on_tick(T0 + 61s) == second.on_tick(T0 + 61s));
}

TEST_CASE("with no roster routing is off: inquiries wait in their account's queue, silently") {
    Engine engine(test::assessor(), policy(), {}, {}, T0);
    auto step = engine.on_event(inbound("m1", "t1", T0), T0);
    CHECK(step.alerts.empty());
    CHECK(engine.find(InquiryId{1})->queue == "alibaba-electronics");
    CHECK_FALSE(engine.routing_of(InquiryId{1}));
    CHECK_FALSE(engine.routing_enabled());
}

TEST_CASE("agents added to a store that ran without routing: its open inquiries are routed at restart") {
    Engine before(test::assessor(), policy(), {}, {}, T0);
    before.on_event(inbound("m1", "t1", T0), T0);
    router::EngineState state;
    state.inquiries.push_back({*before.find(InquiryId{1}), before.clock(InquiryId{1}), std::nullopt});
    state.customers = before.customers().export_state();
    state.next_inquiry_id = 2;
    state.next_alert_seq = before.next_alert_seq();

    Engine after(test::assessor(), policy(), {}, setup(), T0 + 10s);
    auto step = after.restore(state, T0 + 10s);
    CHECK(after.find(InquiryId{1})->owner == "amy");
    CHECK(find_alert(step, AlertKind::assigned, "agent/amy/"));
    REQUIRE(step.inquiries.size() == 1);
    CHECK(step.inquiries[0] ==
          router::StoredInquiry{*after.find(InquiryId{1}), after.clock(InquiryId{1}), after.routing_of(InquiryId{1})});
}
