#pragma once
// What every webhook parser (WhatsApp, Telegram, marketplace relays) returns: the events
// one request carries, and a line for each item it deliberately did not turn into an event.
// Parsers are pure: raw bytes in, values out; the daemon checks the signature first, then
// parses, then ingests every event like POST /v1/events (dedupe, journal, ack after commit).
//
// HTTP answers the daemon gives (see docs/webhooks.md):
//   signature or token wrong/missing      401 (nothing parsed, nothing changed)
//   body larger than kMaxWebhookBodyBytes 413 (checked by the HTTP layer before parsing)
//   Error with invalid_value == false     400 (not JSON, wrong types, missing fields)
//   Error with invalid_value == true      422 (well-formed but refused: limits, bad times)
//   a batch (even with no events)         200 once every event is committed or a duplicate
//   a commit failed / busy                503 + Retry-After (the sender retries the whole
//                                         request; what was committed is then a duplicate)
#include <cstddef>
#include <string>
#include <vector>

#include "ir/router/event.hpp"

namespace ir::adapters {

inline constexpr std::size_t kMaxWebhookBodyBytes = std::size_t{1} << 20;  // 1 MiB
inline constexpr std::size_t kMaxWebhookEvents = 1000;                     // items in one request
inline constexpr std::size_t kMaxWebhookJsonDepth = 32;                    // nesting of the JSON body
inline constexpr std::size_t kMaxWebhookTextBytes = 64 * 1024;             // one message's text

struct WebhookBatch {
    std::vector<router::Event> events;
    // One line per item skipped on purpose (a status of a failed send, a Telegram
    // callback_query, a change of another field...): for the log, never an error.
    std::vector<std::string> ignored;
};

}  // namespace ir::adapters
