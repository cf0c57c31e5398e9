#pragma once
// The words of a notification in each language we write (en, zh). "{}" in a sentence is
// replaced by fill(). Formats are printf formats for format_span.
#include <string>
#include <string_view>

#include "inquiry/v1/alert.pb.h"

namespace ir::notify {

struct Phrases {
    std::string_view language;
    std::string_view open_bracket, close_bracket, sep;
    std::string_view warning, breach, escalation, follow_up, assigned, resolved, unassigned, retiered, alert_word;
    std::string_view fast_clock, timely_clock;
    std::string_view inquiry_word, tier_word, suspect, because;
    std::string_view warning_sentence, breach_sentence, escalate_warning, escalate_breach, late_note;
    std::string_view buyer_label, account_label, tier_label, agent_label, time_label, unknown_buyer;
    std::string_view left_prefix, left_suffix, overdue_prefix, overdue_suffix;
    std::string_view open_in_console, digest_title, digest_summary, more_lines;
    std::string_view span_s, span_ms, span_hm, span_dh;

    std::string_view kind(inquiry::v1::AlertKind k) const {
        switch (k) {
            case inquiry::v1::ALERT_KIND_WARNING:
                return warning;
            case inquiry::v1::ALERT_KIND_BREACH:
                return breach;
            case inquiry::v1::ALERT_KIND_ESCALATION:
                return escalation;
            case inquiry::v1::ALERT_KIND_FOLLOW_UP_DUE:
                return follow_up;
            case inquiry::v1::ALERT_KIND_ASSIGNED:
                return assigned;
            case inquiry::v1::ALERT_KIND_RESOLVED:
                return resolved;
            case inquiry::v1::ALERT_KIND_UNASSIGNED:
                return unassigned;
            case inquiry::v1::ALERT_KIND_RETIERED:
                return retiered;
            default:
                return alert_word;
        }
    }
    std::string_view clock(inquiry::v1::ClockKind c) const {
        return c == inquiry::v1::CLOCK_KIND_TIMELY ? timely_clock : fast_clock;
    }
    static std::string fill(std::string_view pattern, std::string_view value) {
        std::string out(pattern);
        if (auto at = out.find("{}"); at != std::string::npos) out.replace(at, 2, value);
        return out;
    }
};

inline constexpr Phrases kEnglish{"en",
                                  "[",
                                  "] ",
                                  ", ",
                                  "WARNING",
                                  "BREACH",
                                  "ESCALATION",
                                  "FOLLOW-UP",
                                  "ASSIGNED",
                                  "RESOLVED",
                                  "UNASSIGNED",
                                  "RETIERED",
                                  "alert",
                                  "fast reply",
                                  "timely reply",
                                  "inquiry",
                                  "tier",
                                  "suspect",
                                  ": ",
                                  "The {} deadline is near and nobody has replied yet.",
                                  "The {} deadline passed without a reply.",
                                  "Escalated: the {} deadline is near and nobody has replied yet.",
                                  "Escalated: the {} deadline passed without a reply.",
                                  " (fired late: the daemon was not running at its moment)",
                                  "Buyer",
                                  "Account",
                                  "Tier",
                                  "Agent",
                                  "Time",
                                  "unknown buyer",
                                  "due in ",
                                  "",
                                  "overdue by ",
                                  "",
                                  "Open in console",
                                  "{} alerts",
                                  "More alerts than the robot may post right now, merged into one message:",
                                  "... and {} more",
                                  "%llds",
                                  "%lldm %02llds",
                                  "%lldh %02lldm",
                                  "%lldd %lldh"};

inline constexpr Phrases kChinese{"zh",
                                  "【",
                                  "】",
                                  ",",
                                  "即将超时",
                                  "已超时",
                                  "升级提醒",
                                  "需要跟进",
                                  "新分配",
                                  "已关闭",
                                  "已移交",
                                  "等级变更",
                                  "提醒",
                                  "极速回复",
                                  "及时回复",
                                  "询盘",
                                  "等级",
                                  "疑似诈骗",
                                  ":",
                                  "{}时限将到,还没有人回复。",
                                  "{}时限已过,仍未回复。",
                                  "升级:{}时限将到,还没有人回复。",
                                  "升级:{}时限已过,仍未回复。",
                                  "(延迟触发:到点时服务未运行)",
                                  "买家",
                                  "店铺账号",
                                  "客户等级",
                                  "负责人",
                                  "时间",
                                  "未知买家",
                                  "剩余 ",
                                  "",
                                  "已超时 ",
                                  "",
                                  "在控制台打开",
                                  "{} 条提醒",
                                  "超出机器人发送频率限制,以下提醒合并为一条消息:",
                                  "……另有 {} 条",
                                  "%lld秒",
                                  "%lld分%02lld秒",
                                  "%lld小时%02lld分",
                                  "%lld天%lld小时"};

inline const Phrases& phrases(std::string_view language) {
    return language == "zh" ? kChinese : kEnglish;
}

}  // namespace ir::notify
