// Marketplace relay pushes: the built-in mapping of each platform, overrides, errors.
#include <catch2/catch.hpp>

#include "ir/adapters/hmac.hpp"
#include "ir/adapters/marketplace.hpp"
#include "payloads.hpp"

using namespace ir;
using router::Direction;
using test::payload;
using test::when;

namespace {

adapters::MarketplaceMapping mapping(const std::string& platform, const std::map<std::string, std::string>& o = {}) {
    auto m = adapters::make_marketplace_mapping(platform, platform + "-store", o);
    if (!m) FAIL(m.error().message << " at " << m.error().field);
    return *m;
}

router::Event push(const std::string& body, const adapters::MarketplaceMapping& m) {
    auto b = adapters::parse_marketplace(body, m);
    if (!b) FAIL(b.error().message << " at " << b.error().field);
    REQUIRE(b->events.size() == 1);
    return b->events[0];
}

}  // namespace

TEST_CASE("marketplace: alibaba") {
    const auto e = push(payload("mp_alibaba.json"), mapping("alibaba"));
    CHECK(e.channel == router::Channel::marketplace);
    CHECK(e.direction == Direction::inbound);
    CHECK(e.account == "alibaba-store");
    CHECK(e.message_id == "alibaba:2000417718234");
    CHECK(e.thread_id == "cnv-88231");
    CHECK(when(e.received_at) == "2026-11-20T08:15:00Z");  // milliseconds detected
    CHECK(e.sender.name == "Jonas Weber");
    CHECK(e.sender.email == "j.weber@weber-handel.de");
    CHECK(e.sender.country == "DE");
    CHECK(e.sender.im == "alibaba:de1298374");
    CHECK(e.subject == "Inquiry about X9 Smart Watch");
    CHECK(e.body == "Hello, we need 500 pcs X9 smart watch with our logo. Carton size?");
}

TEST_CASE("marketplace: aliexpress (numeric ids, RFC 3339 with an offset)") {
    const auto e = push(payload("mp_aliexpress.json"), mapping("aliexpress"));
    CHECK(e.message_id == "aliexpress:9988776655");
    CHECK(e.thread_id == "1122334455");
    CHECK(when(e.received_at) == "2026-11-20T08:15:00Z");
    CHECK(e.subject == "[Order 8123456789012345]");
    CHECK(e.sender.country == "BR");
    CHECK(e.sender.im == "aliexpress:br100200300");
    CHECK(e.direction == Direction::inbound);
}

TEST_CASE("marketplace: amazon (the order is the conversation)") {
    const auto e = push(payload("mp_amazon.json"), mapping("amazon"));
    CHECK(e.message_id == "amazon:A1B2C3D4E5F6G7");
    CHECK(e.thread_id == "order:302-1234567-1234567");
    CHECK(e.subject == "[Order 302-1234567-1234567] Question about your order");
    CHECK(e.sender.email == "xyz123@marketplace.amazon.com");
    CHECK(e.body == "Does the packaging tape come in 48 mm width?");
}

TEST_CASE("marketplace: ebay (no conversation id: the buyer is the thread)") {
    const auto e = push(payload("mp_ebay.json"), mapping("ebay"));
    CHECK(e.message_id == "ebay:1234567890");
    CHECK(e.thread_id == "buyer:jo_buyer_uk");
    CHECK(e.subject == "Question about item 110012345678");
    CHECK(e.sender.im == "ebay:jo_buyer_uk");
    CHECK(when(e.received_at) == "2026-11-20T08:15:00Z");
}

TEST_CASE("marketplace: the seller's own messages are outbound") {
    std::string body = payload("mp_alibaba.json");
    body.replace(body.find("\"from_seller\":false"), 19, "\"from_seller\":true");
    CHECK(push(body, mapping("alibaba")).direction == Direction::outbound);
    body = payload("mp_amazon.json");
    body.replace(body.find("\"BUYER\""), 7, "\"SELLER\"");
    CHECK(push(body, mapping("amazon")).direction == Direction::outbound);
}

TEST_CASE("marketplace: overrides replace single fields; a custom platform maps everything") {
    auto m = mapping("ebay", {{"thread_id", "/Item/ItemID"}, {"direction", "/Folder"}, {"outbound_value", "Sent"}});
    auto e = push(payload("mp_ebay.json"), m);
    CHECK(e.thread_id == "110012345678");
    CHECK(e.direction == Direction::inbound);
    m = mapping("alibaba", {{"account_field", "/seller_login_id"}});
    CHECK(push(payload("mp_alibaba.json"), m).account == "cn1520417718abcd");
    m = mapping("shopify", {{"message_id", "/id"}, {"body", "/a~1b"}, {"time", "/t"}, {"buyer_id", "/who/0"}});
    e = push(R"({"id":"m1","a/b":"hello","t":1795162500,"who":["c-1"]})", m);
    CHECK(e.message_id == "shopify:m1");
    CHECK(e.body == "hello");
    CHECK(e.thread_id == "buyer:c-1");
    CHECK(when(e.received_at) == "2026-11-20T08:15:00Z");
}

TEST_CASE("marketplace: bad mappings name the config key") {
    auto err = [](const std::string& platform, const std::map<std::string, std::string>& o) {
        auto m = adapters::make_marketplace_mapping(platform, "acct", o);
        REQUIRE_FALSE(m.has_value());
        return m.error();
    };
    CHECK(err("ebay", {{"bodyy", "/x"}}).field == "adapters.marketplace.ebay.fields.bodyy");
    CHECK(err("ebay", {{"bodyy", "/x"}}).message == "unknown field");
    CHECK(err("ebay", {{"body", "Body"}}).field == "adapters.marketplace.ebay.fields.body");
    CHECK(err("ebay", {{"body", "/a~2"}}).field == "adapters.marketplace.ebay.fields.body");
    CHECK(err("ebay", {{"body", ""}}).field == "adapters.marketplace.ebay.fields.body");
    CHECK(err("shopify", {}).field == "adapters.marketplace.shopify.fields.message_id");
    CHECK(err("amazon", {{"direction", "/x"}, {"outbound_value", ""}}).field ==
          "adapters.marketplace.amazon.fields.outbound_value");
    CHECK(err("../etc", {}).field == "adapters.marketplace.../etc");
    auto m = adapters::make_marketplace_mapping("amazon", "", {});
    REQUIRE_FALSE(m.has_value());
    CHECK(m.error().field == "adapters.marketplace.amazon.account");
}

TEST_CASE("marketplace: a missing required value names its JSON pointer") {
    auto err = [](const std::string& body, const std::string& platform) {
        auto b = adapters::parse_marketplace(body, mapping(platform));
        REQUIRE_FALSE(b.has_value());
        return b.error();
    };
    CHECK(err(R"({"payload":{"text":"x","createdTime":"2026-11-20T08:15:00Z","buyerId":"b"}})", "amazon").field ==
          "/payload/messageId");
    CHECK(err(R"({"payload":{"messageId":"m","createdTime":"2026-11-20T08:15:00Z","buyerId":"b"}})", "amazon").field ==
          "/payload/text");
    CHECK(err(R"({"payload":{"messageId":"m","text":"x","buyerId":"b"}})", "amazon").field == "/payload/createdTime");
    const auto bad_time =
        err(R"({"payload":{"messageId":"m","text":"x","createdTime":"yesterday","buyerId":"b"}})", "amazon");
    CHECK(bad_time.field == "/payload/createdTime");
    CHECK(bad_time.invalid_value);
    CHECK(err(R"({"payload":{"messageId":"m","text":"x","createdTime":1795162500}})", "amazon").field ==
          "/payload/buyerId");
    CHECK(
        err(R"({"payload":{"messageId":{"a":1},"text":"x","createdTime":1795162500,"buyerId":"b"}})", "amazon").field ==
        "/payload/messageId");
}

TEST_CASE("marketplace: the relay's signature") {
    const std::string body = payload("mp_amazon.json");
    CHECK(adapters::verify_marketplace_signature("relay-key", body, adapters::sign_sha256_header("relay-key", body)));
    CHECK_FALSE(adapters::verify_marketplace_signature("relay-key", body, adapters::sign_sha256_header("other", body)));
    CHECK_FALSE(adapters::verify_marketplace_signature("relay-key", body, "sha256="));
}

TEST_CASE("marketplace: times as unix seconds, as strings of digits, and milliseconds") {
    const auto m = mapping("shopee", {{"message_id", "/id"}, {"body", "/b"}, {"time", "/t"}, {"thread_id", "/c"}});
    for (const std::string t : {"1795162500", "\"1795162500\"", "1795162500000", "\"2026-11-20T08:15:00Z\""}) {
        const auto e = push(R"({"id":1,"b":"","c":"x","t":)" + t + "}", m);
        CHECK(when(e.received_at) == "2026-11-20T08:15:00Z");
        CHECK(e.body.empty());
    }
}
