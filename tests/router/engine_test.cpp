// The core engine with a fake clock: inquiries, reply clocks, alerts and restore.
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

sla::SlaPolicy short_policy() {
    sla::SlaPolicy p;
    p.defaults.fast = 60s;
    p.defaults.fast_warning = 20s;
    p.defaults.timely = 600s;
    p.defaults.timely_warning = 100s;
    return p;
}

router::Event inbound(std::string message_id, std::string thread, sla::TimePoint at,
                      std::string body = "price for X9 Smart Watch?") {
    auto e = test::email(std::move(body));
    e.message_id = std::move(message_id);
    e.thread_id = std::move(thread);
    e.received_at = at;
    return e;
}

// The inquiries a step stores, by id.
std::vector<InquiryId> ids(const router::StepResult& s) {
    std::vector<InquiryId> out;
    for (const auto& i : s.inquiries) out.push_back(i.record.id);
    return out;
}

std::vector<routing::CustomerId> customer_ids(const router::StepResult& s) {
    std::vector<routing::CustomerId> out;
    for (const auto& c : s.customers) out.push_back(c.id);
    return out;
}

std::vector<AlertKind> kinds(const router::StepResult& s) {
    std::vector<AlertKind> out;
    for (const auto& a : s.alerts) out.push_back(a.kind);
    return out;
}

}  // namespace

TEST_CASE("a buyer message opens an inquiry, assessed, with both reply clocks") {
    Engine engine(test::assessor(), short_policy());
    auto step = engine.on_event(inbound("m1", "t1", T0), T0);
    REQUIRE(step.inquiry == InquiryId{1});
    CHECK(step.created);
    CHECK(ids(step) == std::vector<InquiryId>{InquiryId{1}});
    const auto* r = engine.find(InquiryId{1});
    REQUIRE(r);
    CHECK(r->state == InquiryState::open);
    CHECK(r->assessment.tier == 3);
    auto clock = engine.clock(InquiryId{1});
    REQUIRE(clock);
    CHECK(clock->fast_deadline == T0 + 60s);
    CHECK(clock->timely_deadline == T0 + 600s);
    CHECK(engine.next_deadline() == T0 + 40s);  // the fast warning
}

TEST_CASE("messages of one thread belong to one inquiry and count as buyer messages") {
    Engine engine(test::assessor(), short_policy());
    engine.on_event(inbound("m1", "t1", T0), T0);
    auto second = engine.on_event(inbound("m2", "t1", T0 + 1s), T0 + 1s);
    CHECK(second.inquiry == InquiryId{1});
    CHECK_FALSE(second.created);
    CHECK(engine.find(InquiryId{1})->context.customer_messages_in_thread == 2);
    CHECK(engine.on_event(inbound("m3", "t2", T0), T0).inquiry == InquiryId{2});
    // The clock still starts at the earliest unanswered message.
    CHECK(engine.clock(InquiryId{1})->started_at == T0);
}

TEST_CASE("a buyer known only by name stays one customer through the conversation, and keeps tier 1") {
    Engine engine(test::assessor(), short_policy());
    auto message = [](std::string id, std::string thread, sla::TimePoint at) {
        auto e = inbound(std::move(id), std::move(thread), at);
        e.channel = router::Channel::marketplace;
        e.sender = {};
        e.sender.name = "Camila Rocha";  // marketplace message centres often give no more
        return e;
    };
    const auto first = engine.on_event(message("m1", "t1", T0), T0);
    const auto customer = routing::CustomerId{engine.find(InquiryId{1})->customer};
    CHECK(customer_ids(first) == std::vector<routing::CustomerId>{customer});
    engine.on_order(customer, false, T0 + 1s);
    const auto second = engine.on_event(message("m2", "t1", T0 + 2s), T0 + 2s);
    CHECK(second.customers.empty());  // nothing new to store
    CHECK(routing::CustomerId{engine.find(InquiryId{1})->customer} == customer);
    CHECK(engine.customers().size() == 1);
    CHECK(engine.find(InquiryId{1})->assessment.tier == 1);  // the order is still known
    engine.on_event(message("m3", "t2", T0 + 3s), T0 + 3s);  // another conversation: nothing links them
    CHECK(engine.customers().size() == 2);
}

TEST_CASE("each buyer message's full assessment and sender go to the store, not into memory") {
    Engine engine(test::assessor(), short_policy());
    auto first = inbound("m1", "t1", T0);
    first.sender.name = "Jonas";
    first.sender.email = "j@weber.de";
    auto step = engine.on_event(first, T0);
    REQUIRE(step.details.size() == 1);
    CHECK(step.details[0].id == InquiryId{1});
    CHECK(step.details[0].sender == first.sender);
    CHECK(step.details[0].assessment.tier == engine.find(InquiryId{1})->assessment.tier);
    CHECK_FALSE(step.details[0].assessment.reasons.empty());
    auto reply = inbound("r1", "t1", T0 + 1s);
    reply.direction = router::Direction::outbound;
    CHECK(engine.on_event(reply, T0 + 1s).details.empty());  // our reply assesses nothing
}

TEST_CASE("a large buyer with little shown interest is followed up again after two days") {
    Engine engine(test::assessor(), short_policy());
    auto step = engine.on_event(inbound("m1", "t1", T0, "price for 20000 pcs X9 Smart Watch?"), T0);
    REQUIRE(step.details.size() == 1);
    CHECK(step.details[0].assessment.large_order);
    CHECK(engine.find(InquiryId{1})->assessment.tier >= 3);
    auto reply = inbound("r1", "t1", T0 + 30s, "Hello, here is our offer");
    reply.direction = router::Direction::outbound;
    engine.on_event(reply, T0 + 30s);
    CHECK(engine.on_tick(T0 + 30s + std::chrono::hours(47)).alerts.empty());
    auto due = engine.on_tick(T0 + 30s + std::chrono::hours(48));
    CHECK(kinds(due) == std::vector{AlertKind::follow_up_due});
}

TEST_CASE("warning, breach and escalation fire in order with gap-free sequence numbers") {
    Engine engine(test::assessor(), short_policy());
    engine.on_event(inbound("m1", "t1", T0), T0);
    auto warn = engine.on_tick(T0 + 40s);
    CHECK(kinds(warn) == std::vector{AlertKind::warning});
    CHECK(warn.alerts[0].seq == 1);
    CHECK(warn.alerts[0].topic == "queue/alibaba-electronics/");
    auto breach = engine.on_tick(T0 + 60s);
    CHECK(kinds(breach) == std::vector{AlertKind::breach});  // tier 3 escalates only the timely breach
    CHECK(breach.alerts[0].seq == 2);
    CHECK(breach.alerts[0].clock == router::ClockKind::fast);
    auto timely = engine.on_tick(T0 + 600s);
    CHECK(kinds(timely) == std::vector{AlertKind::warning, AlertKind::breach, AlertKind::escalation});
    CHECK(timely.alerts[2].topic == "escalation/alibaba-electronics/");
    CHECK(timely.alerts[2].seq == 5);
    CHECK(timely.alerts[2].escalates == AlertKind::breach);  // which stage it escalates
    CHECK_FALSE(timely.alerts[1].escalates.has_value());
    CHECK(engine.on_tick(T0 + 700s).alerts.empty());  // never repeated
}

TEST_CASE("our reply stops the clock; a new buyer message starts a new one") {
    Engine engine(test::assessor(), short_policy());
    engine.on_event(inbound("m1", "t1", T0), T0);
    auto reply = inbound("r1", "t1", T0 + 30s, "Hello, here is our offer");
    reply.direction = router::Direction::outbound;
    reply.sender.email = "anna@our-company.com";
    auto step = engine.on_event(reply, T0 + 30s);
    CHECK(step.inquiry == InquiryId{1});
    CHECK(engine.find(InquiryId{1})->state == InquiryState::replied);
    CHECK(engine.find(InquiryId{1})->last_replied_by == "anna@our-company.com");
    CHECK(engine.on_tick(T0 + 700s).alerts.empty());
    engine.on_event(inbound("m2", "t1", T0 + 800s), T0 + 800s);
    CHECK(engine.clock(InquiryId{1})->fast_deadline == T0 + 860s);
}

TEST_CASE("a reply to a thread we do not track opens nothing") {
    Engine engine(test::assessor(), short_policy());
    auto reply = inbound("r1", "unknown", T0);
    reply.direction = router::Direction::outbound;
    auto step = engine.on_event(reply, T0);
    CHECK_FALSE(step.inquiry.has_value());
    CHECK(step.inquiries.empty());
    CHECK(step.empty());
}

TEST_CASE("resolve stops the clocks and publishes RESOLVED") {
    Engine engine(test::assessor(), short_policy());
    engine.on_event(inbound("m1", "t1", T0), T0);
    auto step = engine.on_resolve(InquiryId{1}, T0 + 5s);
    CHECK(kinds(step) == std::vector{AlertKind::resolved});
    CHECK(engine.open_count() == 0);
    // It leaves memory with this step, which still carries it for the store.
    CHECK(engine.find(InquiryId{1}) == nullptr);
    REQUIRE(ids(step) == std::vector<InquiryId>{InquiryId{1}});
    CHECK(step.inquiries[0].record.state == InquiryState::resolved);
    CHECK_FALSE(step.inquiries[0].clock.has_value());  // no clock runs for it any more
    CHECK_FALSE(engine.next_deadline().has_value());
    // A new message on the thread is a new conversation.
    CHECK(engine.on_event(inbound("m2", "t1", T0 + 10s), T0 + 10s).inquiry == InquiryId{2});
}

TEST_CASE("restore from stored records resumes every clock; what came due meanwhile fires once, late") {
    Engine first(test::assessor(), short_policy());
    first.on_event(inbound("m1", "t1", T0), T0);
    first.on_event(inbound("m2", "t2", T0 + 5s), T0 + 5s);
    first.on_tick(T0 + 40s);  // t1's fast warning fired before the "crash"
    router::EngineState stored;
    for (auto id : {InquiryId{1}, InquiryId{2}})
        stored.inquiries.push_back({*first.find(id), first.clock(id), first.routing_of(id)});
    stored.customers = first.customers().export_state();
    stored.next_inquiry_id = 3;
    stored.next_alert_seq = first.next_alert_seq();

    Engine second(test::assessor(), short_policy());
    CHECK(second.restore(stored, T0 + 41s).alerts.empty());
    CHECK(second.clock(InquiryId{1}) == first.clock(InquiryId{1}));
    CHECK(second.next_deadline() == first.next_deadline());
    auto late = second.on_tick(T0 + 120s);  // down for a while
    CHECK(kinds(late) == std::vector{AlertKind::warning, AlertKind::breach, AlertKind::breach});
    for (const auto& a : late.alerts) CHECK(a.late);
    CHECK(late.alerts.front().seq == first.next_alert_seq());
    CHECK(second.on_event(inbound("m3", "t3", T0 + 121s), T0 + 121s).inquiry == InquiryId{3});
}

TEST_CASE("scope buyer: one clock for all of a buyer's inquiries on the account, from the first") {
    Engine engine(test::assessor(), short_policy());
    engine.set_buyer_scope({"alibaba-electronics"});
    engine.on_event(inbound("m1", "t1", T0), T0);
    auto second = engine.on_event(inbound("m2", "t2", T0 + 30s), T0 + 30s);  // same buyer, another thread
    REQUIRE(second.inquiry == InquiryId{2});
    CHECK(engine.clock(InquiryId{2})->fast_deadline == T0 + 60s);  // timed from the first message
    CHECK(engine.clock(InquiryId{1}) == engine.clock(InquiryId{2}));
    // Another buyer keeps a clock of their own.
    auto other = inbound("m3", "t3", T0 + 30s);
    other.sender.email = "kim@other-shop.com";
    engine.on_event(other, T0 + 30s);
    CHECK(engine.clock(InquiryId{3})->fast_deadline == T0 + 90s);

    // One reply, in the second thread, answers the buyer: both stop.
    auto reply = inbound("r1", "t2", T0 + 40s);
    reply.direction = router::Direction::outbound;
    auto step = engine.on_event(reply, T0 + 40s);
    CHECK(step.find(InquiryId{1}) != nullptr);
    auto later = engine.on_tick(T0 + 200s);
    for (const auto& a : later.alerts) CHECK(a.inquiry_id == 3);

    // Resolving the first keeps the shared clock for the second; its alerts name the second.
    engine.on_event(inbound("m4", "t2", T0 + 300s), T0 + 300s);
    engine.on_resolve(InquiryId{1}, T0 + 301s);
    REQUIRE(engine.clock(InquiryId{2}));
    auto warn = engine.on_tick(T0 + 300s + 40s);
    REQUIRE(warn.alerts.size() == 1);
    CHECK(warn.alerts[0].inquiry_id == 2);
}

TEST_CASE("the clock going backwards fires nothing twice") {
    Engine engine(test::assessor(), short_policy());
    engine.on_event(inbound("m1", "t1", T0), T0);
    CHECK(engine.on_tick(T0 + 61s).alerts.size() == 2);
    CHECK(engine.on_tick(T0 + 10s).alerts.empty());
    CHECK(engine.on_tick(T0 + 61s).alerts.empty());
}

TEST_CASE("a step is a value: what it stores is the engine's state after it, and equal inputs give equal steps") {
    Engine a(test::assessor(), short_policy());
    Engine b(test::assessor(), short_policy());
    auto first = a.on_event(inbound("m1", "t1", T0), T0);
    REQUIRE(first == b.on_event(inbound("m1", "t1", T0), T0));
    REQUIRE(first.inquiries == std::vector<router::StoredInquiry>{
                                   {*a.find(InquiryId{1}), a.clock(InquiryId{1}), a.routing_of(InquiryId{1})}});
    const auto customer = routing::CustomerId{a.find(InquiryId{1})->customer};
    REQUIRE(first.customers == std::vector{*a.customers().get(customer)});
    // Later steps compare whole too: the engine is never asked again about what a step did.
    REQUIRE(a.on_tick(T0 + 40s) == b.on_tick(T0 + 40s));
    REQUIRE(a.on_reply(InquiryId{1}, "anna", T0 + 45s) == b.on_reply(InquiryId{1}, "anna", T0 + 45s));
    REQUIRE(a.on_order(customer, false, T0 + 50s) == b.on_order(customer, false, T0 + 50s));
    REQUIRE(a.on_resolve(InquiryId{1}, T0 + 55s) == b.on_resolve(InquiryId{1}, T0 + 55s));
    REQUIRE(a.on_tick(T0 + 600s) == router::StepResult{});  // nothing runs any more
}

TEST_CASE("forgetting customers keeps those with an open inquiry and erases the others with their merges") {
    Engine engine(test::assessor(), short_policy());
    auto from = [](std::string id, std::string thread, std::string email, std::string phone, sla::TimePoint at) {
        auto e = inbound(std::move(id), std::move(thread), at);
        e.sender.email = std::move(email);
        e.sender.phone = std::move(phone);
        return e;
    };
    engine.on_event(from("m1", "t1", "ann@x.com", "", T0), T0);
    engine.on_event(from("m2", "t2", "", "+49 170 1234567", T0), T0);
    engine.on_event(from("m3", "t3", "ann@x.com", "+49 170 1234567", T0), T0);  // links the two: one buyer
    const auto ann = routing::CustomerId{engine.find(InquiryId{1})->customer};
    engine.on_event(from("m4", "t4", "bob@x.com", "", T0), T0);
    const auto bob = routing::CustomerId{engine.find(InquiryId{4})->customer};
    REQUIRE(ann != bob);

    auto kept = engine.forget_customers({ann, bob}, T0 + 1s);
    CHECK(kept.forgotten.empty());  // both have open inquiries
    CHECK(kept.empty());
    for (auto id : {1, 2, 3}) engine.on_resolve(InquiryId{static_cast<std::uint64_t>(id)}, T0 + 2s);
    auto step = engine.forget_customers({routing::CustomerId{2}, bob}, T0 + 3s);  // Ann by her merged-away id
    CHECK(step.forgotten == std::vector<routing::CustomerId>{ann, routing::CustomerId{2}});
    CHECK_FALSE(step.empty());
    CHECK_FALSE(engine.customers().get(ann));
    CHECK(engine.customers().get(bob));
    // She writes again: a new customer, nothing of the old one comes back.
    engine.on_event(from("m5", "t5", "ann@x.com", "", T0 + 4s), T0 + 4s);
    const auto again = engine.customers().get(routing::CustomerId{engine.find(InquiryId{5})->customer});
    REQUIRE(again);
    CHECK(again->id != ann);
    CHECK(again->conversations == 1);
}
