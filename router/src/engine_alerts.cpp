// What the engine publishes: alerts for clock effects and for routing decisions.
#include <algorithm>

#include "engine_internal.hpp"
#include "ir/router/engine.hpp"
#include "ir/sla/duration.hpp"

namespace ir::router {
namespace {

using detail::owner_topic;

ClockKind clock_kind(sla::DeadlineKind k) {
    return k == sla::DeadlineKind::fast ? ClockKind::fast : ClockKind::timely;
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (const auto& i : items) out.append(out.empty() ? "" : sep).append(i);
    return out;
}

}  // namespace

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
        case AlertKind::unassigned:
            return "UNASSIGNED";
        case AlertKind::retiered:
            return "RETIERED";
    }
    return "WARNING";
}

std::string_view to_string(ClockKind k) {
    return k == ClockKind::fast ? "FAST" : k == ClockKind::timely ? "TIMELY" : "";
}

Alert& Engine::push_alert(Draft& out, AlertKind kind, const InquiryRecord& r, std::string topic) {
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

void Engine::alert_for(const sla::Effect& effect, Draft& out) {
    const InquiryRecord* holder = clock_holder(sla::subject_of(effect));
    if (!holder) return;
    const InquiryRecord& r = *holder;
    auto timed = [&](AlertKind kind, std::string topic, sla::DeadlineKind k, sla::TimePoint deadline,
                     sla::TimePoint fired_at, bool late) -> Alert& {
        Alert& a = push_alert(out, kind, r, std::move(topic));
        a.clock = clock_kind(k);
        a.deadline = deadline;
        a.fired_at = fired_at;
        a.late = late;
        const auto left = deadline - fired_at;
        a.text = std::string(to_string(kind)) + " " + std::string(to_string(a.clock)) + " reply clock, " +
                 (left.count() > 0 ? sla::format_duration(left) + " left" : sla::format_duration(-left) + " overdue") +
                 (late ? " (late)" : "");
        return a;
    };
    if (const auto* w = std::get_if<sla::Warning>(&effect)) {
        timed(AlertKind::warning, owner_topic(r), w->kind, w->deadline, w->fired_at, w->late);
    } else if (const auto* b = std::get_if<sla::Breach>(&effect)) {
        timed(AlertKind::breach, owner_topic(r), b->kind, b->deadline, b->fired_at, b->late);
    } else if (const auto* e = std::get_if<sla::Escalation>(&effect)) {
        Alert& a = timed(AlertKind::escalation, "escalation/" + r.account + "/", sla::kind_of(e->stage), e->deadline,
                         e->fired_at, e->late);
        const bool warning = sla::is_warning(e->stage);
        a.escalates = warning ? AlertKind::warning : AlertKind::breach;
        a.text += warning ? ", escalating the warning" : ", escalating the breach";
    } else if (const auto* f = std::get_if<sla::FollowUpDue>(&effect)) {
        Alert& a = push_alert(out, AlertKind::follow_up_due, r, owner_topic(r));
        a.deadline = f->due_at;
        a.fired_at = f->fired_at;
        a.late = f->late;
        a.text = "follow up with the customer";
    }
}

// Routing's decisions become the record's owner and queue, and alerts: ASSIGNED to the new
// owner (or to the queue it waits in), UNASSIGNED to the one it left, ESCALATION to each
// supervisor told of a tier 1 inquiry.
void Engine::add_decisions(const routing::Decisions& decisions, sla::TimePoint now, Draft& out) {
    for (const auto& d : decisions) {
        const std::uint64_t id = std::visit([](const auto& x) { return x.inquiry; }, d);
        InquiryRecord* r = find_mutable(id);
        if (!r) {  // released with its inquiry (resolve, decline): the retired record is the one
            for (auto& retired : out.retired)
                if (static_cast<std::uint64_t>(retired.id) == id) r = &retired;
        }
        if (!r) continue;
        note_changed(r->id, out);
        r->updated_at = std::max(r->updated_at, now);
        const auto at = now;
        if (const auto* a = std::get_if<routing::Assigned>(&d)) {
            r->owner = names_.intern(a->agent);
            r->queue.clear();
            Alert& alert = push_alert(out, AlertKind::assigned, *r, "agent/" + a->agent + "/");
            alert.fired_at = at;
            alert.text = "assigned to " + a->agent + ": " + a->reason;
            if (a->reserved_until) {
                alert.deadline = *a->reserved_until;
                alert.text += "; accept by " + sla::format_duration(*a->reserved_until - at) + " from now";
            }
            if (!a->previous.empty()) alert.text += " (was " + a->previous + ")";
        } else if (const auto* u = std::get_if<routing::Unassigned>(&d)) {
            if (r->owner == u->agent) r->owner.clear();
            if (u->why == routing::Unassigned::Why::released) continue;  // RESOLVED tells them
            Alert& alert = push_alert(out, AlertKind::unassigned, *r, "agent/" + u->agent + "/");
            alert.agent_id = u->agent;
            alert.fired_at = at;
            alert.text = "no longer yours: " + std::string(routing::to_string(u->why));
        } else if (const auto* q = std::get_if<routing::Queued>(&d)) {
            r->owner.clear();
            r->queue = names_.intern(q->queue);
            Alert& alert = push_alert(out, AlertKind::assigned, *r, "queue/" + q->queue + "/");
            alert.fired_at = at;
            alert.text = "waiting in " + q->queue + ": nobody who can take it is free";
            if (!q->reasons.empty()) alert.text += "; verify: " + join(q->reasons, "; ");
        } else if (const auto* s = std::get_if<routing::SupervisorsNotified>(&d)) {
            const std::string holder = r->owner.empty() ? "waiting in " + r->queue.str() : "held by " + r->owner.str();
            if (s->supervisors.empty()) {
                Alert& alert = push_alert(out, AlertKind::escalation, *r, "escalation/" + r->account + "/");
                alert.fired_at = at;
                alert.text = "tier 1 inquiry, " + holder + "; this account has no supervisor";
            }
            for (const auto& sup : s->supervisors) {
                Alert& alert = push_alert(out, AlertKind::escalation, *r, "agent/" + sup + "/");
                alert.fired_at = at;
                alert.text = "tier 1 inquiry, " + holder + ": supervise every reply";
            }
        }
    }
}

}  // namespace ir::router
