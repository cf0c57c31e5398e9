#include "ir/simulate/replay.hpp"

#include <memory>
#include <unordered_map>

#include "ir/simulate/agenda.hpp"
#include "ir/simulate/people.hpp"
#include "ir/simulate/random.hpp"
#include "ir/simulate/tally.hpp"

namespace ir::simulate {
namespace {

const routing::FixedOffsetClock& utc_clock() {
    static const routing::FixedOffsetClock clock;
    return clock;
}

class Replay {
public:
    Replay(router::Engine& engine, InputSource& inputs, const ReplaySetup& setup)
        : engine_(engine), inputs_(inputs), setup_(setup), random_(setup.config.seed), tally_(setup.roster) {
        if (setup.people == PeopleMode::simulated)
            people_ = std::make_unique<People>(setup.config, setup.roster, setup.clock ? *setup.clock : utc_clock(),
                                               setup.strategy, random_, agenda_);
    }

    PolicyReport run();

private:
    enum class Next { engine, input, people, stop };
    Next choose(sla::TimePoint& at);
    void observe(const router::StepResult& step);
    void on_input(Input in);
    void apply_context(const Input& in, const router::StepResult& step);
    std::optional<router::InquiryId> recorded(std::uint64_t id) const;

    router::Engine& engine_;
    InputSource& inputs_;
    const ReplaySetup& setup_;
    Random random_;
    Agenda agenda_;
    std::unique_ptr<People> people_;
    Tally tally_;
    PolicyReport report_;
    sla::TimePoint now_{};
    sla::TimePoint last_input_{};
    std::optional<sla::TimePoint> engine_idle_at_;                       // a tick at this moment changed nothing
    std::unordered_map<std::uint64_t, router::InquiryId> recorded_ids_;  // a store's inquiry -> ours
};

// The earliest of the core's deadline, the next input and the people's next action; ties in
// that order. Stops once the inputs are over and nobody waits, or `drain` after the last input.
Replay::Next Replay::choose(sla::TimePoint& at) {
    const Input* in = inputs_.peek();
    // Recorded people answer nothing after what was recorded: the run ends with the inputs.
    if (!in && (!tally_.waiting() || setup_.people == PeopleMode::recorded)) return Next::stop;
    std::optional<sla::TimePoint> engine = engine_.next_deadline();
    if (engine && engine_idle_at_ == now_ && *engine <= now_) engine.reset();
    const std::optional<sla::TimePoint> people = agenda_.next();
    Next next = Next::stop;
    auto consider = [&](std::optional<sla::TimePoint> t, Next which) {
        if (t && (next == Next::stop || std::max(*t, now_) < at)) {
            at = std::max(*t, now_);
            next = which;
        }
    };
    consider(engine, Next::engine);
    consider(in ? std::optional<sla::TimePoint>(in->at) : std::nullopt, Next::input);
    consider(people, Next::people);
    if (!in && next != Next::stop && at > last_input_ + setup_.config.drain) return Next::stop;
    return next;
}

void Replay::observe(const router::StepResult& step) {
    tally_.observe(step, engine_, now_);
    if (people_) people_->observe(step, engine_, now_);
}

std::optional<router::InquiryId> Replay::recorded(std::uint64_t id) const {
    const auto it = recorded_ids_.find(id);
    return it == recorded_ids_.end() ? std::nullopt : std::optional<router::InquiryId>(it->second);
}

void Replay::on_input(Input in) {
    ++report_.inputs;
    last_input_ = now_;
    if (in.kind == Input::Kind::reply || in.kind == Input::Kind::resolve) {
        const auto id = recorded(in.recorded_inquiry);
        if (!id || setup_.people != PeopleMode::recorded) return;
        observe(in.kind == Input::Kind::reply ? engine_.on_reply(*id, in.agent, now_) : engine_.on_resolve(*id, now_));
        return;
    }
    if (in.event.direction == router::Direction::outbound && setup_.people == PeopleMode::simulated) {
        ++report_.ignored_outbound;  // our people's real replies: the simulated ones answer instead
        return;
    }
    const auto step = engine_.on_event(in.event, now_);
    if (in.recorded_inquiry && step.inquiry) recorded_ids_[in.recorded_inquiry] = *step.inquiry;
    observe(step);
    apply_context(in, step);
}

// An order placed during the traffic (a line's `context` counts more orders than the
// customer's record): it reaches the core as the daemon learns one, POST /v1/customers/{id}/
// orders, which re-tiers the customer's inquiries to tier 1. What was known before the first
// line is in the records the core starts with (KnownCustomers).
void Replay::apply_context(const Input& in, const router::StepResult& step) {
    if (!in.context || !step.inquiry || in.event.direction != router::Direction::inbound) return;
    if (in.context->orders == 0 && in.context->sample_orders == 0) return;
    const router::InquiryRecord* r = engine_.find(*step.inquiry);
    if (!r || r->customer == 0) return;
    const routing::CustomerId customer{r->customer};
    const auto known = engine_.customers().get(customer);
    if (!known) return;
    constexpr std::uint32_t most = 100;  // a replay needs to know "ordered before", not a ledger
    for (std::uint32_t n = known->orders; n < std::min(in.context->orders, most); ++n)
        observe(engine_.on_order(customer, false, now_));
    for (std::uint32_t n = known->sample_orders; n < std::min(in.context->sample_orders, most); ++n)
        observe(engine_.on_order(customer, true, now_));
}

PolicyReport Replay::run() {
    report_.policy = setup_.policy;
    report_.seed = setup_.config.seed;
    report_.people = std::string(to_string(setup_.people));
    if (const Input* first = inputs_.peek()) now_ = last_input_ = first->at;
    report_.from = now_;
    if (!setup_.known_customers.customers.empty()) {
        router::EngineState records;
        records.customers = setup_.known_customers;
        observe(engine_.restore(std::move(records), now_));
    }
    for (sla::TimePoint at{};;) {
        const Next next = choose(at);
        if (next == Next::stop) break;
        now_ = at;
        if (next == Next::engine) {
            const auto step = engine_.on_tick(now_);
            if (step.inquiries.empty() && step.alerts.empty() && step.sla_effects.empty()) engine_idle_at_ = now_;
            observe(step);
        } else if (next == Next::input) {
            on_input(*inputs_.next());
        } else {
            const auto [when, action] = agenda_.pop();
            if (auto step = people_->act(action, engine_, now_)) observe(*step);
        }
    }
    tally_.finish(now_, report_);
    if (people_) report_.missed_offers = people_->missed_offers();
    return std::move(report_);
}

}  // namespace

std::string_view to_string(PeopleMode m) {
    return m == PeopleMode::recorded ? "recorded" : "simulated";
}

PolicyReport replay(router::Engine& engine, InputSource& inputs, const ReplaySetup& setup) {
    return Replay(engine, inputs, setup).run();
}

}  // namespace ir::simulate
