#include "ir/daemon/api_json.hpp"

#include <google/protobuf/util/time_util.h>

#include "ir/adapters/event_json.hpp"

namespace ir::daemon {
namespace json = boost::json;
using google::protobuf::util::TimeUtil;

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
        std::string state;
        if (c.reply == sla::ReplyState::answered)
            state = c.last_reply_at && *c.last_reply_at <= deadline ? "met" : "breached";
        else
            state = now > deadline ? "breached" : "running";
        out.push_back(json::object{{"kind", fast ? "fast" : "timely"},
                                   {"started_at", adapters::format_rfc3339(c.started_at)},
                                   {"warning_at", adapters::format_rfc3339(warning)},
                                   {"deadline", adapters::format_rfc3339(deadline)},
                                   {"state", state}});
    }
    return out;
}

}  // namespace

json::object inquiry_json(const router::StoredInquiry& s, sla::TimePoint now) {
    const router::InquiryRecord& r = s.record;
    json::object o;
    o["id"] = static_cast<std::uint64_t>(r.id);
    o["account"] = r.account;
    o["channel"] = router::to_string(r.channel);
    o["thread_id"] = r.thread_id;
    o["state"] = router::to_string(r.state);
    o["owner"] = r.owner.empty() ? json::value(nullptr) : json::value(r.owner);
    o["queue"] = r.queue;
    o["sender"] = adapters::to_json(r.sender);
    o["buyer_messages"] = r.context.customer_messages_in_thread;
    o["opened_at"] = adapters::format_rfc3339(r.opened_at);
    o["updated_at"] = adapters::format_rfc3339(r.updated_at);
    o["last_reply_at"] = time_or_null(r.last_reply_at);
    o["last_replied_by"] = r.last_replied_by.empty() ? json::value(nullptr) : json::value(r.last_replied_by);
    o["clocks"] = s.clock ? clocks_json(*s.clock, now) : json::array{};
    for (auto& kv : adapters::to_json(r.assessment)) o[kv.key()] = kv.value();  // tier, suspect, reasons ...
    return o;
}

json::object alert_json(const inquiry::v1::Alert& a) {
    auto time = [](const google::protobuf::Timestamp& t) -> json::value {
        if (t.seconds() == 0 && t.nanos() == 0) return nullptr;
        const std::string text = adapters::format_rfc3339(sla::from_unix_ms(TimeUtil::TimestampToMilliseconds(t)));
        return json::value(std::string_view(text));
    };
    std::string kind = inquiry::v1::AlertKind_Name(a.kind());
    kind.erase(0, std::string_view("ALERT_KIND_").size());
    std::string clock = a.clock() == inquiry::v1::CLOCK_KIND_UNSPECIFIED ? "" : inquiry::v1::ClockKind_Name(a.clock());
    if (!clock.empty()) clock.erase(0, std::string_view("CLOCK_KIND_").size());
    return {{"seq", a.seq()},
            {"topic", a.topic()},
            {"kind", kind},
            {"clock", clock.empty() ? json::value(nullptr) : json::value(clock)},
            {"inquiry_id", a.inquiry_id()},
            {"account", a.account()},
            {"agent_id", a.agent_id().empty() ? json::value(nullptr) : json::value(a.agent_id())},
            {"tier", a.tier()},
            {"deadline", time(a.deadline())},
            {"fired_at", time(a.fired_at())},
            {"late", a.late()},
            {"text", a.text()}};
}

}  // namespace ir::daemon
