#pragma once
// Folded words of any language, for matching product names: lower case, accents off
// ("Connectée" -> "connectee", "ŞARJ" -> "sarj", "Ёмкость" -> "емкость"), Arabic
// spelling variants and vowel marks joined, full-width ASCII made ASCII. Han, kana and
// Hangul characters are one token each, so a name written without spaces (智能手表,
// スマートウォッチ, 스마트워치를) is a sequence of tokens like any other.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "text.hpp"

namespace ir::router::text {

struct FoldedTokens {
    std::string folded;           // the tokens' text, one after another
    std::vector<Token> tokens;    // text views into `folded`; begin/end are offsets in the source
};

// `s` must be valid UTF-8 (repair_utf8 first); other bytes are taken as separators.
FoldedTokens fold_tokens(std::string_view s);

// The folded tokens of a phrase joined by single spaces: the form lexicon terms and
// catalogue names are compared in.
std::vector<std::string> fold_words(std::string_view phrase);

// True when the first token of `s` is a script written without spaces (Han, kana, Hangul).
bool is_unspaced_char(std::string_view token);

}  // namespace ir::router::text
