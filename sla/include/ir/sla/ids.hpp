#pragma once
// Strong ids the SLA engine works with: plain integers that cannot be mixed up.
#include <cstdint>

#include "ir/base/ids.hpp"

namespace ir::sla {

// The key of one reply clock, chosen by the caller. The scope is the caller's decision:
// - per conversation (the default): one ClockId per conversation (thread);
// - per buyer: one ClockId per (account, buyer), so every inquiry of that buyer shares one
//   clock; the Subject's inquiry is then the inquiry whose message started the running clock.
// The engine never derives or interprets the value; it only orders ties by it.
enum class ClockId : std::uint64_t {};
// A store account (an interned name, see AccountNames); 0 means "no account".
enum class AccountId : std::uint32_t {};

// Shared with every library (ir/base/ids.hpp).
using ir::AgentId;
using ir::InquiryId;
using ir::raw;
using ir::Tier;
using ir::tier_count;
using ir::tier_from_index;
using ir::tier_index;

}  // namespace ir::sla
