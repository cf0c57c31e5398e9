#pragma once
// The two halves of build_outgoing: HTTP platforms and commands.
#include "ir/notify/outgoing.hpp"

namespace ir::notify {

HttpPost build_http_post(const Destination& d, const Message& m, sla::TimePoint now);
Command build_command(const Destination& d, const Batch& batch, const Message& m, sla::TimePoint now);

}  // namespace ir::notify
