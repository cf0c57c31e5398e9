#include "ir/router/engine.hpp"

#include <algorithm>

#include "ir/sla/duration.hpp"

namespace ir::router {
namespace {

std::string thread_key(std::string_view account, Channel channel, std::string_view thread) {
    std::string key;
    key.reserve(account.size() + thread.size() + 4);
    key.append(account).push_back('\x1f');
    key.append(to_string(channel)).push_back('\x1f');
    key.append(thread);
    return key;
}

sla::Tier tier_of(const InquiryRecord& r) {
    return static_cast<sla::Tier>(std::clamp(r.assessment.tier, 1, 4));
}

ClockKind clock_of(sla::DeadlineKind k) {
    return k == sla::DeadlineKind::fast ? ClockKind::fast : ClockKind::timely;
}

std::string owner_topic(const InquiryRecord& r) {
    return r.owner.empty() ? "queue/" + r.queue + "/" : "agent/" + r.owner + "/";
}

}  // namespace

AssessmentSummary summary_of(const Assessment& a) {
    return {a.tier, a.suspect, a.score, a.language, a.large_order};
}

std::string_view to_string(InquiryState s) {
    switch (s) {
        case InquiryState::open:
            return "open";
        case InquiryState::replied:
            return "replied";
        case InquiryState::resolved:
            return "resolved";
    }
    return "open";
}

std::optional<InquiryState> parse_inquiry_state(std::string_view s) {
    if (s == "open") return InquiryState::open;
    if (s == "replied") return InquiryState::replied;
    if (s == "resolved") return InquiryState::resolved;
    return std::nullopt;
}

std::string_view to_string(AlertKind k) {
    switch (k) {
        case AlertKind::warning:
            return "WARNING";
        case AlertKind::breach:
            return "BREACH";
        case AlertKind::escalation:
            return "ESCALATION";
        case AlertKind::follow_up_due:
            return "FOLLOW_UP_DUE";
        case AlertKind::assigned:
            return "ASSIGNED";
        case AlertKind::resolved:
            return "RESOLVED";
    }
    return "WARNING";
}

std::string_view to_string(ClockKind k) {
    return k == ClockKind::fast ? "FAST" : k == ClockKind::timely ? "TIMELY" : "";
}

namespace {
sla::SlaPolicy with_accounts(sla::SlaPolicy policy, sla::AccountNames& names,
                             const std::map<std::string, sla::SlaOverride>& per_account) {
    for (const auto& [name, o] : per_account) policy.accounts[names.intern(name)] = o;
    return policy;
}
}  // namespace

Engine::Engine(const Assessor& assessor, sla::SlaPolicy policy,
               const std::map<std::string, sla::SlaOverride>& per_account)
    : assessor_(assessor), policy_(with_accounts(std::move(policy), accounts_, per_account)), sla_(policy_) {}

void Engine::restore(std::vector<StoredInquiry> stored, std::uint64_t next_inquiry_id, std::uint64_t next_alert_seq) {
    std::vector<sla::ClockState> clocks;
    inquiries_.clear();
    by_thread_.clear();
    open_ = 0;
    for (auto& s : stored) {
        if (s.record.state == InquiryState::resolved) continue;
        InquiryRecord& r = inquiries_[static_cast<std::uint64_t>(s.record.id)] = std::move(s.record);
        by_thread_[thread_key(r.account, r.channel, r.thread_id)] = r.id;
        ++open_;
        if (s.clock) {
            s.clock->subject.account = accounts_.intern(r.account);  // ids are per run, names are not
            clocks.push_back(*s.clock);
        }
    }
    sla_ = sla::SlaEngine(policy_, clocks);
    next_inquiry_id_ = std::max<std::uint64_t>(next_inquiry_id, 1);
    next_alert_seq_ = std::max<std::uint64_t>(next_alert_seq, 1);
}

const InquiryRecord* Engine::find(InquiryId id) const {
    auto it = inquiries_.find(static_cast<std::uint64_t>(id));
    return it == inquiries_.end() ? nullptr : &it->second;
}

std::optional<sla::ClockState> Engine::clock(InquiryId id) const {
    return sla_.export_clock(sla::ClockId{static_cast<std::uint64_t>(id)});
}

sla::Subject Engine::subject_of(const InquiryRecord& r) const {
    sla::Subject s;
    s.clock = sla::ClockId{static_cast<std::uint64_t>(r.id)};
    s.inquiry = sla::InquiryId{static_cast<std::uint64_t>(r.id)};
    s.account = accounts_.find(r.account).value_or(sla::AccountId{});
    s.tier = tier_of(r);
    // DOMAIN.md: a large buyer who shows little interest yet (tier 3 or 4) is followed up
    // again within 1-3 days; tiers 1 and 2 are followed up by their own rules.
    s.weak_large_buyer = r.assessment.large_order && s.tier >= sla::Tier::three;
    return s;
}

void Engine::note_changed(InquiryId id, StepResult& out) const {
    if (std::find(out.changed.begin(), out.changed.end(), id) == out.changed.end()) out.changed.push_back(id);
}

InquiryRecord& Engine::open_inquiry(const Event& event, sla::TimePoint now, StepResult& out) {
    const std::string key = thread_key(event.account, event.channel, event.thread_id);
    if (auto it = by_thread_.find(key); it != by_thread_.end()) {
        InquiryRecord& r = inquiries_.at(static_cast<std::uint64_t>(it->second));
        out.inquiry = r.id;
        return r;
    }
    const InquiryId id{next_inquiry_id_++};
    InquiryRecord& r = inquiries_[static_cast<std::uint64_t>(id)];
    r.id = id;
    r.account = event.account;
    r.channel = event.channel;
    r.thread_id = event.thread_id;
    r.queue = event.account;  // one queue per account until routing assigns owners
    r.opened_at = std::min(event.received_at, now);
    by_thread_[key] = id;
    accounts_.intern(event.account);
    ++open_;
    out.inquiry = id;
    out.created = true;
    return r;
}

StepResult Engine::on_event(const Event& event, sla::TimePoint now, const Assessor::Analysis* analysis) {
    StepResult out;
    if (event.direction == Direction::outbound) {
        auto it = by_thread_.find(thread_key(event.account, event.channel, event.thread_id));
        if (it == by_thread_.end()) return out;  // our reply to nothing we track: journal only
        const std::string agent = event.sender.email.empty() ? event.sender.name : event.sender.email;
        InquiryRecord& r = inquiries_.at(static_cast<std::uint64_t>(it->second));
        out.inquiry = r.id;
        r.last_replied_by = agent;
        r.last_reply_at = std::min(event.received_at, now);
        r.state = InquiryState::replied;
        r.updated_at = now;
        note_changed(r.id, out);
        add_sla_effects(
            sla_.on_reply({sla::ClockId{static_cast<std::uint64_t>(r.id)}, sla::AgentId{}, event.received_at}, now),
            out);
        return out;
    }
    InquiryRecord& r = open_inquiry(event, now, out);
    r.context.customer_messages_in_thread += 1;
    auto assessment = analysis ? assessor_.decide(*analysis, event, r.context) : assessor_.assess(event, r.context);
    r.assessment = summary_of(assessment);
    out.details.push_back({r.id, std::move(assessment), event.sender});
    r.state = InquiryState::open;
    r.updated_at = now;
    note_changed(r.id, out);
    add_sla_effects(sla_.on_buyer_message({subject_of(r), event.received_at}, now), out);
    return out;
}

StepResult Engine::on_reply(InquiryId id, const std::string& agent, sla::TimePoint now) {
    StepResult out;
    auto it = inquiries_.find(static_cast<std::uint64_t>(id));
    if (it == inquiries_.end() || it->second.state == InquiryState::resolved) return out;
    InquiryRecord& r = it->second;
    out.inquiry = id;
    r.last_replied_by = agent;
    r.last_reply_at = now;
    r.state = InquiryState::replied;
    r.updated_at = now;
    note_changed(id, out);
    add_sla_effects(sla_.on_reply({sla::ClockId{static_cast<std::uint64_t>(id)}, sla::AgentId{}, now}, now), out);
    return out;
}

StepResult Engine::on_resolve(InquiryId id, sla::TimePoint now) {
    StepResult out;
    auto it = inquiries_.find(static_cast<std::uint64_t>(id));
    if (it == inquiries_.end() || it->second.state == InquiryState::resolved) return out;
    InquiryRecord& r = it->second;
    out.inquiry = id;
    r.state = InquiryState::resolved;
    r.updated_at = now;
    by_thread_.erase(thread_key(r.account, r.channel, r.thread_id));
    --open_;
    note_changed(id, out);
    add_sla_effects(sla_.on_resolve({sla::ClockId{static_cast<std::uint64_t>(id)}, now}, now), out);
    push_alert(out, AlertKind::resolved, r, owner_topic(r)).text = "inquiry resolved";
    out.retired.push_back(std::move(r));
    inquiries_.erase(it);
    return out;
}

StepResult Engine::on_tick(sla::TimePoint now) {
    StepResult out;
    add_sla_effects(sla_.on_tick(now), out);
    return out;
}

void Engine::add_sla_effects(sla::Effects effects, StepResult& out) {
    for (const auto& e : effects) {
        note_changed(InquiryId{sla::raw(sla::subject_of(e).inquiry)}, out);
        alert_for(e, out);
    }
    out.sla_effects.insert(out.sla_effects.end(), std::make_move_iterator(effects.begin()),
                           std::make_move_iterator(effects.end()));
}

Alert& Engine::push_alert(StepResult& out, AlertKind kind, const InquiryRecord& r, std::string topic) {
    Alert& a = out.alerts.emplace_back();
    a.seq = next_alert_seq_++;
    a.topic = std::move(topic);
    a.kind = kind;
    a.inquiry_id = static_cast<std::uint64_t>(r.id);
    a.account = r.account;
    a.agent_id = r.owner;
    a.tier = r.assessment.tier;
    return a;
}

void Engine::alert_for(const sla::Effect& effect, StepResult& out) {
    const auto it = inquiries_.find(sla::raw(sla::subject_of(effect).inquiry));
    if (it == inquiries_.end()) return;
    const InquiryRecord& r = it->second;
    auto timed = [&](AlertKind kind, std::string topic, sla::DeadlineKind k, sla::TimePoint deadline,
                     sla::TimePoint fired_at, bool late) {
        Alert& a = push_alert(out, kind, r, std::move(topic));
        a.clock = clock_of(k);
        a.deadline = deadline;
        a.fired_at = fired_at;
        a.late = late;
        const auto left = deadline - fired_at;
        a.text = std::string(to_string(kind)) + " " + std::string(to_string(a.clock)) + " reply clock, " +
                 (left.count() > 0 ? sla::format_duration(left) + " left" : sla::format_duration(-left) + " overdue") +
                 (late ? " (late)" : "");
    };
    if (const auto* w = std::get_if<sla::Warning>(&effect)) {
        timed(AlertKind::warning, owner_topic(r), w->kind, w->deadline, w->fired_at, w->late);
    } else if (const auto* b = std::get_if<sla::Breach>(&effect)) {
        timed(AlertKind::breach, owner_topic(r), b->kind, b->deadline, b->fired_at, b->late);
    } else if (const auto* e = std::get_if<sla::Escalation>(&effect)) {
        timed(AlertKind::escalation, "escalation/" + r.account + "/", sla::kind_of(e->stage), e->deadline, e->fired_at,
              e->late);
        const bool warning = sla::is_warning(e->stage);
        out.alerts.back().escalates = warning ? AlertKind::warning : AlertKind::breach;
        out.alerts.back().text += warning ? ", escalating the warning" : ", escalating the breach";
    } else if (const auto* f = std::get_if<sla::FollowUpDue>(&effect)) {
        Alert& a = push_alert(out, AlertKind::follow_up_due, r, owner_topic(r));
        a.deadline = f->due_at;
        a.fired_at = f->fired_at;
        a.late = f->late;
        a.text = "follow up with the customer";
    }
}

}  // namespace ir::router
