#include "text.hpp"

#include <cstring>

namespace ir::router::text {
namespace {

// Length of the well-formed UTF-8 sequence at s[i], or 0 if it is ill-formed.
std::size_t sequence_length(std::string_view s, std::size_t i) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    if (c < 0x80) return 1;
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    if (b(i + 1) < lo || b(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
    return n;
}

// Byte tables: one load a byte instead of a chain of comparisons.
struct ByteTables {
    bool alnum[256] = {};
    constexpr ByteTables() {
        for (int c = 0; c < 256; ++c) {
            alnum[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        }
    }
};
constexpr ByteTables kTables;

bool is_alnum(char c) {
    return kTables.alnum[static_cast<unsigned char>(c)];
}

// Index of the first byte at or after i that is not ASCII (s.size() if none).
std::size_t skip_ascii(std::string_view s, std::size_t i) {
    constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
    while (i + 8 <= s.size()) {
        std::uint64_t word;
        std::memcpy(&word, s.data() + i, sizeof word);
        if (word & kHigh) break;
        i += 8;
    }
    while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
    return i;
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
    for (std::size_t i = skip_ascii(s, 0); i < s.size(); i = skip_ascii(s, i)) {
        const auto n = sequence_length(s, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

std::string repair_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto n = sequence_length(s, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(s.substr(i, n));
            i += n;
        }
    }
    return out;
}

std::vector<Token> tokenize(std::string_view s) {
    std::vector<Token> tokens;
    tokens.reserve(s.size() / 4 + 1);
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && !is_alnum(s[i])) ++i;
        const std::size_t begin = i;
        while (i < s.size() && is_alnum(s[i])) ++i;
        if (i > begin)
            tokens.push_back(
                {s.substr(begin, i - begin), static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(i)});
    }
    return tokens;
}

std::string normalize_phrase(std::string_view s) {
    std::string out;
    const std::string lowered = ascii_lower(s);
    for (const auto& t : tokenize(lowered)) {
        if (!out.empty()) out += ' ';
        out += t.text;
    }
    return out;
}

// Han and kana are written without spaces: two characters count as a word (Hangul is
// spaced, and counts as other scripts do).
int count_words(std::string_view s, int limit) {
    int words = 0;
    int unspaced = 0;
    bool in_word = false;
    for (char c : s) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x80 && byte < 0xC0) continue;  // a continuation byte: the character at hand
        if (byte >= 0xE3 && byte <= 0xE9) {         // the lead byte of U+3000..U+9FFF: Han, kana
            in_word = false;
            if (unspaced++ % 2 == 0 && ++words > limit) break;
            continue;
        }
        const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (!space && !in_word && ++words > limit) break;
        in_word = !space;
    }
    return words;
}

}  // namespace ir::router::text
