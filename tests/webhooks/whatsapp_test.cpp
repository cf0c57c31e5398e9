// The WhatsApp Cloud API webhook: Meta's documented payload shapes, signatures, handshake.
#include <catch2/catch.hpp>

#include "ir/adapters/hmac.hpp"
#include "ir/adapters/whatsapp.hpp"
#include "payloads.hpp"

using namespace ir;
using router::Direction;
using test::payload;
using test::when;

namespace {

const std::string kAppSecret = "meta-app-secret";

adapters::WhatsAppOptions options() {
    adapters::WhatsAppOptions o;
    o.account = "whatsapp-main";
    return o;
}

// What the daemon does: check the signature, then parse.
adapters::WebhookBatch post(const std::string& name) {
    const std::string body = payload(name);
    REQUIRE(adapters::verify_whatsapp_signature(kAppSecret, body, adapters::sign_sha256_header(kAppSecret, body)));
    auto batch = adapters::parse_whatsapp(body, options());
    if (!batch) FAIL(batch.error().message << " at " << batch.error().field);
    return std::move(*batch);
}

router::Event only(const adapters::WebhookBatch& b) {
    REQUIRE(b.events.size() == 1);
    return b.events[0];
}

}  // namespace

TEST_CASE("whatsapp: a text message becomes an inbound chat event") {
    const auto e = only(post("wa_text.json"));
    CHECK(e.channel == router::Channel::chat);
    CHECK(e.direction == Direction::inbound);
    CHECK(e.account == "whatsapp-main");
    CHECK(e.message_id == "wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFjNFQjBDNzE4");
    CHECK(e.thread_id == "4915112345678");
    CHECK(when(e.received_at) == "2026-11-20T08:15:00Z");
    CHECK(e.sender.name == "Jonas Weber");
    CHECK(e.sender.phone == "+4915112345678");
    CHECK(e.sender.im == "whatsapp:+4915112345678");
    CHECK(e.body == "Hello, price for 500 pcs X9 smart watch?");
    CHECK(e.attachments == 0);
}

TEST_CASE("whatsapp: an image is described with its caption and mime type") {
    const auto e = only(post("wa_image.json"));
    CHECK(e.body == "Sent an image (image/jpeg): Do you have this in black?");
    CHECK(e.attachments == 1);
}

TEST_CASE("whatsapp: a location, a reaction, button and list replies in words") {
    CHECK(only(post("wa_location.json")).body ==
          "Location: Weber Handel GmbH, Friedrichstr. 10, 10117 Berlin (52.5200066, 13.404954)");
    CHECK(only(post("wa_reaction.json")).body == "Reacted \xF0\x9F\x91\x8D to message wamid.OURS1");
    const auto b = post("wa_interactive.json");
    REQUIRE(b.events.size() == 3);
    CHECK(b.events[0].body == "Chose: Send me a quote");
    CHECK(b.events[1].body == "Chose: X9 Smart Watch (black, 46 mm)");
    CHECK(b.events[2].body == "Chose: Yes, call me");
    CHECK(b.events[2].message_id == "wamid.LEGACY1");
    CHECK(when(b.events[2].received_at) == "2026-11-20T08:15:20Z");
}

TEST_CASE("whatsapp: statuses of our message are one outbound event; a failed send is ignored") {
    const auto b = post("wa_statuses.json");
    REQUIRE(b.events.size() == 1);  // sent, delivered, read of one message: its first status
    const auto& e = b.events[0];
    CHECK(e.direction == Direction::outbound);
    CHECK(e.message_id == "wamid.OURS5");
    CHECK(e.thread_id == "4915112345678");
    CHECK(e.sender.im == "whatsapp:+15550783881");
    CHECK(when(e.received_at) == "2026-11-20T08:17:30Z");
    CHECK(e.body == "WhatsApp message sent to +4915112345678");
    REQUIRE(b.ignored.size() == 3);
    CHECK(b.ignored[0] == "status failed of our message wamid.OURS6: Re-engagement message");
    CHECK(b.ignored[1] == "message wamid.OURS5 repeated in the same request");
}

TEST_CASE("whatsapp: a later status alone (sent was missed) still counts, with the same id") {
    std::string body = payload("wa_statuses.json");
    auto b = adapters::parse_whatsapp(body, options());
    REQUIRE(b.has_value());
    const auto first = b->events.at(0);
    // "read" arriving in a request of its own: same message id -> a duplicate for the daemon.
    body =
        R"({"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"statuses":[{"id":"wamid.OURS5","status":"read","timestamp":"1795162700","recipient_id":"4915112345678"}]}}]}]})";
    b = adapters::parse_whatsapp(body, options());
    REQUIRE(b.has_value());
    CHECK(b->events.at(0).message_id == first.message_id);
    CHECK(b->events.at(0).direction == Direction::outbound);
}

TEST_CASE("whatsapp: unsupported and unknown types are described, never dropped") {
    const auto b = post("wa_unknown.json");
    REQUIRE(b.events.size() == 2);
    CHECK(b.events[0].body ==
          "[unsupported message type: unsupported (Message type unknown: Message type is currently not supported.)]");
    CHECK(b.events[1].body == "[unsupported message type: hologram]");
}

TEST_CASE("whatsapp: a buyer known only by a business-scoped user id") {
    const auto e = only(post("wa_bsuid.json"));
    CHECK(e.thread_id == "BR.13491208655302741918");
    CHECK(e.sender.im == "whatsapp:BR.13491208655302741918");
    CHECK(e.sender.phone.empty());
    CHECK(e.sender.country == "BR");
    CHECK(e.sender.name == "Ana Souza");
}

TEST_CASE("whatsapp: several messages of several buyers in one request") {
    const auto b = post("wa_batch.json");
    REQUIRE(b.events.size() == 7);
    CHECK(b.events[0].body == "Sent a document \"spec.pdf\" (application/pdf): our specification");
    CHECK(b.events[0].sender.name == "Jonas Weber");
    CHECK(b.events[1].body == "Sent a voice message (audio/ogg; codecs=opus)");
    CHECK(b.events[1].sender.name == "Li Wei");
    CHECK(b.events[1].thread_id == "8613800138000");  // the phone number wins over the BSUID
    CHECK(b.events[1].sender.country == "CN");
    CHECK(b.events[2].body == "Sent a video (video/mp4)");
    CHECK(b.events[2].sender.name == "Li Wei");
    CHECK(b.events[3].body == "Sent a sticker (image/webp)");
    CHECK(b.events[4].body ==
          "Shared a contact:\nAnna Becker: Weber Handel GmbH, +49 30 1234567, a.becker@weber-handel.de");
    CHECK(b.events[4].attachments == 0);
    CHECK(b.events[5].body == "Order from catalogue cat-1:\n500 x SW-X9 at 18.5 USD\nplease ship by sea");
    CHECK(b.events[6].body == "Is this one waterproof?\n[about catalogue product SW-X9]");
    for (const auto& e : b.events) CHECK(e.account == "whatsapp-main");
}

TEST_CASE("whatsapp: the phone number id picks the account") {
    auto o = options();
    o.phone_number_accounts["106540352242922"] = "alibaba-electronics";
    auto b = adapters::parse_whatsapp(payload("wa_text.json"), o);
    REQUIRE(b.has_value());
    CHECK(b->events.at(0).account == "alibaba-electronics");
    o.phone_number_accounts = {{"999", "other"}};
    o.account.clear();
    b = adapters::parse_whatsapp(payload("wa_text.json"), o);
    REQUIRE_FALSE(b.has_value());
    CHECK(b.error().field == "entry[0].changes[0].value.metadata.phone_number_id");
    CHECK(b.error().invalid_value);
}

TEST_CASE("whatsapp: a bad signature does not verify") {
    const std::string body = payload("wa_text.json");
    CHECK_FALSE(adapters::verify_whatsapp_signature(kAppSecret, body, adapters::sign_sha256_header("wrong", body)));
    CHECK_FALSE(adapters::verify_whatsapp_signature(kAppSecret, body, ""));
    CHECK_FALSE(
        adapters::verify_whatsapp_signature(kAppSecret, body + "\n", adapters::sign_sha256_header(kAppSecret, body)));
    CHECK_FALSE(adapters::verify_whatsapp_signature("", body, adapters::sign_sha256_header("", body)));
}

TEST_CASE("whatsapp: a retried webhook yields the same message ids") {
    const auto a = post("wa_batch.json"), b = post("wa_batch.json");
    REQUIRE(a.events.size() == b.events.size());
    for (std::size_t i = 0; i < a.events.size(); ++i) CHECK(a.events[i] == b.events[i]);
}

TEST_CASE("whatsapp: missing and mistyped fields name their path") {
    auto err = [](const std::string& body) {
        auto b = adapters::parse_whatsapp(body, options());
        REQUIRE_FALSE(b.has_value());
        return b.error();
    };
    const std::string head =
        R"({"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[)";
    const std::string tail = "]}}]}]}";
    CHECK(err(head + R"({"from":"1","timestamp":"1795162500","type":"text","text":{"body":"x"}})" + tail).field ==
          "entry[0].changes[0].value.messages[0].id");
    CHECK(err(head + R"({"id":"w","from":"1","timestamp":"soon","type":"text","text":{"body":"x"}})" + tail).field ==
          "entry[0].changes[0].value.messages[0].timestamp");
    CHECK(
        err(head + R"({"id":"w","from":"1","timestamp":"1795162500","type":"text","text":{"body":7}})" + tail).field ==
        "entry[0].changes[0].value.messages[0].text.body");
    CHECK(err(head + R"({"id":"w","timestamp":"1795162500","type":"text","text":{"body":"x"}})" + tail).field ==
          "entry[0].changes[0].value.messages[0].from");
    CHECK(err(head + R"({"id":"w","from":"1","timestamp":"1795162500","type":"image"})" + tail).field ==
          "entry[0].changes[0].value.messages[0].image");
    CHECK(err(R"({"object":"whatsapp_business_account","entry":{}})").field == "entry");
    CHECK(err(R"({"entry":[]})").field == "object");
}

TEST_CASE("whatsapp: other objects and fields are ignored with a reason") {
    auto b = adapters::parse_whatsapp(R"({"object":"page","entry":[]})", options());
    REQUIRE(b.has_value());
    CHECK(b->events.empty());
    CHECK(b->ignored.at(0) == "object page is not whatsapp_business_account");
    b = adapters::parse_whatsapp(
        R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"message_template_status_update","value":{"event":"APPROVED"}}]}]})",
        options());
    REQUIRE(b.has_value());
    CHECK(b->events.empty());
    CHECK(b->ignored.at(0) == "change of field message_template_status_update");
}

TEST_CASE("whatsapp: the GET handshake") {
    auto ok = adapters::verify_handshake("subscribe", "my-token", "1158201444", "my-token");
    REQUIRE(ok.has_value());
    CHECK(*ok == "1158201444");
    CHECK_FALSE(adapters::verify_handshake("subscribe", "nope", "1158201444", "my-token").has_value());
    CHECK_FALSE(adapters::verify_handshake("unsubscribe", "my-token", "1", "my-token").has_value());
    CHECK_FALSE(adapters::verify_handshake("subscribe", "", "1", "").has_value());
    CHECK_FALSE(adapters::verify_handshake("subscribe", "my-token", "<script>", "my-token").has_value());
    CHECK_FALSE(adapters::verify_handshake("subscribe", "my-token", "", "my-token").has_value());
    auto q =
        adapters::verify_handshake_query("hub.mode=subscribe&hub.challenge=42&hub.verify_token=my%2Dtoken", "my-token");
    REQUIRE(q.has_value());
    CHECK(*q == "42");
    CHECK(adapters::verify_handshake_query("hub.mode=subscribe&hub.challenge=42", "my-token").error().field ==
          "hub.verify_token");
}

TEST_CASE("whatsapp: a removed reaction, and a sender with neither phone nor contact") {
    const std::string body =
        R"({"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[{"from":"US.123","id":"w1","timestamp":1795162500,"type":"reaction","reaction":{"message_id":"wamid.OURS1"}}]}}]}]})";
    auto b = adapters::parse_whatsapp(body, options());
    REQUIRE(b.has_value());
    const auto& e = b->events.at(0);
    CHECK(e.body == "Removed a reaction from message wamid.OURS1");
    CHECK(e.thread_id == "US.123");
    CHECK(e.sender.im == "whatsapp:US.123");
    CHECK(e.sender.country == "US");
    CHECK(when(e.received_at) == "2026-11-20T08:15:00Z");  // a number works as well as a string
}
