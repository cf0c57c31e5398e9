// The chat platforms' documented webhook payloads.
#include <boost/json.hpp>

#include "ir/notify/outgoing.hpp"
#include "ir/notify/signing.hpp"
#include "markup.hpp"
#include "payloads.hpp"

namespace ir::notify {
namespace json = boost::json;

namespace {

json::array strings(const std::vector<std::string>& v) {
    json::array a;
    for (const auto& s : v) a.emplace_back(s);
    return a;
}

// POST url?...&timestamp=<ms>&sign=<urlencoded base64>, body msgtype markdown or actionCard.
HttpPost dingtalk(const Destination& d, const Message& m, sla::TimePoint now) {
    const std::string format = d.spec.effective_format();
    const bool card = format == "actionCard" && !m.link.empty();  // a card needs somewhere to go
    BodyOptions o;
    o.link = !card;
    o.mentions = !card;
    o.max_bytes = 5000;
    const std::string text = render_body(m, Markup::dingtalk_md, o);
    json::object body;
    if (card) {
        body = {{"msgtype", "actionCard"},
                {"actionCard",
                 {{"title", m.title},
                  {"text", text},
                  {"btnOrientation", "0"},
                  {"singleTitle", m.link_label},
                  {"singleURL", m.link}}}};
    } else {
        body = {{"msgtype", "markdown"},
                {"markdown", {{"title", m.title}, {"text", text}}},
                {"at", {{"atMobiles", strings(m.mobiles)}, {"isAtAll", false}}}};
    }
    const std::int64_t ts = sla::to_unix_ms(now);
    std::string url = d.spec.url;
    url += url.find('?') == std::string::npos ? '?' : '&';
    url += "timestamp=" + std::to_string(ts) + "&sign=" + url_encode(dingtalk_sign(d.secret.reveal(), ts));
    return {std::move(url), {}, json::serialize(body)};
}

// msgtype markdown; text (with mentioned_mobile_list) when someone is to be mentioned, since
// WeCom's markdown messages cannot mention by mobile, or when format = "text".
HttpPost wecom(const Destination& d, const Message& m) {
    const bool text = d.spec.effective_format() == "text" || !m.mobiles.empty();
    json::object body;
    if (text) {
        BodyOptions o;
        o.max_bytes = 1900;  // text content: 2048 bytes at most
        body = {
            {"msgtype", "text"},
            {"text", {{"content", render_body(m, Markup::plain, o)}, {"mentioned_mobile_list", strings(m.mobiles)}}}};
    } else {
        BodyOptions o;
        o.max_bytes = 3800;  // markdown content: 4096 bytes at most
        body = {{"msgtype", "markdown"}, {"markdown", {{"content", render_body(m, Markup::wecom_md, o)}}}};
    }
    return {d.spec.url, {}, json::serialize(body)};
}

const char* feishu_template(Severity s) {
    return s == Severity::critical ? "red" : s == Severity::warning ? "orange" : "blue";
}

// {"timestamp": "<s>", "sign": ..., "msg_type": "interactive", "card": {...}} or "text".
HttpPost feishu(const Destination& d, const Message& m, sla::TimePoint now) {
    const std::int64_t ts = sla::to_unix_ms(now) / 1000;
    json::object body{{"timestamp", std::to_string(ts)}, {"sign", feishu_sign(d.secret.reveal(), ts)}};
    if (d.spec.effective_format() == "text") {
        BodyOptions o;
        o.max_bytes = 15000;
        body["msg_type"] = "text";
        body["content"] = {{"text", render_body(m, Markup::plain, o)}};
    } else {
        BodyOptions o;
        o.title = false;
        o.link = false;
        o.max_bytes = 15000;  // the whole request: 20 KB at most
        json::array elements{
            {{"tag", "div"}, {"text", {{"tag", "lark_md"}, {"content", render_body(m, Markup::lark_md, o)}}}}};
        if (!m.link.empty())
            elements.push_back({{"tag", "action"},
                                {"actions",
                                 {{{"tag", "button"},
                                   {"text", {{"tag", "plain_text"}, {"content", m.link_label}}},
                                   {"type", "primary"},
                                   {"url", m.link}}}}});
        body["msg_type"] = "interactive";
        body["card"] = {
            {"config", {{"wide_screen_mode", true}}},
            {"header",
             {{"template", feishu_template(m.severity)}, {"title", {{"tag", "plain_text"}, {"content", m.title}}}}},
            {"elements", std::move(elements)}};
    }
    return {d.spec.url, {}, json::serialize(body)};
}

// {"text": ...} (what Mattermost and Rocket.Chat read too), plus Block Kit blocks for Slack.
HttpPost slack(const Destination& d, const Message& m) {
    BodyOptions o;
    o.max_bytes = 2900;  // a section block's text: 3000 characters at most
    json::object body{{"text", render_body(m, Markup::slack_mrkdwn, o)}};
    if (d.spec.effective_format() == "blocks") {
        o.title = false;
        json::array blocks{
            {{"type", "header"}, {"text", {{"type", "plain_text"}, {"text", m.title.substr(0, 150)}}}},
            {{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", render_body(m, Markup::slack_mrkdwn, o)}}}}};
        body["blocks"] = std::move(blocks);
    }
    return {d.spec.url, {}, json::serialize(body)};
}

// POST <base>/bot<token>/sendMessage {"chat_id", "text", "parse_mode": "HTML"}.
HttpPost telegram(const Destination& d, const Message& m) {
    std::string base = d.spec.url.empty() ? "https://api.telegram.org" : d.spec.url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    BodyOptions o;
    o.max_bytes = 3800;  // 4096 characters at most
    json::object body{{"chat_id", d.spec.chat_id},
                      {"text", render_body(m, Markup::telegram_html, o)},
                      {"parse_mode", "HTML"},
                      {"disable_web_page_preview", true}};
    return {base + "/bot" + std::string(d.secret.reveal()) + "/sendMessage", {}, json::serialize(body)};
}

}  // namespace

HttpPost build_http_post(const Destination& d, const Message& m, sla::TimePoint now) {
    switch (d.spec.kind) {
        case Kind::dingtalk:
            return dingtalk(d, m, now);
        case Kind::wecom:
            return wecom(d, m);
        case Kind::feishu:
            return feishu(d, m, now);
        case Kind::slack:
            return slack(d, m);
        default:
            return telegram(d, m);
    }
}

}  // namespace ir::notify
