#include "ir/simulate/tally.hpp"

#include <algorithm>

namespace ir::simulate {

Tally::Tally(const std::vector<routing::AgentSpec>& roster) {
    for (const auto& a : roster) report_.agents[a.id].replies.key = a.id;  // present even with nothing to do
}

std::uint32_t Tally::name(const std::string& s) {
    auto [it, added] = name_ids_.try_emplace(s, static_cast<std::uint32_t>(names_.size()));
    if (added) names_.push_back(s);
    return it->second;
}

void Tally::observe(const router::StepResult& step, const router::Engine& engine, sla::TimePoint now) {
    if (step.created && step.inquiry) {
        if (const router::InquiryRecord* r = engine.find(*step.inquiry)) {
            report_.accounts[r->account.str()].inquiries++;
            open_inquiries_[static_cast<std::uint64_t>(r->id)] = r->assessment.tier;
        }
    }
    // Tiers change with a buyer message's assessment, or with an order (a Retiered effect).
    for (const auto& d : step.details)
        if (auto it = open_inquiries_.find(static_cast<std::uint64_t>(d.id)); it != open_inquiries_.end())
            it->second = d.assessment.tier;
    for (const auto& e : step.sla_effects) on_effect(e);
    for (const auto& a : step.alerts) on_alert(a, now);
    for (const auto& stored : step.inquiries) {  // a resolved one has left the engine: count it by its last tier
        const router::InquiryRecord& r = stored.record;
        if (r.state != router::InquiryState::resolved) continue;
        if (open_inquiries_.erase(static_cast<std::uint64_t>(r.id)) == 0) continue;
        tier(r.assessment.tier).inquiries++;
        report_.overall.inquiries++;
    }
    for (const auto& r : step.replies) replies_.push_back({name(r.agent), name(r.account), r.buyer_at, r.replied_at});
}

void Tally::on_effect(const sla::Effect& e) {
    const sla::Subject& s = sla::subject_of(e);
    const auto clock = sla::raw(s.clock);
    const int t = static_cast<int>(s.tier);
    if (std::holds_alternative<sla::ClockStarted>(e)) {
        open_waits_[clock] = Wait{t};
    } else if (std::holds_alternative<sla::Retiered>(e)) {
        if (auto it = open_waits_.find(clock); it != open_waits_.end()) it->second.tier = t;
        if (auto it = open_inquiries_.find(sla::raw(s.inquiry)); it != open_inquiries_.end()) it->second = t;
    } else if (const auto* r = std::get_if<sla::ReplyRecorded>(&e)) {
        close_wait(clock, t, r->fast_met, r->timely_met);
        tier(t).replies++;
        report_.overall.replies++;
    } else if (const auto* b = std::get_if<sla::Breach>(&e)) {
        const bool fast = b->kind == sla::DeadlineKind::fast;
        (fast ? tier(t).fast_breaches : tier(t).timely_breaches)++;
        (fast ? report_.overall.fast_breaches : report_.overall.timely_breaches)++;
    } else if (const auto* resolved = std::get_if<sla::Resolved>(&e)) {
        if (resolved->reply_pending)
            if (auto it = open_waits_.find(clock); it != open_waits_.end())
                close_wait(clock, it->second.tier, false, false);
    } else if (std::holds_alternative<sla::FollowUpDue>(e)) {
        tier(t).follow_ups_due++;
        report_.overall.follow_ups_due++;
    }
}

void Tally::close_wait(std::uint64_t clock, int t, bool fast, bool timely) {
    if (open_waits_.erase(clock) == 0) return;
    for (Counts* c : {&tier(t), &report_.overall}) {
        c->waits++;
        c->within_fast += fast ? 1 : 0;
        c->within_timely += timely ? 1 : 0;
    }
}

void Tally::on_alert(const router::Alert& a, sla::TimePoint now) {
    const auto end_queue_wait = [&] {
        const auto it = queued_.find(a.inquiry_id);
        if (it == queued_.end()) return;
        if (now - it->second > report_.longest_queue_wait) {
            report_.longest_queue_wait = now - it->second;
            report_.longest_queue_wait_inquiry = a.inquiry_id;
        }
        queued_.erase(it);
    };
    if (a.kind == router::AlertKind::escalation) {
        tier(a.tier).escalations++;
        report_.overall.escalations++;
    } else if (a.kind == router::AlertKind::assigned && a.topic.starts_with("agent/")) {
        AgentFigures& f = report_.agents[a.agent_id];
        f.replies.key = a.agent_id;
        f.assigned++;
        end_queue_wait();
    } else if (a.kind == router::AlertKind::assigned && a.topic.starts_with("queue/")) {
        queued_.try_emplace(a.inquiry_id, now);
    } else if (a.kind == router::AlertKind::resolved) {
        end_queue_wait();
    }
}

void Tally::finish(sla::TimePoint end, PolicyReport& out) {
    while (!open_waits_.empty()) {
        const auto it = open_waits_.begin();
        close_wait(it->first, it->second.tier, false, false);
    }
    for (const auto& [id, t] : open_inquiries_) {
        tier(t).inquiries++;
        report_.overall.inquiries++;
    }
    open_inquiries_.clear();
    for (const auto& [id, since] : queued_) {
        // Ties between equally long waits go to the smaller id, whatever the hash order.
        const sla::Duration w = end - since;
        if (w > report_.longest_queue_wait ||
            (w == report_.longest_queue_wait && w.count() > 0 && id < report_.longest_queue_wait_inquiry)) {
            report_.longest_queue_wait = w;
            report_.longest_queue_wait_inquiry = id;
        }
    }
    queued_.clear();
    std::vector<routing::ReplyRow> rows;
    rows.reserve(replies_.size());
    for (const Reply& r : replies_) rows.push_back({names_[r.agent], names_[r.account], r.buyer_at, r.replied_at});
    replies_.clear();
    const routing::ReplyReport ranking = routing::reply_report(rows);
    for (const auto& s : ranking.agents) {
        AgentFigures& f = report_.agents[s.key];
        f.replies = s;
    }
    for (const auto& s : ranking.accounts) report_.accounts[s.key].replies = s;
    for (auto& [key, f] : report_.accounts) f.replies.key = key;
    out.overall = report_.overall;
    out.tiers = report_.tiers;
    out.agents = std::move(report_.agents);
    out.accounts = std::move(report_.accounts);
    out.longest_queue_wait = report_.longest_queue_wait;
    out.longest_queue_wait_inquiry = report_.longest_queue_wait_inquiry;
    out.to = end;
}

}  // namespace ir::simulate
