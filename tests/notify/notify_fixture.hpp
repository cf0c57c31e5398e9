#pragma once
// Alerts as the notifier reads them, for the unit tests.
#include <google/protobuf/timestamp.pb.h>

#include "ir/notify/message.hpp"

namespace ir::notify::test {

inline google::protobuf::Timestamp at_ms(std::int64_t ms) {
    google::protobuf::Timestamp t;
    t.set_seconds(ms / 1000);
    t.set_nanos(static_cast<int>(ms % 1000) * 1'000'000);
    return t;
}

inline constexpr std::int64_t kNowMs = 1'800'000'000'000;

inline AlertItem breach(std::uint64_t seq, std::string agent = "lena") {
    AlertItem item;
    auto& a = item.alert;
    a.set_seq(seq);
    a.set_kind(inquiry::v1::ALERT_KIND_BREACH);
    a.set_clock(inquiry::v1::CLOCK_KIND_FAST);
    a.set_inquiry_id(40 + seq);
    a.set_account("alibaba-electronics");
    a.set_agent_id(agent);
    a.set_tier(1);
    *a.mutable_deadline() = at_ms(kNowMs - 30'000);
    *a.mutable_fired_at() = at_ms(kNowMs - 30'000);
    a.set_topic(agent.empty() ? "queue/alibaba-electronics/" : "agent/" + agent + "/");
    item.facts = InquiryFacts{"Jonas Weber", "Weber Handel GmbH", {"placed an order before"}, false};
    return item;
}

inline MessageContext context() {
    MessageContext c;
    c.console_url = "https://console.example/";
    c.agents["lena"] = AgentContact{"13800001111", "zh"};
    c.agents["omar"] = AgentContact{"", "en"};
    return c;
}

inline sla::TimePoint now() {
    return sla::from_unix_ms(kNowMs);
}

}  // namespace ir::notify::test
