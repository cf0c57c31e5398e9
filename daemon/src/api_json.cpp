#include "ir/daemon/api_json.hpp"

#include "ir/adapters/event_json.hpp"

namespace ir::daemon {
namespace json = boost::json;

namespace {

json::value time_or_null(std::optional<sla::TimePoint> t) {
    return t ? json::value(adapters::format_rfc3339(*t)) : json::value(nullptr);
}

json::array clocks_json(const sla::ClockState& c, sla::TimePoint now) {
    json::array out;
    for (auto kind : {sla::DeadlineKind::fast, sla::DeadlineKind::timely}) {
        const bool fast = kind == sla::DeadlineKind::fast;
        const auto deadline = fast ? c.fast_deadline : c.timely_deadline;
        const auto warning = fast ? c.fast_warning_at : c.timely_warning_at;
        out.push_back(json::object{{"kind", fast ? "fast" : "timely"},
                                   {"started_at", adapters::format_rfc3339(c.started_at)},
                                   {"warning_at", adapters::format_rfc3339(warning)},
                                   {"deadline", adapters::format_rfc3339(deadline)},
                                   {"state", sla::to_string(sla::clock_status(c, kind, now))}});
    }
    return out;
}

}  // namespace

json::object inquiry_json(const InquiryView& v, sla::TimePoint now) {
    const router::StoredInquiry& s = v.stored;
    const router::InquiryRecord& r = s.record;
    json::object o;
    o["id"] = static_cast<std::uint64_t>(r.id);
    o["account"] = r.account.str();
    o["channel"] = router::to_string(r.channel);
    o["thread_id"] = r.thread_id;
    o["state"] = router::to_string(r.state);
    o["owner"] = r.owner.empty() ? json::value(nullptr) : json::value(r.owner.str());
    o["queue"] = r.owner.empty() ? json::value(r.queue.str()) : json::value(nullptr);
    o["customer_id"] = r.customer;
    // Assigned but not accepted yet: it moves to someone else at this time.
    o["reserved_until"] = time_or_null(s.routing ? s.routing->reserved_until : std::nullopt);
    o["sender"] = adapters::to_json(v.sender);
    o["buyer_messages"] = r.context.customer_messages_in_thread;
    o["opened_at"] = adapters::format_rfc3339(r.opened_at);
    o["updated_at"] = adapters::format_rfc3339(r.updated_at);
    o["last_reply_at"] = time_or_null(r.last_reply_at);
    o["last_replied_by"] = r.last_replied_by.empty() ? json::value(nullptr) : json::value(r.last_replied_by.str());
    o["clocks"] = s.clock ? clocks_json(*s.clock, now) : json::array{};
    for (auto& kv : adapters::to_json(v.assessment)) o[kv.key()] = kv.value();  // tier, suspect, reasons ...
    return o;
}

}  // namespace ir::daemon
