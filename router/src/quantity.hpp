#pragma once
// Order quantities written in a message: "20,000 pcs", "8.000 Stück", "10k pcs",
// "1000 шт", "2 containers".
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace ir::router {

struct QuantityFinding {
    std::uint64_t largest_units = 0;  // the largest "N units" found, 0 if none
    bool containers = false;          // a quantity counted in containers
    std::string words;                // how the largest quantity was written
};

// A hand-written linear scan: numbers, then a counting word. (A regex with captures
// costs several times more, and this runs on every message.)
class QuantityFinder {
public:
    QuantityFinder();
    // `noun_starts`: sorted offsets where a product's name begins, so that "5.000 sudaderas"
    // counts as it would with a counting word.
    QuantityFinding find(std::string_view text, std::span<const std::uint32_t> noun_starts = {}) const;
};

// "20,000" -> 20000, "8.000" -> 8000, "1,5" -> 1 (decimals are dropped), "10" + k -> 10000.
std::uint64_t parse_quantity(std::string_view digits, bool thousands_suffix);

}  // namespace ir::router
