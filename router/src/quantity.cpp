#include "quantity.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <tuple>

namespace ir::router {
namespace {

// Counting words in the languages we serve, lower-case (Cyrillic in its usual cases).
constexpr std::array<std::string_view, 60> kUnitWords = {
    "pcs",     "pc",     "piece",  "pieces",  "unit",     "units",   "pair",   "pairs",  "set",    "sets",
    "roll",    "rolls",  "ctn",    "ctns",    "carton",   "cartons", "dozen",  "dozens", "stück",  "stueck",
    "stk",     "pieza",  "piezas", "unidades", "unidade", "peças",   "pecas",  "pares",  "pièces", "unités",
    "pz",      "pezzi",  "pcs.",   "nos",     "шт",       "штук",    "единиц", "пар",    "Шт",     "ШТ",
    "Штук",    "adet",   "buah",   "boxes",   "bags",     "bottles", "sztuk",  "szt",    "sztuki", "stuks",
    "stuk",    "st",     "قطعة",   "قطع",     "حبة",      "قطعه",    "штуки",  "pièce",  "paia",   "uds"};
// Han and Hangul counters, written straight after the number ("5000個", "10만개"); and the
// multipliers that may come between ("10万个" is 100,000).
constexpr std::array<std::string_view, 18> kCounters = {"個", "个", "件", "台", "只", "枚", "隻", "片", "套",
                                                        "本", "支", "개", "대", "장", "벌", "세트", "箱", "条"};
struct Multiplier {
    std::string_view word;
    std::uint64_t times;
};
constexpr std::array<Multiplier, 8> kMultipliers = {{{"万", 10'000},
                                                     {"萬", 10'000},
                                                     {"만", 10'000},
                                                     {"千", 1'000},
                                                     {"천", 1'000},
                                                     {"億", 100'000'000},
                                                     {"亿", 100'000'000},
                                                     {"억", 100'000'000}}};
constexpr std::array<std::string_view, 10> kContainerWords = {"container", "containers",  "contenedor", "contenedores",
                                                              "contêiner", "contêineres", "conteneur",  "conteneurs",
                                                              "контейнер", "контейнера"};
constexpr std::array<std::string_view, 8> kContainerSizes = {"20ft", "40ft", "40hq", "20gp", "40gp", "ft", "hq", "x"};

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_ascii_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_word_byte(char c) {
    return is_ascii_alpha(c) || is_digit(c) || static_cast<unsigned char>(c) >= 0x80;
}

// For a word after a number: the multiplier it starts with (1: none), when a counter follows.
std::uint64_t counter_multiplier(std::string_view word) {
    std::uint64_t times = 1;
    for (const auto& m : kMultipliers)
        if (word.starts_with(m.word)) {
            times = m.times;
            word.remove_prefix(m.word.size());
            break;
        }
    for (auto c : kCounters)
        if (word.starts_with(c)) return times;
    return 0;
}

// Number words between a number and what it counts: "80 mil power banks", "50 bin adet".
constexpr std::array<Multiplier, 36> kNumberWords = {{
    {"thousand", 1'000},        {"mil", 1'000},         {"mille", 1'000},        {"mila", 1'000},
    {"bin", 1'000},             {"tausend", 1'000},     {"duizend", 1'000},      {"tys", 1'000},
    {"tys.", 1'000},            {"tysięcy", 1'000},     {"тыс", 1'000},          {"тыс.", 1'000},
    {"тысяч", 1'000},           {"الف", 1'000},         {"ألف", 1'000},          {"آلاف", 1'000},
    {"million", 1'000'000},     {"millions", 1'000'000}, {"millones", 1'000'000}, {"millón", 1'000'000},
    {"milhão", 1'000'000},      {"milhões", 1'000'000}, {"millionen", 1'000'000}, {"milioni", 1'000'000},
    {"milione", 1'000'000},     {"milyon", 1'000'000},  {"milion", 1'000'000},   {"miliony", 1'000'000},
    {"milionów", 1'000'000},    {"miljoen", 1'000'000}, {"миллион", 1'000'000},  {"миллиона", 1'000'000},
    {"миллионов", 1'000'000},   {"млн", 1'000'000},     {"مليون", 1'000'000},    {"ملايين", 1'000'000}}};

std::uint64_t number_word(std::string_view w) {
    for (const auto& m : kNumberWords)
        if (m.word == w) return m.times;
    return 0;
}

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& words, std::string_view w) {
    for (auto x : words)
        if (x == w) return true;
    return false;
}

std::size_t skip_spaces(std::string_view s, std::size_t i) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    return i;
}

// A word of at most 32 bytes, held without an allocation.
struct Word {
    char bytes[32];
    std::size_t size = 0;
    operator std::string_view() const { return {bytes, size}; }
    bool empty() const { return size == 0; }
};

// The word at i (letters, digits, UTF-8), lower-cased for ASCII, and where it ends.
std::pair<Word, std::size_t> word_at(std::string_view s, std::size_t i) {
    Word w;
    while (i < s.size() && is_word_byte(s[i]) && w.size < sizeof w.bytes) {
        char c = s[i++];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        w.bytes[w.size++] = c;
    }
    return {w, i};
}

// Index of the first ASCII digit at or after i (s.size() if none), eight bytes at a time.
std::size_t next_digit(std::string_view s, std::size_t i) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
    while (i + 8 <= s.size()) {
        std::uint64_t x;
        std::memcpy(&x, s.data() + i, sizeof x);
        // A byte is a digit when its low 7 bits lie in '0'..'9' and its high bit is clear.
        const std::uint64_t low = x & ~kHigh;
        const std::uint64_t ge0 = low + kOnes * (0x80 - '0');  // high bit set: low >= '0'
        const std::uint64_t gt9 = low + kOnes * (0x7F - '9');  // high bit set: low > '9'
        if ((ge0 & ~gt9 & ~x & kHigh) != 0) break;
        i += 8;
    }
    while (i < s.size() && !is_digit(s[i])) ++i;
    return i;
}

// A number as written: "20,000", "8.000", "10 000", "1,5", "300".
std::size_t number_end(std::string_view s, std::size_t i) {
    while (i < s.size() && is_digit(s[i])) ++i;
    // Thousands groups: a separator followed by exactly three digits.
    while (i + 3 < s.size() && (s[i] == ',' || s[i] == '.' || s[i] == ' ') && is_digit(s[i + 1]) &&
           is_digit(s[i + 2]) && is_digit(s[i + 3]) && (i + 4 >= s.size() || !is_digit(s[i + 4])))
        i += 4;
    if (i + 1 < s.size() && (s[i] == ',' || s[i] == '.') && is_digit(s[i + 1])) {  // a decimal part
        ++i;
        while (i < s.size() && is_digit(s[i])) ++i;
    }
    return i;
}

}  // namespace

std::uint64_t parse_quantity(std::string_view digits, bool thousands_suffix) {
    std::uint64_t value = 0;
    std::size_t last_sep = std::string_view::npos;
    for (std::size_t i = 0; i < digits.size(); ++i)
        if (digits[i] == ',' || digits[i] == '.' || digits[i] == ' ') last_sep = i;
    const bool decimal_part = last_sep != std::string_view::npos && digits.size() - last_sep - 1 != 3;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        const char c = digits[i];
        if (!is_digit(c)) continue;
        if (decimal_part && i > last_sep) break;
        if (value > 1'000'000'000'000ULL) break;  // absurd numbers stay absurd, not overflowed
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return thousands_suffix ? value * 1000 : value;
}

QuantityFinder::QuantityFinder() = default;

QuantityFinding QuantityFinder::find(std::string_view text, std::span<const std::uint32_t> noun_starts) const {
    QuantityFinding f;
    for (std::size_t i = next_digit(text, 0); i < text.size(); i = next_digit(text, i + 1)) {
        // Not inside a word ("x9", "ws2812b"); Han and kana glue numbers to words ("我要10万个").
        if (i > 0 && (is_ascii_alpha(text[i - 1]) || is_digit(text[i - 1]))) continue;
        const std::size_t end = number_end(text, i);
        std::size_t j = end;
        bool k = false;
        if (j < text.size() && (text[j] == 'k' || text[j] == 'K') &&
            (j + 1 >= text.size() || !is_word_byte(text[j + 1]))) {
            k = true;
            ++j;
        }
        std::size_t at = skip_spaces(text, j);
        auto [word, after] = word_at(text, at);
        std::uint64_t times = 1;
        if (const auto w = number_word(word)) {  // "80 mil", "1 million pcs"
            times = w;
            j = after;
            at = skip_spaces(text, after);
            std::tie(word, after) = word_at(text, at);
        }
        while (contains(kContainerSizes, word) || std::string_view(word) == "x")  // "2 x 40ft containers"
            std::tie(word, after) = word_at(text, skip_spaces(text, after));
        if (contains(kContainerWords, word)) f.containers = true;
        if (!word.empty() && word.bytes[word.size - 1] == '.') --word.size;
        const bool noun = std::binary_search(noun_starts.begin(), noun_starts.end(), static_cast<std::uint32_t>(at));
        const std::uint64_t counter = contains(kUnitWords, word) || noun ? 1 : counter_multiplier(word);
        if (counter) {
            const auto units = parse_quantity(text.substr(i, end - i), k) * times * counter;
            if (units > f.largest_units) {
                f.largest_units = units;
                f.words = std::string(text.substr(i, j - i));
                if (counter > 1) f.words += std::string_view(word).substr(0, 3);  // "10万"
            }
        }
        i = end;
    }
    return f;
}

}  // namespace ir::router
