#include "ir/sla/effects.hpp"

namespace ir::sla {

std::string_view to_string(DeadlineKind k) {
    return k == DeadlineKind::fast ? "fast" : "timely";
}

std::string_view to_string(Stage s) {
    switch (s) {
        case Stage::fast_warning:
            return "fast_warning";
        case Stage::fast_breach:
            return "fast_breach";
        case Stage::timely_warning:
            return "timely_warning";
        case Stage::timely_breach:
            return "timely_breach";
        case Stage::follow_up:
            return "follow_up";
    }
    return "?";
}

const Subject& subject_of(const Effect& e) {
    return std::visit([](const auto& x) -> const Subject& { return x.subject; }, e);
}

namespace {

// Builds "Name{k=v k=v}" without streams.
class Line {
public:
    explicit Line(std::string_view name, const Subject& s) : text_(name) {
        text_ += '{';
        num("clock", raw(s.clock));
        num("inquiry", raw(s.inquiry));
        num("account", raw(s.account));
        num("tier", raw(s.tier));
        if (s.weak_large_buyer) flag("weak_large_buyer", true);
    }
    Line& num(std::string_view key, std::uint64_t v) { return put(key, std::to_string(v)); }
    Line& flag(std::string_view key, bool v) { return put(key, v ? "true" : "false"); }
    Line& add(std::string_view key, std::string_view v) { return put(key, v); }
    Line& add(std::string_view key, TimePoint t) { return put(key, std::to_string(to_unix_ms(t))); }
    Line& add(std::string_view key, Duration d) { return put(key, std::to_string(d.count()) + "ms"); }
    Line& add(std::string_view key, const std::optional<TimePoint>& t) { return t ? add(key, *t) : put(key, "none"); }
    std::string done() { return text_ + '}'; }

private:
    Line& put(std::string_view key, std::string_view v) {
        if (text_.back() != '{') text_ += ' ';
        text_.append(key).append("=").append(v);
        return *this;
    }
    std::string text_;
};

std::string line(const ClockStarted& e) {
    return Line("ClockStarted", e.subject)
        .add("started_at", e.started_at)
        .add("fast_deadline", e.fast_deadline)
        .add("timely_deadline", e.timely_deadline)
        .done();
}
std::string line(const ClockMoved& e) {
    return Line("ClockMoved", e.subject)
        .add("started_at", e.started_at)
        .add("fast_deadline", e.fast_deadline)
        .add("timely_deadline", e.timely_deadline)
        .done();
}
std::string line(const Retiered& e) {
    return Line("Retiered", e.subject)
        .num("previous_tier", raw(e.previous_tier))
        .flag("previous_weak_large_buyer", e.previous_weak_large_buyer)
        .done();
}
std::string line(const Warning& e) {
    return Line("Warning", e.subject)
        .add("kind", to_string(e.kind))
        .add("due_at", e.due_at)
        .add("deadline", e.deadline)
        .add("fired_at", e.fired_at)
        .flag("late", e.late)
        .done();
}
std::string line(const Breach& e) {
    return Line("Breach", e.subject)
        .add("kind", to_string(e.kind))
        .add("deadline", e.deadline)
        .add("fired_at", e.fired_at)
        .flag("late", e.late)
        .done();
}
std::string line(const Escalation& e) {
    return Line("Escalation", e.subject)
        .add("stage", to_string(e.stage))
        .add("due_at", e.due_at)
        .add("deadline", e.deadline)
        .add("fired_at", e.fired_at)
        .flag("late", e.late)
        .done();
}
std::string line(const ReplyRecorded& e) {
    return Line("ReplyRecorded", e.subject)
        .num("agent", raw(e.agent))
        .add("started_at", e.started_at)
        .add("replied_at", e.replied_at)
        .add("response_time", e.response_time)
        .flag("fast_met", e.fast_met)
        .flag("timely_met", e.timely_met)
        .done();
}
std::string line(const FollowUpScheduled& e) {
    return Line("FollowUpScheduled", e.subject).add("due_at", e.due_at).done();
}
std::string line(const FollowUpDue& e) {
    return Line("FollowUpDue", e.subject)
        .add("due_at", e.due_at)
        .add("fired_at", e.fired_at)
        .flag("late", e.late)
        .add("last_reply_at", e.last_reply_at)
        .done();
}
std::string line(const FollowUpCancelled& e) {
    return Line("FollowUpCancelled", e.subject).done();
}
std::string line(const Resolved& e) {
    return Line("Resolved", e.subject).add("at", e.at).flag("reply_pending", e.reply_pending).done();
}

}  // namespace

std::string to_string(const Effect& e) {
    return std::visit([](const auto& x) { return line(x); }, e);
}

}  // namespace ir::sla
