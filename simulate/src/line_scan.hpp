#pragma once
// A quick look into one traffic line for what KnownCustomers needs (direction, the sender's
// email, phone and IM, the context's counts), without building the event. Only for compact
// lines with no escapes in them; anything else answers nullopt and is parsed in full.
// Private to ir_simulate.
#include <optional>
#include <string_view>

#include "ir/simulate/input.hpp"

namespace ir::simulate::detail {

std::optional<Input> scan_identity(std::string_view line);

}  // namespace ir::simulate::detail
