// Hostile bodies: not JSON, wrong types, huge arrays, deep nesting, oversize fields.
#include <catch2/catch.hpp>

#include "ir/adapters/marketplace.hpp"
#include "ir/adapters/telegram.hpp"
#include "ir/adapters/webhook_json.hpp"
#include "ir/adapters/whatsapp.hpp"
#include "payloads.hpp"

using namespace ir;

namespace {

adapters::WhatsAppOptions wa() {
    adapters::WhatsAppOptions o;
    o.account = "a";
    return o;
}

Error all_refuse(const std::string& body) {
    auto w = adapters::parse_whatsapp(body, wa());
    auto t = adapters::parse_telegram(body, {"a", false});
    auto m = adapters::parse_marketplace(body, *adapters::make_marketplace_mapping("amazon", "a", {}));
    REQUIRE_FALSE(w.has_value());
    REQUIRE_FALSE(t.has_value());
    REQUIRE_FALSE(m.has_value());
    return w.error();
}

std::string wa_messages(std::size_t n) {
    std::string msgs;
    for (std::size_t i = 0; i < n; ++i) {
        if (i) msgs += ",";
        msgs += R"({"from":"1","id":"w)" + std::to_string(i) +
                R"(","timestamp":"1795162500","type":"text","text":{"body":"x"}})";
    }
    return R"({"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[)" +
           msgs + "]}}]}]}";
}

}  // namespace

TEST_CASE("hostile: not JSON, not an object, empty, trailing garbage") {
    for (const std::string body : {"", "nope", "[]", "42", "null", "{\"a\":1} x", "{\"a\":", "\xff\xfe{}"}) {
        const auto e = all_refuse(body);
        CHECK_FALSE(e.invalid_value);  // 400
    }
}

TEST_CASE("hostile: invalid UTF-8 inside strings is refused by the JSON parser") {
    const auto e = all_refuse("{\"object\":\"whatsapp_business_account\",\"entry\":[],\"x\":\"\xc3\x28\"}");
    CHECK(e.message.find("not valid JSON") != std::string::npos);
}

TEST_CASE("hostile: deep nesting stops at the depth limit") {
    const std::string deep = std::string(100, '[') + std::string(100, ']');
    const auto e = all_refuse("{\"x\":" + deep + "}");
    CHECK(e.message.find("not valid JSON") != std::string::npos);
    // 20 levels is fine for the parser and ignored as an unknown extra field.
    const std::string ok =
        R"({"object":"whatsapp_business_account","entry":[],"x":)" + std::string(20, '[') + std::string(20, ']') + "}";
    CHECK(adapters::parse_whatsapp(ok, wa()).has_value());
}

TEST_CASE("hostile: bodies over 1 MiB and batches over 1000 messages are refused (422)") {
    const auto big = adapters::parse_whatsapp(std::string(adapters::kMaxWebhookBodyBytes + 1, ' '), wa());
    REQUIRE_FALSE(big.has_value());
    CHECK(big.error().invalid_value);
    auto ok = adapters::parse_whatsapp(wa_messages(1000), wa());
    REQUIRE(ok.has_value());
    CHECK(ok->events.size() == 1000);
    const auto many = adapters::parse_whatsapp(wa_messages(1001), wa());
    REQUIRE_FALSE(many.has_value());
    CHECK(many.error().invalid_value);
    CHECK(many.error().field == "entry[0].changes[0].value.messages");
}

TEST_CASE("hostile: 1000 messages in each of two changes still make one batch too many") {
    std::string one = wa_messages(600);
    const std::string change = one.substr(one.find("{\"field\""), one.rfind("]}]}") - one.find("{\"field\"") + 0);
    const std::string two =
        R"({"object":"whatsapp_business_account","entry":[{"changes":[)" + change + "," + change + "]}]}";
    const auto b = adapters::parse_whatsapp(two, wa());
    REQUIRE_FALSE(b.has_value());
    CHECK(b.error().invalid_value);
}

TEST_CASE("hostile: wrong types everywhere name the field") {
    auto field = [](const std::string& body) {
        auto b = adapters::parse_whatsapp(body, wa());
        REQUIRE_FALSE(b.has_value());
        return b.error().field;
    };
    CHECK(field(R"({"object":1,"entry":[]})") == "object");
    CHECK(field(R"({"object":"whatsapp_business_account","entry":[1]})") == "entry[0]");
    CHECK(field(R"({"object":"whatsapp_business_account","entry":[{"changes":{}}]})") == "entry[0].changes");
    CHECK(field(R"({"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":[]}]}]})") ==
          "entry[0].changes[0].value");
    CHECK(
        field(
            R"({"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[null]}}]}]})") ==
        "entry[0].changes[0].value.messages[0]");
    CHECK(
        field(
            R"({"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"contacts":[{"profile":{"name":["x"]}}]}}]}]})") ==
        "entry[0].changes[0].value.contacts[0].profile.name");
}

TEST_CASE("hostile: oversize ids and absurd timestamps are refused (422)") {
    const std::string long_id(adapters::kMaxIdBytes + 1, 'w');
    auto b = adapters::parse_whatsapp(
        R"({"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[{"from":"1","id":")" +
            long_id + R"(","timestamp":"1795162500","type":"text","text":{"body":"x"}}]}}]}]})",
        wa());
    REQUIRE_FALSE(b.has_value());
    CHECK(b.error().invalid_value);
    for (const std::string ts : {"\"99\"", "\"-5\"", "\"1e9\"", "99999999999999999999", "1.5e300", "\"\""}) {
        auto t = adapters::parse_telegram(
            R"({"update_id":1,"message":{"from":{"id":1},"chat":{"id":1,"type":"private"},"text":"x","date":)" + ts +
                "}}",
            {"a", false});
        REQUIRE_FALSE(t.has_value());
        CHECK(t.error().field == "message.date");
    }
}

TEST_CASE("utf-8 prefixes never split a character") {
    using ir::utf8_prefix;
    CHECK(utf8_prefix("h\xC3\xA9llo", 2) == "h");
    CHECK(utf8_prefix("h\xC3\xA9llo", 3) == "h\xC3\xA9");
    CHECK(utf8_prefix("abc", 10) == "abc");
}

TEST_CASE("hostile: a lone surrogate escape is refused like invalid UTF-8 (400)") {
    const std::string body =
        R"({"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[{"from":"1","id":"w","timestamp":"1795162500","type":"text","text":{"body":"a\ud800b"}}]}}]}]})";
    auto b = adapters::parse_whatsapp(body, wa());
    REQUIRE_FALSE(b.has_value());
    CHECK_FALSE(b.error().invalid_value);
}
