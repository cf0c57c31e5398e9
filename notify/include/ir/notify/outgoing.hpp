#pragma once
// One message ready to go: an HTTP POST (the chat robots, Slack, Telegram) or a command
// fed on its standard input (sendmail for e-mail, the exec kind).
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "ir/notify/destination.hpp"
#include "ir/notify/message.hpp"

namespace ir::notify {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpPost {
    std::string url;  // with the signature's query string where the platform wants it there
    Headers headers;  // Content-Type, X-Inquiry-Delivery-Id, X-Inquiry-Alert-Seqs
    std::string body;
};

struct Command {
    std::vector<std::string> argv;
    std::string input;
};

using Outgoing = std::variant<HttpPost, Command>;

// What one delivery carries: one alert, or a digest of several (in seq order).
struct Batch {
    std::vector<AlertItem> items;
    std::string delivery_id;  // "<destination>:<first seq>[-<last seq>]": the same on a retry
    bool digest() const { return items.size() > 1; }
};

std::string delivery_id(const std::string& destination, const std::vector<AlertItem>& items);

// The platform's documented payload for `message`; signs with `now` where the platform
// signs with a timestamp (DingTalk, Feishu).
Outgoing build_outgoing(const Destination& d, const Batch& batch, const Message& message, sla::TimePoint now);

}  // namespace ir::notify
