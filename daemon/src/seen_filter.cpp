#include "ir/daemon/seen_filter.hpp"

#include <bit>
#include <functional>

namespace ir::daemon {
namespace {

// Two independent hashes give every probe (Kirsch and Mitzenmacher's double hashing).
std::pair<std::uint64_t, std::uint64_t> hashes(std::string_view key) {
    const std::uint64_t h1 = std::hash<std::string_view>{}(key);
    std::uint64_t h2 = 0xcbf29ce484222325ULL;  // FNV-1a
    for (unsigned char c : key) h2 = (h2 ^ c) * 0x100000001b3ULL;
    return {h1, h2 | 1};
}

}  // namespace

SeenFilter::SeenFilter(std::size_t bits)
    : words_(std::bit_ceil(std::max<std::size_t>(bits, 64)) / 64), mask_(words_.size() * 64 - 1) {}

void SeenFilter::add(std::string_view key) {
    auto [h1, h2] = hashes(key);
    for (int i = 0; i < kHashes; ++i, h1 += h2) words_[(h1 & mask_) >> 6] |= std::uint64_t{1} << (h1 & 63);
    ++added_;
}

bool SeenFilter::maybe_contains(std::string_view key) const {
    auto [h1, h2] = hashes(key);
    for (int i = 0; i < kHashes; ++i, h1 += h2)
        if ((words_[(h1 & mask_) >> 6] & (std::uint64_t{1} << (h1 & 63))) == 0) return false;
    return true;
}

}  // namespace ir::daemon
