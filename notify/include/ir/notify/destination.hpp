#pragma once
// One place alerts are delivered to ([[notify]] in the config): its kind, where it is, how
// it is signed, which alerts it wants and how fast the platform lets us post.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "inquiry/v1/alert.pb.h"
#include "ir/adapters/secret.hpp"

namespace ir::notify {

using Millis = std::chrono::milliseconds;

enum class Kind { dingtalk, wecom, feishu, slack, telegram, email, exec };

std::optional<Kind> kind_from_string(std::string_view s);
std::string_view to_string(Kind k);
bool is_http(Kind k);       // posts over HTTP(S): everything but email and exec
bool needs_secret(Kind k);  // dingtalk and feishu sign with it; telegram's is the bot token

// At most `count` messages in any `window` (a sliding window).
struct RateLimit {
    std::uint32_t count = 0;
    Millis window{0};
    bool operator==(const RateLimit&) const = default;
};

// What each platform documents for one robot/webhook (docs/notify.md has the sources).
std::vector<RateLimit> default_rate_limits(Kind k);

// "20/1m" -> {20, 60 s}; nullopt when malformed.
std::optional<RateLimit> parse_rate_limit(std::string_view text);

// Which alerts a destination wants; an empty list lets everything through.
struct Filter {
    std::vector<std::string> topics;    // prefixes of the alert's topic
    std::vector<std::string> kinds;     // "WARNING", "BREACH", "ESCALATION", "ASSIGNED", ...
    std::vector<std::uint32_t> tiers;   // 1..4
    std::vector<std::string> accounts;  // store accounts
    bool matches(const inquiry::v1::Alert& a) const;
    bool operator==(const Filter&) const = default;
};

// "BREACH" for ALERT_KIND_BREACH; what `kinds` holds.
std::string kind_name(inquiry::v1::AlertKind k);
bool is_alert_kind_name(std::string_view s);

// Everything but the secret, as the config gives it.
struct DestinationSpec {
    std::string name;
    Kind kind = Kind::slack;
    std::string url;  // webhook; telegram: the Bot API base (https://api.telegram.org)
    std::string
        format;  // dingtalk markdown|actionCard, feishu interactive|text, wecom markdown|text, slack blocks|text
    std::string chat_id;                 // telegram
    std::vector<std::string> to;         // email recipients
    std::string from;                    // email sender
    std::vector<std::string> sendmail;   // email: the MTA's sendmail, argv prefix (-t -oi are added)
    std::vector<std::string> command;    // exec: argv
    std::string language = "en";         // for alerts without an agent, and digests
    bool allow_plain_http = false;       // http://127.0.0.1:PORT only: for tests
    std::vector<RateLimit> rate_limits;  // empty: default_rate_limits(kind); {0,..}: none
    bool unlimited = false;              // rate_limit = "off"
    Filter filter;
    Millis timeout{10'000};         // one attempt: connect, TLS, request, answer (or the command)
    Millis retry_initial{500};      // first backoff after a 5xx or network error
    Millis retry_max{60'000};       // backoff ceiling
    std::size_t digest_max = 5000;  // alerts at most in one digest (its text lists what fits)
    bool operator==(const DestinationSpec&) const = default;

    std::string effective_format() const;  // `format`, or the kind's default
    std::vector<RateLimit> effective_rate_limits() const;
};

struct Destination {
    DestinationSpec spec;
    adapters::Secret secret;  // dingtalk/feishu signing secret, telegram bot token
};

// What config load refuses, as (key, problem): a key is relative to the table ("url").
std::vector<std::pair<std::string, std::string>> check_destination(const DestinationSpec& d);

// https://HOST[:PORT]/PATH, or http://127.0.0.1:PORT/PATH when plain HTTP is allowed.
std::optional<std::string> check_url(std::string_view url, bool allow_plain_http);

}  // namespace ir::notify
