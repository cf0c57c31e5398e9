#pragma once
// The journal's event payload (a serialized inquiry.v1.InquiryEvent, written by the daemon's
// to_proto in daemon/src/proto_convert.cpp) back to the core's plain event: its inverse.
#include <optional>
#include <string_view>

#include "ir/router/event.hpp"

namespace ir::cli {

// nullopt when the bytes are not an InquiryEvent.
std::optional<router::Event> event_from_proto(std::string_view payload);

}  // namespace ir::cli
