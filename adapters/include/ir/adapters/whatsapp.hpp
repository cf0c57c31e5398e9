#pragma once
// The WhatsApp Business Cloud API webhook (/v1/webhooks/whatsapp): the GET handshake, the
// X-Hub-Signature-256 check and the POST body (entry[].changes[].value with messages,
// statuses, contacts, errors) to events. Pure: no sockets, no clock, no files.
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "ir/adapters/webhook.hpp"
#include "ir/base/expected.hpp"

namespace ir::adapters {

struct WhatsAppOptions {
    // The account every event belongs to (one WhatsApp number per account) ...
    std::string account;
    // ... unless the change's metadata.phone_number_id is listed here (id -> account).
    // An id not listed falls back to `account`; with `account` empty it is an error (422).
    std::map<std::string, std::string, std::less<>> phone_number_accounts;
};

// The GET handshake: hub.mode must be "subscribe" and hub.verify_token must equal
// expected_token (constant time). Returns hub.challenge, which the daemon echoes as the
// text/plain body of a 200; an error (its message is the reason) is a 403. The challenge
// must be 1-256 characters of [0-9A-Za-z._-] (Meta sends digits), so nothing else is
// reflected back.
Expected<std::string> verify_handshake(std::string_view mode, std::string_view verify_token, std::string_view challenge,
                                       std::string_view expected_token);
// The same from the raw query string ("hub.mode=subscribe&hub.verify_token=...&hub.challenge=...",
// percent-decoded here).
Expected<std::string> verify_handshake_query(std::string_view query, std::string_view expected_token);

// X-Hub-Signature-256: "sha256=" + hex HMAC-SHA256 of the raw body with the app secret.
// Check it before parsing; false -> 401.
bool verify_whatsapp_signature(std::string_view app_secret, std::string_view raw_body, std::string_view header);

// Inbound messages of every type -> inbound chat events; statuses sent/delivered/read of a
// message we sent -> one outbound chat event per message of ours (message_id = its wamid,
// so its later statuses are duplicates); failed statuses, webhook errors and changes of
// other fields are listed in `ignored`. See docs/webhooks.md for the mapping.
Expected<WebhookBatch> parse_whatsapp(std::string_view raw_body, const WhatsAppOptions& options);

}  // namespace ir::adapters
