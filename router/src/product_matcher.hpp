#pragma once
// Finds catalogue products named in free text: SKUs, names and aliases, tolerant of
// case, spaces and hyphens ("SW X9", "sw-x9", "swx9"), plurals ("hoodies") and one
// slip of the keyboard in longer words ("hoop earings").
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "ir/router/catalog.hpp"
#include "text.hpp"

namespace ir::router {

struct ProductMatch {
    std::size_t product = 0;  // index into Catalog::products
    std::uint32_t begin = 0;  // byte span in the text
    std::uint32_t end = 0;
};

// Lets unordered containers of std::string be searched with a string_view.
struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

class ProductMatcher {
public:
    explicit ProductMatcher(const Catalog& catalog);

    // Longest match first, left to right; spans never overlap. Tokens of lower-cased text.
    std::vector<ProductMatch> find(const std::vector<text::Token>& tokens) const;

private:
    struct Pattern {
        std::vector<std::string> tokens;
        std::size_t product;
    };
    std::string_view canonical(std::string_view token) const;
    std::string_view fuzzy(std::string_view token) const;

    std::vector<Pattern> patterns_;
    std::unordered_map<std::string, std::vector<std::size_t>, StringHash, std::equal_to<>> by_first_token_;
    std::unordered_set<std::string, StringHash, std::equal_to<>> vocabulary_;
    // Every vocabulary word and its plurals ("hoodies", "boxes") to the word: one lookup a token.
    std::unordered_map<std::string, std::string_view, StringHash, std::equal_to<>> spellings_;
    // Longer alphabetic vocabulary words by (first letter, length), for fuzzy lookups,
    // and a bitmap of which (letter, length) buckets exist, so most tokens skip them at once.
    std::unordered_map<std::uint32_t, std::vector<std::string>> fuzzy_buckets_;
    std::uint64_t fuzzy_lengths_[26] = {};
};

}  // namespace ir::router
