// The Telegram Bot API webhook.
#include <catch2/catch.hpp>

#include "ir/adapters/telegram.hpp"
#include "payloads.hpp"

using namespace ir;
using router::Direction;
using test::payload;
using test::when;

namespace {

adapters::TelegramOptions options() {
    adapters::TelegramOptions o;
    o.account = "telegram-bot";
    return o;
}

adapters::WebhookBatch parse(const std::string& body, const adapters::TelegramOptions& o = options()) {
    auto b = adapters::parse_telegram(body, o);
    if (!b) FAIL(b.error().message << " at " << b.error().field);
    return std::move(*b);
}

}  // namespace

TEST_CASE("telegram: a message from a user is an inbound chat event keyed by update_id") {
    const auto b = parse(payload("tg_message.json"));
    REQUIRE(b.events.size() == 1);
    const auto& e = b.events[0];
    CHECK(e.channel == router::Channel::chat);
    CHECK(e.direction == Direction::inbound);
    CHECK(e.account == "telegram-bot");
    CHECK(e.message_id == "tg:734619201:52417391:1201");
    CHECK(e.thread_id == "52417391");
    CHECK(e.sender.name == "Jonas Weber");
    CHECK(e.sender.im == "telegram:@jweber");
    CHECK(e.body == "Hello, 500 pcs X9 smart watch, price?");
    CHECK(when(e.received_at) == "2026-11-20T08:15:00Z");
}

TEST_CASE("telegram: an edited message is a new event at its edit time") {
    const auto b = parse(payload("tg_edited.json"));
    REQUIRE(b.events.size() == 1);
    CHECK(b.events[0].message_id == "tg:734619202:52417391:1201");  // same message, new update
    CHECK(b.events[0].body == "[edited] Hello, 800 pcs X9 smart watch, price?");
    CHECK(b.events[0].sender.im == "telegram:52417391");
    CHECK(when(b.events[0].received_at) == "2026-11-20T08:16:00Z");
}

TEST_CASE("telegram: business messages: the customer's are inbound, ours outbound") {
    auto b = parse(payload("tg_business.json"));
    REQUIRE(b.events.size() == 1);
    CHECK(b.events[0].direction == Direction::inbound);
    CHECK(b.events[0].body == "Sent a photo: this carton size ok?");
    CHECK(b.events[0].attachments == 1);
    CHECK(b.events[0].thread_id == "60011122");
    b = parse(payload("tg_business_ours.json"));
    REQUIRE(b.events.size() == 1);
    CHECK(b.events[0].direction == Direction::outbound);
    CHECK(b.events[0].thread_id == "60011122");
    CHECK(b.events[0].sender.name == "Alice");
}

TEST_CASE("telegram: updates we do not handle are ignored with a reason") {
    auto b = parse(payload("tg_callback.json"));
    CHECK(b.events.empty());
    REQUIRE(b.ignored.size() == 1);
    CHECK(b.ignored[0] == "update 734619205: callback_query is not handled");
    b = parse(
        R"({"update_id":5,"message":{"message_id":1,"from":{"id":9,"is_bot":true,"first_name":"B"},"chat":{"id":9,"type":"private"},"date":1795162500,"text":"hi"}})");
    CHECK(b.events.empty());
    CHECK(b.ignored.at(0) == "update 5: message from a bot");
    const std::string group =
        R"({"update_id":6,"message":{"message_id":1,"from":{"id":9,"first_name":"G"},"chat":{"id":-100,"type":"group","title":"x"},"date":1795162500,"text":"hi"}})";
    b = parse(group);
    CHECK(b.events.empty());
    CHECK(b.ignored.at(0) == "update 6: message in a group chat");
    auto o = options();
    o.accept_group_chats = true;
    b = parse(group, o);
    REQUIRE(b.events.size() == 1);
    CHECK(b.events[0].thread_id == "-100");
}

TEST_CASE("telegram: media, places and contacts in words") {
    auto body = [](const std::string& fields) {
        auto b = parse(
            R"({"update_id":7,"message":{"message_id":1,"from":{"id":9,"first_name":"A"},"chat":{"id":9,"type":"private"},"date":1795162500,)" +
            fields + "}}");
        REQUIRE(b.events.size() == 1);
        return b.events[0].body;
    };
    CHECK(
        body(
            R"("document":{"file_id":"x","file_name":"rfq.xlsx","mime_type":"application/vnd.ms-excel"},"caption":"our RFQ")") ==
        "Sent a document \"rfq.xlsx\" (application/vnd.ms-excel): our RFQ");
    CHECK(body(R"("voice":{"file_id":"x","duration":3,"mime_type":"audio/ogg"})") ==
          "Sent a voice message (audio/ogg)");
    CHECK(body(R"("location":{"latitude":52.52,"longitude":13.4})") == "Location: (52.52, 13.4)");
    CHECK(body(R"("venue":{"location":{"latitude":1.5,"longitude":2},"title":"Canton Fair","address":"Guangzhou"})") ==
          "Location: Canton Fair, Guangzhou (1.5, 2)");
    CHECK(body(R"("contact":{"phone_number":"+4930123","first_name":"Anna"})") == "Shared a contact: Anna, +4930123");
    CHECK(body(R"("sticker":{"file_id":"x","emoji":"\ud83d\ude00"})") == "Sent a sticker \xF0\x9F\x98\x80");
    CHECK(body(R"("new_chat_title":"x")") == "[unsupported Telegram message]");
}

TEST_CASE("telegram: the secret token header") {
    CHECK(adapters::verify_telegram_secret("abc-123_XYZ", "abc-123_XYZ"));
    CHECK_FALSE(adapters::verify_telegram_secret("abc-123_XYZ", "abc-123_XY"));
    CHECK_FALSE(adapters::verify_telegram_secret("abc-123_XYZ", ""));
    CHECK_FALSE(adapters::verify_telegram_secret("", ""));
}

TEST_CASE("telegram: malformed updates name the field") {
    auto err = [](const std::string& body) {
        auto b = adapters::parse_telegram(body, options());
        REQUIRE_FALSE(b.has_value());
        return b.error();
    };
    CHECK(err(R"({"message":{}})").field == "update_id");
    CHECK(err(R"({"update_id":"1"})").field == "update_id");
    CHECK(err(R"({"update_id":1,"message":{"from":{"id":1},"date":1795162500}})").field == "message.chat");
    CHECK(err(R"({"update_id":1,"message":{"from":{"id":1},"chat":{"id":1,"type":"private"},"text":"x"}})").field ==
          "message.date");
    CHECK(
        err(R"({"update_id":1,"message":{"from":{"id":1},"chat":{"id":1,"type":"private"},"date":1795162500,"text":5}})")
            .field == "message.text");
}

TEST_CASE("telegram: a business bot answering for us is outbound") {
    const auto b = parse(
        R"({"update_id":9,"business_message":{"message_id":90,"from":{"id":60011122,"first_name":"Li"},"sender_business_bot":{"id":5,"is_bot":true,"first_name":"Helper"},"chat":{"id":60011122,"type":"private"},"date":1795162700,"text":"Thanks, we reply within the hour."}})");
    REQUIRE(b.events.size() == 1);
    CHECK(b.events[0].direction == Direction::outbound);
}
