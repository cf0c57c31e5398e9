#include "quantity.hpp"

#include <re2/re2.h>

namespace ir::router {
namespace {

RE2::Options case_insensitive() {
    RE2::Options o;
    o.set_case_sensitive(false);
    o.set_log_errors(false);
    return o;
}

// A number, an optional "k", then a counting word in the languages we serve.
const RE2& units_pattern() {
    static const RE2 re(
        R"((\d{1,3}(?:[,. ]\d{3})+|\d+(?:[.,]\d+)?)\s*(k)?\s*(?:x\s*)?)"
        R"((?:pcs|pc|pieces?|units?|pairs?|sets?|rolls?|ctns?|cartons?|dozens?|)"
        R"(stück|stueck|stk|piezas?|unidades|unidade|peças|pecas|pares|pièces|pieces|unités|pz|pezzi|)"
        R"(шт|штук|единиц|пар|adet|buah|pcs\.)(?:\b|[^\pL]|$))",
        case_insensitive());
    return re;
}

const RE2& containers_pattern() {
    static const RE2 re(
        R"((?:\d+|one|two|three|several|a few|multiple)\s*(?:x\s*)?(?:40|20)?\s*(?:ft|')?\s*)"
        R"((?:containers?|contenedores?|contêineres?|conteneurs?|container|контейнер))",
        case_insensitive());
    return re;
}

}  // namespace

std::uint64_t parse_quantity(std::string_view digits, bool thousands_suffix) {
    std::uint64_t value = 0;
    bool decimal_part = false;   // a separator followed by other than 3 digits
    std::size_t last_sep = std::string_view::npos;
    for (std::size_t i = 0; i < digits.size(); ++i)
        if (digits[i] == ',' || digits[i] == '.' || digits[i] == ' ') last_sep = i;
    if (last_sep != std::string_view::npos && digits.size() - last_sep - 1 != 3) decimal_part = true;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        const char c = digits[i];
        if (c >= '0' && c <= '9') {
            if (decimal_part && i > last_sep) break;
            if (value > 1'000'000'000'000ULL) break;  // absurd numbers stay absurd, not overflowed
            value = value * 10 + static_cast<std::uint64_t>(c - '0');
        }
    }
    return thousands_suffix ? value * 1000 : value;
}

QuantityFinder::QuantityFinder() {
    (void)units_pattern();
    (void)containers_pattern();
}

QuantityFinding QuantityFinder::find(std::string_view text) const {
    QuantityFinding f;
    re2::StringPiece input(text), digits, k;
    while (RE2::FindAndConsume(&input, units_pattern(), &digits, &k)) {
        const auto units = parse_quantity(std::string_view(digits), !k.empty());
        if (units > f.largest_units) {
            f.largest_units = units;
            f.words = std::string(std::string_view(digits)) + (k.empty() ? "" : "k");
        }
    }
    f.containers = RE2::PartialMatch(text, containers_pattern());
    return f;
}

}  // namespace ir::router
