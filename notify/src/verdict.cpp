#include "ir/notify/verdict.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <charconv>
#include <ctime>

namespace ir::notify {
namespace json = boost::json;

namespace {

constexpr Millis kRobotPause{60'000};  // "too fast" from a robot: its window is a minute

std::string snippet(const std::string& body) {
    std::string s = body.substr(0, 300);
    for (char& c : s)
        if (c == '\n' || c == '\r') c = ' ';
    return s;
}

std::optional<std::int64_t> int_at(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    if (!v) return std::nullopt;
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
    return std::nullopt;
}

// DingTalk and WeCom answer 200 {"errcode": 0, "errmsg": "ok"}; Feishu {"code": 0, "msg": ...}
// (older bots {"StatusCode": 0}); Telegram {"ok": true}.
Verdict judge_body(Kind kind, const HttpAnswer& a) {
    if (kind == Kind::slack) return {Verdict::delivered, {}, std::to_string(a.status) + " " + snippet(a.body)};
    boost::system::error_code ec;
    const json::value v = json::parse(a.body, ec);
    const json::object* o = ec ? nullptr : v.if_object();
    if (!o) return {Verdict::delivered, {}, std::to_string(a.status) + " (answer is not JSON) " + snippet(a.body)};
    if (kind == Kind::telegram) {
        const json::value* ok = o->if_contains("ok");
        if (ok && ok->is_bool() && !ok->as_bool()) return {Verdict::rejected, {}, snippet(a.body)};
        return {Verdict::delivered, {}, snippet(a.body)};
    }
    std::optional<std::int64_t> code;
    if (kind == Kind::feishu) {
        code = int_at(*o, "code");
        if (!code) code = int_at(*o, "StatusCode");
    } else {
        code = int_at(*o, "errcode");
    }
    if (!code || *code == 0) return {Verdict::delivered, {}, snippet(a.body)};
    const bool too_fast = (kind == Kind::dingtalk && *code == 130101) || (kind == Kind::wecom && *code == 45009) ||
                          (kind == Kind::feishu && (*code == 9499 || *code == 11232));
    if (too_fast) return {Verdict::wait, kRobotPause, "rate limited: " + snippet(a.body)};
    return {Verdict::rejected, {}, "refused: " + snippet(a.body)};
}

}  // namespace

std::optional<Millis> parse_retry_after(std::string_view value, sla::TimePoint now) {
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    if (value.empty()) return std::nullopt;
    std::int64_t secs = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), secs);
    if (ec == std::errc{} && ptr == value.data() + value.size() && secs >= 0)
        return Millis(std::min<std::int64_t>(secs, 24 * 3600) * 1000);
    std::tm tm{};  // IMF-fixdate: "Wed, 21 Oct 2015 07:28:00 GMT"
    const std::string text(value);
    const char* end = ::strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    if (!end || *end != '\0') return std::nullopt;
    const std::int64_t at_ms = static_cast<std::int64_t>(::timegm(&tm)) * 1000;
    return Millis(std::clamp<std::int64_t>(at_ms - sla::to_unix_ms(now), 0, 24LL * 3600 * 1000));
}

Verdict judge_http(Kind kind, const Expected<HttpAnswer>& answer, sla::TimePoint now) {
    if (!answer) return {Verdict::retry, {}, answer.error().field + ": " + answer.error().message};
    const HttpAnswer& a = *answer;
    const std::string what = "HTTP " + std::to_string(a.status) + " " + snippet(a.body);
    if (a.status >= 200 && a.status < 300) return judge_body(kind, a);
    if (a.status == 429) {
        auto wait = parse_retry_after(a.header("Retry-After"), now);
        if (!wait && kind == Kind::telegram) {  // {"parameters": {"retry_after": N}}
            boost::system::error_code ec;
            const json::value v = json::parse(a.body, ec);
            const json::value* p = !ec && v.is_object() ? v.as_object().if_contains("parameters") : nullptr;
            if (p && p->is_object())
                if (auto s = int_at(p->as_object(), "retry_after")) wait = Millis(*s * 1000);
        }
        return {Verdict::wait, wait.value_or(kRobotPause), what};
    }
    if (a.status >= 500 || a.status == 408) return {Verdict::retry, {}, what};
    return {Verdict::rejected, {}, what};
}

Verdict judge_command(const Expected<CommandResult>& result) {
    if (!result) return {Verdict::retry, {}, result.error().message};
    const CommandResult& r = *result;
    const std::string out = r.output.empty() ? "" : ": " + snippet(r.output);
    if (r.timed_out) return {Verdict::retry, {}, "timed out" + out};
    if (r.signal != 0) return {Verdict::retry, {}, "killed by signal " + std::to_string(r.signal) + out};
    if (r.exit_code == 0) return {Verdict::delivered, {}, "exit 0" + out};
    if (r.exit_code == 75) return {Verdict::retry, {}, "exit 75 (temporary failure)" + out};
    return {Verdict::rejected, {}, "exit " + std::to_string(r.exit_code) + out};
}

}  // namespace ir::notify
