#pragma once
// Marketplace message pushes (/v1/webhooks/marketplace/<platform>): a small relay on the
// seller's side forwards each platform message as a JSON object, signed with
// X-Signature-256: sha256=<hex HMAC-SHA256 of the raw body> under the platform's secret.
// Where each event field sits in the pushed object is a JSON pointer (RFC 6901) per
// platform: built-in defaults for alibaba, aliexpress, amazon and ebay, overridable field
// by field from the config. Pure: no sockets, no clock, no files.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ir/adapters/webhook.hpp"
#include "ir/base/expected.hpp"

namespace ir::adapters {

// Every field but `platform`, `account` and `outbound_value` is a JSON pointer ("/a/b/0");
// empty means "not mapped". Required: message_id, body, time, and thread_id or order_id or
// buyer_id (the thread falls back in that order).
struct MarketplaceMapping {
    std::string platform;       // "alibaba", ... (also the prefix of message ids)
    std::string account;        // the fixed account (config `account`) ...
    std::string account_field;  // ... unless this pointer finds a non-empty value
    std::string buyer_id;
    std::string buyer_name;
    std::string buyer_email;
    std::string buyer_country;
    std::string message_id;
    std::string thread_id;  // the conversation id
    std::string body;
    std::string subject;
    std::string time;  // RFC 3339, or unix seconds, or unix milliseconds (12+ digits)
    std::string order_id;
    std::string direction;       // optional: the value there equal to outbound_value ...
    std::string outbound_value;  // ... makes the message ours (outbound); "true" matches true
    bool operator==(const MarketplaceMapping&) const = default;
};

// The override keys the config may use under [adapters.marketplace.<platform>.fields].
const std::vector<std::string>& marketplace_field_keys();
// The platforms with a built-in mapping: alibaba, aliexpress, amazon, ebay.
std::vector<std::string> marketplace_platforms();

// The built-in mapping of `platform` (with account), each key of `overrides` replacing one
// field ("" unmaps an optional field). Errors name the key: unknown key, a pointer that is
// not RFC 6901, a required field left unmapped (a platform without a built-in mapping
// must map them all), or an empty account with no account_field.
Expected<MarketplaceMapping> make_marketplace_mapping(std::string_view platform, std::string_view account,
                                                      const std::map<std::string, std::string>& overrides);

// The X-Signature-256 header check, before parsing; false -> 401.
bool verify_marketplace_signature(std::string_view secret, std::string_view raw_body, std::string_view header);

// One pushed object -> one marketplace event (message_id "<platform>:<id>"). A missing
// required value is an error naming its JSON pointer; unknown extra fields are ignored.
Expected<WebhookBatch> parse_marketplace(std::string_view raw_body, const MarketplaceMapping& mapping);

}  // namespace ir::adapters
