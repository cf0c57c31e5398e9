#include "ir/router/event.hpp"

#include "ir/router/assessment.hpp"

namespace ir::router {

std::string_view to_string(Channel c) {
    switch (c) {
        case Channel::email:
            return "email";
        case Channel::chat:
            return "chat";
        case Channel::marketplace:
            return "marketplace";
    }
    return "email";
}

std::string_view to_string(Direction d) {
    return d == Direction::inbound ? "inbound" : "outbound";
}

std::optional<Channel> parse_channel(std::string_view s) {
    if (s == "email") return Channel::email;
    if (s == "chat") return Channel::chat;
    if (s == "marketplace") return Channel::marketplace;
    return std::nullopt;
}

std::optional<Direction> parse_direction(std::string_view s) {
    if (s == "inbound") return Direction::inbound;
    if (s == "outbound") return Direction::outbound;
    return std::nullopt;
}

std::string_view to_string(ScamSign s) {
    switch (s) {
        case ScamSign::large_order_uninformed:
            return "large_order_uninformed";
        case ScamSign::unusual_request:
            return "unusual_request";
        case ScamSign::visit_or_urgency:
            return "visit_or_urgency";
        case ScamSign::unverifiable_big_company:
            return "unverifiable_big_company";
        case ScamSign::terse_format:
            return "terse_format";
    }
    return "unknown";
}

}  // namespace ir::router
