#include "fold.hpp"

namespace ir::router::text {
namespace {

enum class Class : std::uint8_t { separator, word, mark, single };

struct Decoded {
    char32_t cp = 0;
    std::size_t size = 1;
};

// `s` is valid UTF-8 (the assessor repairs it first); a stray byte decodes as a separator.
Decoded decode(std::string_view s, std::size_t i) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    const unsigned char c = b(0);
    if (c < 0x80) return {c, 1};
    if ((c >> 5) == 0x6 && i + 1 < s.size()) return {static_cast<char32_t>(((c & 0x1F) << 6) | (b(1) & 0x3F)), 2};
    if ((c >> 4) == 0xE && i + 2 < s.size())
        return {static_cast<char32_t>(((c & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F)), 3};
    if ((c >> 3) == 0x1E && i + 3 < s.size())
        return {static_cast<char32_t>(((c & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) |
                                      (b(3) & 0x3F)),
                4};
    return {0x20, 1};
}

// U+00C0..U+00FF without accents ('*': not a letter; ß, æ, þ are spelt out below).
constexpr std::string_view kLatin1 = "aaaaaaaceeeeiiiidnooooo*ouuuuyts" "aaaaaaaceeeeiiiidnooooo*ouuuuyty";
// U+0100..U+017F without accents.
constexpr std::string_view kLatinA =
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkklllllll"
    "lllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
static_assert(kLatin1.size() == 64 && kLatinA.size() == 128);

bool is_unspaced(char32_t cp) {
    return (cp >= 0x3040 && cp <= 0x30FF) ||  // hiragana, katakana (with the long-vowel mark)
           (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||  // Han
           (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0x1100 && cp <= 0x11FF) ||  // Hangul
           (cp >= 0x3130 && cp <= 0x318F) || (cp >= 0xFF66 && cp <= 0xFF9F) || (cp >= 0xF900 && cp <= 0xFAFF);
}

bool is_separator(char32_t cp) {
    return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
           (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF65) ||
           cp == 0x060C || cp == 0x061B || cp == 0x061F || cp == 0x06D4 || cp >= 0x1F000 || cp == 0xFFFD;
}

bool is_mark(char32_t cp) {  // dropped without ending the word: vowel marks, tatweel, joiners
    return (cp >= 0x064B && cp <= 0x065F) || cp == 0x0670 || cp == 0x0640 || (cp >= 0x0300 && cp <= 0x036F) ||
           cp == 0x00AD || cp == 0x200C || cp == 0x200D;
}

// The folded form of a word character, appended to `out`.
void fold_into(std::string& out, char32_t cp) {
    if (cp < 0x80) return void(out += static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp));
    if (cp >= 0xC0 && cp <= 0xFF) {
        if (cp == 0xDF) return void(out += "ss");
        if (cp == 0xC6 || cp == 0xE6) return void(out += "ae");
        if (cp == 0xDE || cp == 0xFE) return void(out += "th");
        return void(out += kLatin1[cp - 0xC0]);
    }
    if (cp >= 0x100 && cp <= 0x17F) {
        if (cp == 0x152 || cp == 0x153) return void(out += "oe");
        if (cp == 0x132 || cp == 0x133) return void(out += "ij");
        return void(out += kLatinA[cp - 0x100]);
    }
    if (cp >= 0x218 && cp <= 0x21B) return void(out += cp < 0x21A ? 's' : 't');  // Romanian ș ț
    if (cp >= 0x410 && cp <= 0x42F) cp += 0x20;                                // Cyrillic upper case
    else if (cp >= 0x400 && cp <= 0x40F) cp += 0x50;
    else if (cp >= 0x391 && cp <= 0x3A9) cp += 0x20;  // Greek upper case
    if (cp == 0x451) cp = 0x435;                      // ё -> е
    if (cp == 0x622 || cp == 0x623 || cp == 0x625 || cp == 0x671) cp = 0x627;  // alef variants
    else if (cp == 0x649 || cp == 0x626) cp = 0x64A;                          // alef maqsura, yeh with hamza
    else if (cp == 0x629) cp = 0x647;                                         // teh marbuta -> heh
    else if (cp == 0x624) cp = 0x648;                                         // waw with hamza
    else if (cp >= 0x660 && cp <= 0x669) cp = '0' + (cp - 0x660);             // Arabic-Indic digits
    else if (cp >= 0x6F0 && cp <= 0x6F9) cp = '0' + (cp - 0x6F0);
    ir::append_utf8(out, static_cast<std::uint32_t>(cp));
}

Class classify(char32_t& cp) {
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;  // full-width ASCII
    if (cp < 0x80) {
        const bool alnum = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
        return alnum ? Class::word : Class::separator;
    }
    if (is_mark(cp)) return Class::mark;
    if (is_separator(cp)) return Class::separator;
    if (is_unspaced(cp)) return cp == 0x30FB ? Class::separator : Class::single;  // ・ separates
    return Class::word;
}

}  // namespace

FoldedTokens fold_tokens(std::string_view s) {
    FoldedTokens out;
    out.folded.reserve(s.size() + 16);
    struct Span {
        std::uint32_t from, to, begin, end;
    };
    std::vector<Span> spans;
    spans.reserve(s.size() / 4 + 1);
    bool in_word = false;
    for (std::size_t i = 0; i < s.size();) {
        const Decoded d = decode(s, i);
        char32_t cp = d.cp;
        const Class c = classify(cp);
        const auto at = static_cast<std::uint32_t>(i);
        i += d.size;
        if (c == Class::separator || c == Class::single) in_word = false;
        if (c == Class::separator || (c == Class::mark && !in_word)) continue;
        if (c == Class::mark) {
            spans.back().end = static_cast<std::uint32_t>(i);
            continue;
        }
        if (!in_word) spans.push_back({static_cast<std::uint32_t>(out.folded.size()), 0, at, 0});
        fold_into(out.folded, cp);
        spans.back().to = static_cast<std::uint32_t>(out.folded.size());
        spans.back().end = static_cast<std::uint32_t>(i);
        in_word = c == Class::word;
    }
    out.tokens.reserve(spans.size());
    const std::string_view all = out.folded;
    for (const auto& sp : spans) out.tokens.push_back({all.substr(sp.from, sp.to - sp.from), sp.begin, sp.end});
    return out;
}

std::vector<std::string> fold_words(std::string_view phrase) {
    std::vector<std::string> words;
    const std::string repaired = is_valid_utf8(phrase) ? std::string(phrase) : repair_utf8(phrase);
    for (const auto& t : fold_tokens(repaired).tokens) words.emplace_back(t.text);
    return words;
}

bool is_unspaced_char(std::string_view token) {
    if (token.empty()) return false;
    char32_t cp = decode(token, 0).cp;
    return classify(cp) == Class::single;
}

}  // namespace ir::router::text
