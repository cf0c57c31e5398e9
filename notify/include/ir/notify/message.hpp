#pragma once
// What a person is told about one alert (or a digest of several), in their language,
// before any platform's format: a title, one sentence, labelled facts, a link.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "inquiry/v1/alert.pb.h"
#include "ir/sla/time.hpp"

namespace ir::notify {

// One agent as notifications need them ([[agents]] mobile and language).
struct AgentContact {
    std::string mobile;           // for DingTalk's atMobiles and WeCom's mentioned_mobile_list
    std::string language = "en";  // "en" or "zh"
    bool operator==(const AgentContact&) const = default;
};

// What the store knows about the inquiry behind an alert (its row, read by the notifier).
struct InquiryFacts {
    std::string buyer;    // name, else e-mail, else empty
    std::string company;  // as the buyer gave it
    std::vector<std::string> reasons;
    bool suspect = false;
};

struct AlertItem {
    inquiry::v1::Alert alert;
    std::optional<InquiryFacts> facts;
};

// Shared by every destination.
struct MessageContext {
    std::string console_url;                     // [notify] console_url; empty: no link
    std::map<std::string, AgentContact> agents;  // by agent id
};

enum class Severity { info, warning, critical };

struct Message {
    std::string language;  // "en" or "zh"
    Severity severity = Severity::info;
    std::string title;                                       // one plain line
    std::string summary;                                     // what happened, one sentence
    std::vector<std::pair<std::string, std::string>> facts;  // label, value
    std::vector<std::string> lines;                          // a digest: one line per alert
    std::string link;                                        // the console, or empty
    std::string link_label;
    std::string footer;                // "inquiryd · alert 12"
    std::vector<std::string> mobiles;  // people to mention
};

// The link to one inquiry in the console: console_url + "/inquiries/<id>".
std::string inquiry_link(const std::string& console_url, std::uint64_t inquiry_id);

// One alert; `fallback_language` when the alert's agent has none (or there is no agent).
Message single_message(const AlertItem& item, const MessageContext& ctx, const std::string& fallback_language,
                       sla::TimePoint now);

// Several alerts merged because the destination's rate limit is reached.
Message digest_message(const std::vector<AlertItem>& items, const MessageContext& ctx, const std::string& language,
                       sla::TimePoint now);

// "1m 05s" / "1分05秒": a time left or overdue.
std::string format_span(sla::Duration d, std::string_view language);

}  // namespace ir::notify
