#pragma once
// Strong ids shared by every library: plain integers that cannot be mixed up.
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace ir {

// One conversation (an inquiry), numbered by the core from 1.
enum class InquiryId : std::uint64_t {};
// One buyer across channels (routing's customer records), numbered from 1.
enum class CustomerId : std::uint64_t {};
// One of our people who replies, as the clocks' reply records name them: the id of the
// agent's name in the engine's NameTable of agents (per run, like every interned id).
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
// Tiers as the rules and the wire write them (1-4); anything else counts as tier 4.
constexpr Tier tier_from_int(int t) {
    return t >= 1 && t <= 4 ? static_cast<Tier>(t) : Tier::four;
}

// The integer inside a strong id.
template <class E>
requires std::is_enum_v<E>
constexpr std::underlying_type_t<E> raw(E e) {
    return static_cast<std::underlying_type_t<E>>(e);
}

}  // namespace ir
