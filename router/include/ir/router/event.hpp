#pragma once
// The generic inquiry event as the core sees it: plain structs, no protobuf.
// Mirrors inquiry.v1.InquiryEvent and the `event` object of fixtures/FORMAT.md.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ir/sla/time.hpp"

namespace ir::router {

enum class Channel : std::uint8_t { email, chat, marketplace };
enum class Direction : std::uint8_t { inbound, outbound };

std::string_view to_string(Channel c);
std::string_view to_string(Direction d);
std::optional<Channel> parse_channel(std::string_view s);
std::optional<Direction> parse_direction(std::string_view s);

struct Sender {
    std::string name;
    std::string email;
    std::string company;
    std::string phone;
    std::string address;
    std::string country;  // ISO 3166-1 alpha-2 where known
    std::string im;       // "whatsapp:+49...", "telegram:@name"
    bool operator==(const Sender&) const = default;
};

struct Event {
    Channel channel = Channel::email;
    std::string account;
    std::string message_id;
    std::string thread_id;
    sla::TimePoint received_at{};
    Direction direction = Direction::inbound;
    Sender sender;
    std::string subject;
    std::string body;
    std::uint32_t attachments = 0;
    bool operator==(const Event&) const = default;
};

// What our own records know of the customer (tier 1 comes only from here).
struct CustomerContext {
    std::uint32_t customer_messages_in_thread = 0;
    std::uint32_t orders = 0;
    std::uint32_t sample_orders = 0;
    bool visited_company = false;
    bool local_influence = false;
    bool operator==(const CustomerContext&) const = default;
};

}  // namespace ir::router
