#include <catch2/catch.hpp>
#include <boost/json.hpp>

#include "ir/notify/outgoing.hpp"
#include "ir/notify/seq_ranges.hpp"
#include "ir/notify/signing.hpp"
#include "notify_fixture.hpp"

using namespace ir::notify;
using namespace ir::notify::test;
namespace json = boost::json;

namespace {

Destination dest(Kind kind, std::string url, std::string secret = "", std::string format = "") {
    Destination d;
    d.spec.name = "d";
    d.spec.kind = kind;
    d.spec.url = std::move(url);
    d.spec.format = std::move(format);
    d.spec.chat_id = "-1001";
    d.secret = ir::adapters::Secret(std::move(secret));
    return d;
}

HttpPost post_of(const Destination& d, const std::vector<AlertItem>& items) {
    Batch b{items, delivery_id(d.spec.name, items)};
    const auto m = items.size() == 1 ? single_message(items[0], context(), "en", now())
                                     : digest_message(items, context(), "en", now());
    return std::get<HttpPost>(build_outgoing(d, b, m, now()));
}

std::string header(const HttpPost& p, std::string_view name) {
    for (const auto& [k, v] : p.headers)
        if (k == name) return v;
    return {};
}

}  // namespace

TEST_CASE("DingTalk: markdown with at.atMobiles, signed in the query") {
    const auto p =
        post_of(dest(Kind::dingtalk, "https://oapi.dingtalk.com/robot/send?access_token=T", "SEC1"), {breach(5)});
    const std::string ts = std::to_string(kNowMs);
    CHECK(p.url == "https://oapi.dingtalk.com/robot/send?access_token=T&timestamp=" + ts +
                       "&sign=" + url_encode(dingtalk_sign("SEC1", kNowMs)));
    const auto body = json::parse(p.body).as_object();
    CHECK(body.at("msgtype") == "markdown");
    CHECK(body.at("markdown").at("title") == "【已超时】极速回复,询盘 #45");
    const std::string text(body.at("markdown").at("text").as_string());
    CHECK(text.find("@13800001111") != std::string::npos);
    CHECK(text.find("[在控制台打开](https://console.example/inquiries/45)") != std::string::npos);
    CHECK(body.at("at").at("atMobiles").as_array() == json::array{"13800001111"});
    CHECK(body.at("at").at("isAtAll") == false);
    CHECK(header(p, "X-Inquiry-Delivery-Id") == "d:5");
    CHECK(header(p, "X-Inquiry-Alert-Seqs") == "5");
}

TEST_CASE("DingTalk actionCard carries the link as its button") {
    const auto p = post_of(dest(Kind::dingtalk, "https://x/robot/send", "S", "actionCard"), {breach(5, "omar")});
    const auto card = json::parse(p.body).at("actionCard").as_object();
    CHECK(card.at("singleURL") == "https://console.example/inquiries/45");
    CHECK(card.at("singleTitle") == "Open in console");
    CHECK(p.url.find("?timestamp=") != std::string::npos);
}

TEST_CASE("WeCom: markdown, or text with mentioned_mobile_list when someone is to be mentioned") {
    const auto md = json::parse(post_of(dest(Kind::wecom, "https://qyapi/send?key=K"), {breach(1, "omar")}).body);
    CHECK(md.at("msgtype") == "markdown");
    CHECK(md.at("markdown").at("content").as_string().size() > 0);
    const auto text = json::parse(post_of(dest(Kind::wecom, "https://qyapi/send?key=K"), {breach(1, "lena")}).body);
    CHECK(text.at("msgtype") == "text");
    CHECK(text.at("text").at("mentioned_mobile_list").as_array() == json::array{"13800001111"});
}

TEST_CASE("Feishu: an interactive card, signed in the body with a timestamp in seconds") {
    const auto body =
        json::parse(post_of(dest(Kind::feishu, "https://open.feishu.cn/hook/x", "fs"), {breach(2, "omar")}).body)
            .as_object();
    const std::int64_t ts = kNowMs / 1000;
    CHECK(body.at("timestamp").as_string() == std::to_string(ts));
    CHECK(body.at("sign").as_string() == feishu_sign("fs", ts));
    CHECK(body.at("msg_type") == "interactive");
    CHECK(body.at("card").at("header").at("template") == "red");
    CHECK(body.at("card").at("header").at("title").at("content") == "[BREACH] fast reply, inquiry #42");
}

TEST_CASE("Slack: text and blocks; Telegram: sendMessage with HTML") {
    const auto s = json::parse(post_of(dest(Kind::slack, "https://hooks.slack.com/x"), {breach(3, "omar")}).body);
    CHECK(s.at("text").as_string().starts_with("*[BREACH] fast reply, inquiry #43*"));
    CHECK(s.at("blocks").as_array().size() == 2);
    const auto tp = post_of(dest(Kind::telegram, "", "123:ABC"), {breach(3, "omar")});
    CHECK(tp.url == "https://api.telegram.org/bot123:ABC/sendMessage");
    const auto t = json::parse(tp.body);
    CHECK(t.at("chat_id") == "-1001");
    CHECK(t.at("parse_mode") == "HTML");
    CHECK(t.at("text").as_string().starts_with("<b>[BREACH] fast reply, inquiry #43</b>"));
}

TEST_CASE("a digest is one message whose headers list every seq") {
    const auto p = post_of(dest(Kind::slack, "https://hooks.slack.com/x"), {breach(3), breach(4), breach(9)});
    CHECK(header(p, "X-Inquiry-Delivery-Id") == "d:3-9");
    CHECK(header(p, "X-Inquiry-Alert-Seqs") == "3-4,9");
}

TEST_CASE("the seqs header collapses runs, and knows its length as it grows") {
    SeqRanges r;
    CHECK(r.str().empty());
    for (std::int64_t s : {1, 2, 3, 7, 9, 10, 99, 100, 101}) {
        r.add(s);
        CHECK(r.size() == r.str().size());
    }
    CHECK(r.str() == "1-3,7,9-10,99-101");
    SeqRanges many;
    for (std::int64_t s = 1; s <= 5000; ++s) many.add(s);
    CHECK(many.str() == "1-5000");
}

TEST_CASE("e-mail goes to sendmail -t -oi; exec gets the alert as JSON") {
    Destination mail = dest(Kind::email, "");
    mail.spec.to = {"a@x.test"};
    Batch b{{breach(6, "lena")}, "d:6"};
    const auto m = single_message(b.items[0], context(), "en", now());
    const auto c = std::get<Command>(build_outgoing(mail, b, m, now()));
    CHECK(c.argv == std::vector<std::string>{"/usr/sbin/sendmail", "-t", "-oi"});
    CHECK(c.input.find("To: a@x.test\n") != std::string::npos);
    CHECK(c.input.find("Subject: =?UTF-8?B?") != std::string::npos);  // Chinese: RFC 2047
    CHECK(c.input.find("X-Inquiry-Delivery-Id: d:6\n") != std::string::npos);
    Destination ex = dest(Kind::exec, "");
    ex.spec.command = {"/bin/cat"};
    const auto e = std::get<Command>(build_outgoing(ex, b, m, now()));
    const auto j = json::parse(e.input).as_object();
    CHECK(j.at("seq") == 6);
    CHECK(j.at("kind") == "BREACH");
    CHECK(j.at("delivery_id") == "d:6");
    CHECK(j.at("buyer") == "Jonas Weber");
    CHECK(j.at("link") == "https://console.example/inquiries/46");
}

TEST_CASE("markup in a buyer's name stays text") {
    auto item = breach(1, "omar");
    item.facts->buyer = "*Bob* [x](http://evil)";
    const auto p = post_of(dest(Kind::dingtalk, "https://x/send", "S"), {item});
    const std::string text(json::parse(p.body).at("markdown").at("text").as_string());
    CHECK(text.find("\\*Bob\\* \\[x\\](http://evil)") != std::string::npos);
}
