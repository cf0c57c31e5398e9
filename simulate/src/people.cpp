#include "ir/simulate/people.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

namespace ir::simulate {
namespace {

bool contains(const std::vector<std::string>& list, std::string_view value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

bool has_account(const routing::AgentSpec& a, std::string_view account) {
    return contains(a.accounts, "*") || contains(a.accounts, account);
}

}  // namespace

People::People(const PeopleConfig& config, const std::vector<routing::AgentSpec>& roster,
               const routing::LocalClock& clock, routing::Strategy strategy, Random& random, Agenda& agenda)
    : config_(config), clock_(clock), strategy_(strategy), random_(random), agenda_(agenda) {
    for (const auto& spec : roster) {
        if (index_.contains(spec.id)) continue;  // the dispatcher keeps the first of a repeated id too
        index_.emplace(spec.id, static_cast<std::uint32_t>(people_.size()));
        Person p;
        p.spec = &spec;
        people_.push_back(std::move(p));
    }
}

std::optional<std::uint32_t> People::person_of(const std::string& agent) const {
    const auto it = index_.find(agent);
    return it == index_.end() ? std::nullopt : std::optional<std::uint32_t>(it->second);
}

const People::Holding* People::holding(const Action& a) const {
    const auto it = held_.find(a.inquiry);
    if (it == held_.end() || it->second.person != a.person || it->second.generation != a.generation) return nullptr;
    return &it->second;
}

void People::observe(const router::StepResult& step, const router::Engine& engine, sla::TimePoint now) {
    for (const router::Alert& a : step.alerts) {
        if (a.kind == router::AlertKind::assigned) {
            if (a.topic.starts_with("agent/")) {
                if (const auto p = person_of(a.agent_id))
                    on_assigned(*p, a.inquiry_id, a.deadline != sla::TimePoint{}, now, engine);
            } else if (strategy_ == routing::Strategy::none && a.topic.starts_with("queue/")) {
                on_queued(a.account, now);
            }
        } else if (a.kind == router::AlertKind::unassigned) {
            const auto p = person_of(a.agent_id);
            const auto it = held_.find(a.inquiry_id);
            if (p && it != held_.end() && it->second.person == *p) release(a.inquiry_id, now, engine);
        } else if (a.kind == router::AlertKind::resolved) {
            release(a.inquiry_id, now, engine);
        }
    }
    if (config_.resolve_after.count() > 0)
        for (const auto& r : step.replies)
            agenda_.plan(r.replied_at + config_.resolve_after,
                         Action{Action::Kind::resolve, 0, static_cast<std::uint64_t>(r.inquiry), 0});
}

void People::on_assigned(std::uint32_t person, std::uint64_t inquiry, bool reserved, sla::TimePoint now,
                         const router::Engine& engine) {
    if (const auto it = held_.find(inquiry); it != held_.end() && it->second.person != person)
        release(inquiry, now, engine);  // it moved without an UNASSIGNED (someone else replied)
    const std::uint32_t generation = next_generation_++;
    held_[inquiry] = Holding{person, generation};
    Person& p = people_[person];
    std::erase(p.work, inquiry);
    std::erase(p.writing, inquiry);
    if (!reserved) {  // nothing to accept: the buyer wrote again to the conversation's owner
        p.work.push_back(inquiry);
        return start_work(person, now, engine);
    }
    const Action accept{Action::Kind::accept, person, inquiry, generation};
    if (strategy_ == routing::Strategy::none) return agenda_.plan(now, accept);  // they took it themselves
    if (random_.chance(config_.miss_rate)) {
        ++missed_;
        return;
    }
    agenda_.plan(now + random_.lognormal(config_.accept_median, config_.accept_spread), accept);
}

// With no routing, whoever is free and looks at the shared queue takes the best inquiry.
void People::on_queued(const std::string& account, sla::TimePoint now) {
    for (std::uint32_t i = 0; i < people_.size(); ++i) {
        Person& p = people_[i];
        if (p.look_planned || !p.idle() || !has_account(*p.spec, account) || !on_shift(i, now)) continue;
        p.look_planned = true;
        agenda_.plan(now + random_.lognormal(config_.accept_median, config_.accept_spread),
                     Action{Action::Kind::look, i, 0, 0});
    }
}

void People::release(std::uint64_t inquiry, sla::TimePoint now, const router::Engine& engine) {
    const auto it = held_.find(inquiry);
    if (it == held_.end()) return;
    const std::uint32_t person = it->second.person;
    held_.erase(it);
    Person& p = people_[person];
    std::erase(p.work, inquiry);
    if (std::erase(p.writing, inquiry) > 0) start_work(person, now, engine);  // its reply is dropped
}

void People::start_work(std::uint32_t person, sla::TimePoint now, const router::Engine& engine) {
    Person& p = people_[person];
    if (p.work.empty() || p.writing.size() >= config_.parallel) return;
    if (!on_shift(person, now)) return plan_wake(person, now);
    while (p.writing.size() < config_.parallel && !p.work.empty()) {
        const std::uint64_t inquiry = take_best(p, engine);
        if (inquiry == 0) break;
        p.writing.push_back(inquiry);
        agenda_.plan(now + reply_time(p, inquiry, engine),
                     Action{Action::Kind::finish_reply, person, inquiry, held_.at(inquiry).generation});
    }
}

// Tier first, then the earliest fast deadline (DOMAIN.md: tiers 1 and 2 before 3 and 4).
std::uint64_t People::take_best(Person& p, const router::Engine& engine) {
    std::uint64_t best = 0;
    std::tuple<int, sla::TimePoint, std::uint64_t> best_key{};
    for (const std::uint64_t inquiry : p.work) {
        const router::InquiryRecord* r = engine.find(router::InquiryId{inquiry});
        if (!r) continue;
        const auto clock = engine.clock(r->id);
        const auto key =
            std::make_tuple(r->assessment.tier, clock ? clock->fast_deadline : sla::TimePoint::max(), inquiry);
        if (best == 0 || key < best_key) {
            best = inquiry;
            best_key = key;
        }
    }
    std::erase_if(p.work, [&](std::uint64_t i) { return i == best || !engine.find(router::InquiryId{i}); });
    return best;
}

sla::Duration People::reply_time(const Person& p, std::uint64_t inquiry, const router::Engine& engine) {
    const routing::AgentSpec& spec = *p.spec;
    double factor = 1.0;
    if (const auto* r = engine.find(router::InquiryId{inquiry})) {
        const std::string& language = r->assessment.language;
        if (!spec.languages.empty() && language != "und" && !contains(spec.languages, language))
            factor *= config_.foreign_language_factor;
        if (spec.role == routing::Role::agent && (r->assessment.tier == 1 || r->assessment.suspect))
            factor *= config_.review_factor;
    }
    if (!spec.categories.empty())
        if (const auto item = engine.routing_of(router::InquiryId{inquiry});
            item && !item->item.category.empty() && !contains(spec.categories, item->item.category))
            factor *= config_.off_skill_factor;
    const sla::Duration base = random_.lognormal(config_.median_for(spec.role), config_.reply_spread);
    return sla::Duration{std::max<std::int64_t>(1, std::llround(static_cast<double>(base.count()) * factor))};
}

bool People::on_shift(std::uint32_t person, sla::TimePoint t) {
    Person& p = people_[person];
    if (p.spec->hours.always()) return true;
    if (!p.shift_until || t >= *p.shift_until) {
        p.on_shift = routing::on_shift(p.spec->hours, clock_.local(p.spec->time_zone, t));
        p.shift_until = routing::next_shift_change(p.spec->hours, p.spec->time_zone, clock_, t);
    }
    return p.on_shift;
}

void People::plan_wake(std::uint32_t person, sla::TimePoint now) {
    Person& p = people_[person];
    if (p.wake_planned) return;
    sla::TimePoint t = now;
    for (int i = 0; i < 16; ++i) {  // the next instant that starts a shift
        const auto change = routing::next_shift_change(p.spec->hours, p.spec->time_zone, clock_, t);
        if (!change) return;
        t = *change;
        if (routing::on_shift(p.spec->hours, clock_.local(p.spec->time_zone, t))) {
            p.wake_planned = true;
            return agenda_.plan(t, Action{Action::Kind::wake, person, 0, 0});
        }
    }
}

std::optional<router::StepResult> People::act(const Action& a, router::Engine& engine, sla::TimePoint now) {
    const router::InquiryId id{a.inquiry};
    switch (a.kind) {
        case Action::Kind::accept: {
            if (!holding(a) || !on_shift(a.person, now)) return std::nullopt;  // off shift: it runs out
            auto step = engine.on_accept(id, people_[a.person].spec->id, now);
            if (step.refused) {
                held_.erase(a.inquiry);
                return step;
            }
            people_[a.person].work.push_back(a.inquiry);
            start_work(a.person, now, engine);
            return step;
        }
        case Action::Kind::finish_reply: {
            if (!holding(a)) return std::nullopt;
            Person& p = people_[a.person];
            std::erase(p.writing, a.inquiry);
            held_.erase(a.inquiry);
            auto step = engine.on_reply(id, p.spec->id, now);
            start_work(a.person, now, engine);
            return step;
        }
        case Action::Kind::wake:
            people_[a.person].wake_planned = false;
            start_work(a.person, now, engine);
            return std::nullopt;
        case Action::Kind::look: {
            Person& p = people_[a.person];
            p.look_planned = false;
            if (!p.idle() || !on_shift(a.person, now)) return std::nullopt;
            return engine.on_presence(p.spec->id, routing::Presence::available, now);
        }
        case Action::Kind::resolve: {
            const router::InquiryRecord* r = engine.find(id);
            if (!r || r->state != router::InquiryState::replied || !r->last_reply_at ||
                *r->last_reply_at + config_.resolve_after > now)
                return std::nullopt;
            return engine.on_resolve(id, now);
        }
    }
    return std::nullopt;
}

}  // namespace ir::simulate
