#pragma once
// Internal to the WhatsApp parser: one inbound message object in words (the event body),
// with the number of attachments it carries.
#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace ir::adapters::whatsapp_detail {

struct Described {
    std::string body;
    std::uint32_t attachments = 0;
};

// type is the message's "type"; path names the message for errors.
Described describe_message(const boost::json::object& msg, std::string_view type, std::string_view path);

}  // namespace ir::adapters::whatsapp_detail
