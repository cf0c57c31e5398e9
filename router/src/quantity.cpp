#include "quantity.hpp"

#include <array>
#include <cstring>
#include <string>
#include <tuple>

namespace ir::router {
namespace {

// Counting words in the languages we serve, lower-case (Cyrillic in its usual cases).
constexpr std::array<std::string_view, 46> kUnitWords = {
    "pcs",  "pc",    "piece",  "pieces",   "unit",    "units",   "pair",   "pairs",  "set",    "sets",
    "roll", "rolls", "ctn",    "ctns",     "carton",  "cartons", "dozen",  "dozens", "stück",  "stueck",
    "stk",  "pieza", "piezas", "unidades", "unidade", "peças",   "pecas",  "pares",  "pièces", "unités",
    "pz",   "pezzi", "pcs.",   "nos",      "шт",      "штук",    "единиц", "пар",    "Шт",     "ШТ",
    "Штук", "adet",  "buah",   "boxes",    "bags",    "bottles"};
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

QuantityFinding QuantityFinder::find(std::string_view text) const {
    QuantityFinding f;
    for (std::size_t i = next_digit(text, 0); i < text.size(); i = next_digit(text, i + 1)) {
        if (i > 0 && is_word_byte(text[i - 1])) continue;
        const std::size_t end = number_end(text, i);
        std::size_t j = end;
        bool k = false;
        if (j < text.size() && (text[j] == 'k' || text[j] == 'K') &&
            (j + 1 >= text.size() || !is_word_byte(text[j + 1]))) {
            k = true;
            ++j;
        }
        auto [word, after] = word_at(text, skip_spaces(text, j));
        while (contains(kContainerSizes, word) || std::string_view(word) == "x")  // "2 x 40ft containers"
            std::tie(word, after) = word_at(text, skip_spaces(text, after));
        if (contains(kContainerWords, word)) f.containers = true;
        if (!word.empty() && word.bytes[word.size - 1] == '.') --word.size;
        if (contains(kUnitWords, word)) {
            const auto units = parse_quantity(text.substr(i, end - i), k);
            if (units > f.largest_units) {
                f.largest_units = units;
                f.words = std::string(text.substr(i, end - i)) + (k ? "k" : "");
            }
        }
        i = end;
    }
    return f;
}

}  // namespace ir::router
