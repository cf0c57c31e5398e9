#pragma once
// Text helpers for scoring: UTF-8 repair and a tokenizer that keeps byte offsets.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ir/base/text.hpp"

namespace ir::router::text {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates).
bool is_valid_utf8(std::string_view s);

// Returns `s` with every ill-formed byte sequence replaced by U+FFFD.
std::string repair_utf8(std::string_view s);

using ir::utf8_prefix;  // ir/base/text.hpp

// A run of ASCII letters/digits, with where it stands in the source.
struct Token {
    std::string_view text;  // a view into the tokenized string
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
};

using ir::ascii_lower;  // ASCII letters lower-cased, every other byte kept (offsets do not move)

// Splits on everything that is not an ASCII letter or digit ("sw-x9" -> "sw", "x9").
// Tokens are views into `s`: lower-case it first (ascii_lower) to compare them.
std::vector<Token> tokenize(std::string_view s);

// Lower-cased ASCII tokens joined by single spaces: the form catalogue names are
// compared in ("Sw-X9 " -> "sw x9").
std::string normalize_phrase(std::string_view s);

// Counts words (runs of non-space characters), stopping once past `limit`.
int count_words(std::string_view s, int limit = 1 << 30);

}  // namespace ir::router::text
