// Marketplace relay pushes to events, through a per-platform map of JSON pointers.
#include "ir/adapters/marketplace.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <array>

#include "ir/adapters/event_json.hpp"
#include "ir/adapters/hmac.hpp"
#include "ir/adapters/webhook_json.hpp"

namespace ir::adapters {
namespace {
namespace json = boost::json;
using namespace webhook_json;
using Field = std::string MarketplaceMapping::*;

constexpr std::array<std::pair<const char*, Field>, 13> kFields{{
    {"account_field", &MarketplaceMapping::account_field},
    {"buyer_id", &MarketplaceMapping::buyer_id},
    {"buyer_name", &MarketplaceMapping::buyer_name},
    {"buyer_email", &MarketplaceMapping::buyer_email},
    {"buyer_country", &MarketplaceMapping::buyer_country},
    {"message_id", &MarketplaceMapping::message_id},
    {"thread_id", &MarketplaceMapping::thread_id},
    {"body", &MarketplaceMapping::body},
    {"subject", &MarketplaceMapping::subject},
    {"time", &MarketplaceMapping::time},
    {"order_id", &MarketplaceMapping::order_id},
    {"direction", &MarketplaceMapping::direction},
    {"outbound_value", &MarketplaceMapping::outbound_value},
}};

MarketplaceMapping builtin(std::string_view platform) {
    MarketplaceMapping m;
    m.platform = std::string(platform);
    if (platform == "alibaba") {  // Alibaba.com message centre (ICBU): snake_case, milliseconds
        m.buyer_id = "/message/sender_login_id", m.buyer_name = "/message/sender_name";
        m.buyer_email = "/message/sender_email", m.buyer_country = "/message/sender_country_code";
        m.message_id = "/message/msg_id", m.thread_id = "/message/conversation_id", m.body = "/message/content";
        m.subject = "/message/subject", m.time = "/message/gmt_create", m.order_id = "/message/trade_id";
        m.direction = "/message/from_seller", m.outbound_value = "true";
    } else if (platform == "aliexpress") {  // AliExpress open platform IM: channel = conversation
        m.buyer_id = "/buyer/login_id", m.buyer_name = "/buyer/name", m.buyer_country = "/buyer/country";
        m.message_id = "/message/msg_id", m.thread_id = "/channel_id", m.body = "/message/content";
        m.time = "/message/gmt_create", m.order_id = "/order_id";
        m.direction = "/sender_type", m.outbound_value = "seller";
    } else if (platform == "amazon") {  // SP-API naming (camelCase): one conversation per order
        m.buyer_id = "/payload/buyerId", m.buyer_name = "/payload/buyerName", m.buyer_email = "/payload/buyerEmail";
        m.buyer_country = "/payload/countryCode", m.message_id = "/payload/messageId", m.body = "/payload/text";
        m.subject = "/payload/subject", m.time = "/payload/createdTime", m.order_id = "/payload/amazonOrderId";
        m.direction = "/payload/senderRole", m.outbound_value = "SELLER";
    } else if (platform == "ebay") {  // Trading API GetMemberMessages: MemberMessageExchange
        m.buyer_id = "/Question/SenderID", m.buyer_email = "/Question/SenderEmail";
        m.message_id = "/Question/MessageID", m.body = "/Question/Body", m.subject = "/Question/Subject";
        m.time = "/CreationDate", m.order_id = "/OrderLineItemID";
    }
    return m;
}

Field find_field(std::string_view key) {
    for (const auto& kv : kFields)
        if (key == kv.first) return kv.second;
    return nullptr;
}

bool valid_pointer(std::string_view p) {
    if (p.empty()) return true;
    if (p.front() != '/') return false;
    for (std::size_t i = 0; i < p.size(); ++i)
        if (p[i] == '~' && (i + 1 >= p.size() || (p[i + 1] != '0' && p[i + 1] != '1'))) return false;
    return p.size() <= 512;
}

// The value at pointer p, or nullptr when p is unmapped or finds nothing (or null).
const json::value* find(const json::value& root, std::string_view p) {
    if (p.empty()) return nullptr;
    boost::system::error_code ec;
    const json::value* v = root.find_pointer(p, ec);
    return ec || !v || v->is_null() ? nullptr : v;
}

std::string text_at(const json::value& root, std::string_view p, std::size_t max_bytes, bool required = false) {
    const json::value* v = find(root, p);
    if (!v) {
        if (required) fail("missing field", std::string(p));
        return {};
    }
    if (v->is_object() || v->is_array()) fail("must be a string or a number", std::string(p));
    return scalar_text(*v, p, max_bytes);
}

std::string thread_of(const json::value& root, const MarketplaceMapping& m, const std::string& order,
                      const std::string& buyer) {
    std::string t = text_at(root, m.thread_id, kMaxIdBytes);
    if (!t.empty()) return t;
    if (!order.empty()) return "order:" + order;
    if (!buyer.empty()) return "buyer:" + buyer;
    fail("missing field: no thread, order or buyer id", m.thread_id.empty() ? m.buyer_id : m.thread_id);
}

router::Event event_of(const json::value& root, const MarketplaceMapping& m) {
    router::Event e;
    e.channel = router::Channel::marketplace;
    e.account = text_at(root, m.account_field, kMaxIdBytes);
    if (e.account.empty()) e.account = m.account;
    if (e.account.empty()) fail("missing field", m.account_field);
    const std::string id = text_at(root, m.message_id, kMaxIdBytes - m.platform.size() - 1, true);
    if (id.empty()) fail("must not be empty", m.message_id);
    e.message_id = m.platform + ":" + id;
    const json::value* t = find(root, m.time);
    if (!t) fail("missing field", m.time);
    e.received_at = any_time(*t, m.time);
    const json::value* body = find(root, m.body);
    if (!body) fail("missing field", m.body);
    e.body = scalar_text(*body, m.body, kMaxWebhookTextBytes);
    const std::string order = text_at(root, m.order_id, kMaxIdBytes);
    const std::string buyer = text_at(root, m.buyer_id, kMaxSenderFieldBytes);
    e.thread_id = thread_of(root, m, order, buyer);
    e.subject = text_at(root, m.subject, kMaxSubjectBytes);
    if (!order.empty()) e.subject = std::string(utf8_prefix("[Order " + order + "] " + e.subject, kMaxSubjectBytes));
    while (!e.subject.empty() && e.subject.back() == ' ') e.subject.pop_back();
    e.sender.name = text_at(root, m.buyer_name, kMaxSenderFieldBytes);
    e.sender.email = text_at(root, m.buyer_email, kMaxSenderFieldBytes);
    e.sender.country = text_at(root, m.buyer_country, kMaxSenderFieldBytes);
    if (!buyer.empty()) e.sender.im = std::string(utf8_prefix(m.platform + ":" + buyer, kMaxSenderFieldBytes));
    const std::string dir = text_at(root, m.direction, kMaxIdBytes);
    e.direction = !dir.empty() && dir == m.outbound_value ? router::Direction::outbound : router::Direction::inbound;
    return e;
}

}  // namespace

const std::vector<std::string>& marketplace_field_keys() {
    static const std::vector<std::string> keys = [] {
        std::vector<std::string> k;
        for (const auto& f : kFields) k.emplace_back(f.first);
        return k;
    }();
    return keys;
}

std::vector<std::string> marketplace_platforms() {
    return {"alibaba", "aliexpress", "amazon", "ebay"};
}

Expected<MarketplaceMapping> make_marketplace_mapping(std::string_view platform, std::string_view account,
                                                      const std::map<std::string, std::string>& overrides) {
    const std::string where = "adapters.marketplace." + std::string(platform);
    const bool plain = std::all_of(platform.begin(), platform.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
    if (platform.empty() || platform.size() > 64 || !plain)
        return Error{"platform name must be 1-64 characters of [a-z0-9_-]", where, true};
    MarketplaceMapping m = builtin(platform);
    m.account = std::string(account);
    for (const auto& kv : overrides) {
        const Field f = find_field(kv.first);
        if (!f) return Error{"unknown field", where + ".fields." + kv.first};
        if (kv.first != "outbound_value" && !valid_pointer(kv.second))
            return Error{"must be a JSON pointer such as /message/content (RFC 6901)", where + ".fields." + kv.first,
                         true};
        m.*f = kv.second;
    }
    for (const char* key : {"message_id", "body", "time"})
        if ((m.*find_field(key)).empty())
            return Error{"must be mapped (a JSON pointer)", where + ".fields." + key, true};
    if (m.thread_id.empty() && m.order_id.empty() && m.buyer_id.empty())
        return Error{"map at least one of thread_id, order_id, buyer_id", where + ".fields.thread_id", true};
    if (m.account.empty() && m.account_field.empty())
        return Error{"missing: give account (or fields.account_field)", where + ".account"};
    if (!m.direction.empty() && m.outbound_value.empty())
        return Error{"direction is mapped: give outbound_value too", where + ".fields.outbound_value", true};
    return m;
}

bool verify_marketplace_signature(std::string_view secret, std::string_view raw_body, std::string_view header) {
    return verify_hmac_sha256_hex(secret, raw_body, header);
}

Expected<WebhookBatch> parse_marketplace(std::string_view raw_body, const MarketplaceMapping& mapping) {
    try {
        json::value storage;
        parse_body(raw_body, storage);
        WebhookBatch batch;
        batch.events.push_back(event_of(storage, mapping));
        return batch;
    } catch (const webhook_json::WebhookFailure& f) {
        return f.error;
    }
}

}  // namespace ir::adapters
