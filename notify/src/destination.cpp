#include "ir/notify/destination.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <array>
#include <charconv>

#include "ir/sla/duration.hpp"

namespace ir::notify {
namespace {

constexpr std::array<std::pair<Kind, std::string_view>, 7> kKinds{{{Kind::dingtalk, "dingtalk"},
                                                                   {Kind::wecom, "wecom"},
                                                                   {Kind::feishu, "feishu"},
                                                                   {Kind::slack, "slack"},
                                                                   {Kind::telegram, "telegram"},
                                                                   {Kind::email, "email"},
                                                                   {Kind::exec, "exec"}}};

template <class T>
bool contains(const std::vector<T>& v, const T& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

std::vector<std::string_view> formats_of(Kind k) {
    switch (k) {
        case Kind::dingtalk:
            return {"markdown", "actionCard"};
        case Kind::wecom:
            return {"markdown", "text"};
        case Kind::feishu:
            return {"interactive", "text"};
        case Kind::slack:
            return {"blocks", "text"};
        default:
            return {""};
    }
}

}  // namespace

std::optional<Kind> kind_from_string(std::string_view s) {
    for (const auto& [k, name] : kKinds)
        if (name == s) return k;
    return std::nullopt;
}

std::string_view to_string(Kind k) {
    for (const auto& [kind, name] : kKinds)
        if (kind == k) return name;
    return "?";
}

bool is_http(Kind k) {
    return k != Kind::email && k != Kind::exec;
}

bool needs_secret(Kind k) {
    return k == Kind::dingtalk || k == Kind::feishu || k == Kind::telegram;
}

std::vector<RateLimit> default_rate_limits(Kind k) {
    using std::chrono::minutes, std::chrono::seconds;
    switch (k) {
        case Kind::dingtalk:  // 20 messages a minute per robot (then throttled for 10 minutes)
        case Kind::wecom:     // 20 messages a minute per robot
            return {{20, minutes(1)}};
        case Kind::feishu:  // 100 a minute and 5 a second per custom bot
            return {{5, seconds(1)}, {100, minutes(1)}};
        case Kind::slack:  // one message a second per incoming webhook, short bursts allowed
            return {{1, seconds(1)}};
        case Kind::telegram:  // one a second per chat, 20 a minute per group
            return {{1, seconds(1)}, {20, minutes(1)}};
        case Kind::email:  // our own choice: a burst becomes a digest, not a mailbox flood
            return {{30, minutes(1)}};
        case Kind::exec:
            return {};
    }
    return {};
}

std::optional<RateLimit> parse_rate_limit(std::string_view text) {
    const auto slash = text.find('/');
    if (slash == std::string_view::npos || slash == 0) return std::nullopt;
    std::uint32_t count = 0;
    const auto digits = text.substr(0, slash);
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
    if (ec != std::errc{} || ptr != digits.data() + digits.size() || count == 0) return std::nullopt;
    auto window = sla::parse_duration(text.substr(slash + 1));
    if (!window || window->count() <= 0) return std::nullopt;
    return RateLimit{count, *window};
}

std::string kind_name(inquiry::v1::AlertKind k) {
    std::string name = inquiry::v1::AlertKind_Name(k);
    constexpr std::string_view prefix = "ALERT_KIND_";
    return name.starts_with(prefix) ? name.substr(prefix.size()) : name;
}

bool is_alert_kind_name(std::string_view s) {
    for (int k = inquiry::v1::AlertKind_MIN + 1; k <= inquiry::v1::AlertKind_MAX; ++k)
        if (inquiry::v1::AlertKind_IsValid(k) && kind_name(static_cast<inquiry::v1::AlertKind>(k)) == s) return true;
    return false;
}

bool Filter::matches(const inquiry::v1::Alert& a) const {
    if (!topics.empty() &&
        std::none_of(topics.begin(), topics.end(), [&](const std::string& p) { return a.topic().starts_with(p); }))
        return false;
    if (!kinds.empty() && !contains(kinds, kind_name(a.kind()))) return false;
    if (!tiers.empty() && !contains(tiers, a.tier())) return false;
    if (!accounts.empty() && !contains(accounts, a.account())) return false;
    return true;
}

std::string DestinationSpec::effective_format() const {
    return format.empty() ? std::string(formats_of(kind).front()) : format;
}

std::vector<RateLimit> DestinationSpec::effective_rate_limits() const {
    if (unlimited) return {};
    return rate_limits.empty() ? default_rate_limits(kind) : rate_limits;
}

std::optional<std::string> check_url(std::string_view url, bool allow_plain_http) {
    auto u = boost::urls::parse_absolute_uri(url);
    if (!u) return "must be an absolute URL such as https://host/path";
    if (!u->has_authority() || u->host().empty()) return "must name a host";
    if (u->scheme() == "https") return std::nullopt;
    if (u->scheme() != "http") return "must be https://";
    if (!allow_plain_http) return "plain http:// is refused (set allow_plain_http = true for a local test receiver)";
    if (u->host() != "127.0.0.1" || !u->has_port())
        return "with allow_plain_http, only http://127.0.0.1:PORT/... is accepted";
    return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> check_destination(const DestinationSpec& d) {
    std::vector<std::pair<std::string, std::string>> problems;
    auto problem = [&](std::string key, std::string what) { problems.emplace_back(std::move(key), std::move(what)); };
    if (d.name.empty() || d.name.find_first_of("/\\ \t") != std::string::npos || d.name.front() == '.')
        problem("name", "is required: letters, digits, '-', '_' and '.' (it names a file in the state folder)");
    const auto formats = formats_of(d.kind);
    if (!d.format.empty() && !contains(formats, std::string_view(d.format))) {
        std::string allowed;
        for (auto f : formats) allowed += (allowed.empty() ? "" : ", ") + std::string(f);
        problem("format", formats.front().empty() ? "is not used by this kind" : "must be one of " + allowed);
    }
    if (is_http(d.kind)) {
        if (d.url.empty() && d.kind != Kind::telegram)
            problem("url", "is required");
        else if (!d.url.empty())
            if (auto e = check_url(d.url, d.allow_plain_http)) problem("url", *e);
    } else if (!d.url.empty()) {
        problem("url", "is not used by this kind");
    }
    if (d.kind == Kind::telegram && d.chat_id.empty()) problem("chat_id", "is required");
    if (d.kind == Kind::email && d.to.empty()) problem("to", "must name at least one recipient");
    if (d.kind == Kind::exec && d.command.empty()) problem("command", "must name the program to run");
    if (d.language != "en" && d.language != "zh") problem("language", "must be \"en\" or \"zh\"");
    for (const auto& k : d.filter.kinds)
        if (!is_alert_kind_name(k)) problem("kinds", "\"" + k + "\" is not an alert kind (WARNING, BREACH, ...)");
    for (auto t : d.filter.tiers)
        if (t < 1 || t > 4) problem("tiers", "must be 1 to 4");
    if (d.timeout.count() <= 0) problem("timeout", "must be positive");
    if (d.retry_initial.count() <= 0 || d.retry_max < d.retry_initial)
        problem("retry_max", "must be positive and not shorter than retry_initial");
    return problems;
}

}  // namespace ir::notify
