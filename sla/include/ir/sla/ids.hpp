#pragma once
// Strong ids the SLA engine works with: plain integers that cannot be mixed up.
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace ir::sla {

// The key of one reply clock, chosen by the caller. The scope is the caller's decision:
// - per conversation (the default): one ClockId per conversation (thread);
// - per buyer: one ClockId per (account, buyer), so every inquiry of that buyer shares one
//   clock; the Subject's inquiry is then the inquiry whose message started the running clock.
// The engine never derives or interprets the value; it only orders ties by it.
enum class ClockId : std::uint64_t {};
enum class InquiryId : std::uint64_t {};
// A store account (an interned name, see AccountNames); 0 means "no account".
enum class AccountId : std::uint32_t {};
// One of our people who replies.
enum class AgentId : std::uint64_t {};

// The customer tier of DOMAIN.md step 2: 1 is the most valuable.
enum class Tier : std::uint8_t { one = 1, two = 2, three = 3, four = 4 };
inline constexpr std::size_t tier_count = 4;

// 0..3 for tiers 1..4; anything out of range counts as tier 4 (never out of bounds).
constexpr std::size_t tier_index(Tier t) {
    const auto v = static_cast<std::size_t>(t);
    return (v >= 1 && v <= tier_count) ? v - 1 : tier_count - 1;
}
constexpr Tier tier_from_index(std::size_t i) {
    return static_cast<Tier>(i + 1);
}

// The integer inside a strong id.
template <class E>
requires std::is_enum_v<E>
constexpr std::underlying_type_t<E> raw(E e) {
    return static_cast<std::underlying_type_t<E>>(e);
}

}  // namespace ir::sla
