#pragma once
// Message bodies for generated traffic, in the six languages the rules read (en, es, pt,
// fr, de, ru). Each kind is written to be tiered as DOMAIN.md's labelling conventions say:
// vague -> tier 4, product -> tier 3, detail -> tier 2 (a product with a technical,
// picture, packaging or shipping question), contact -> tier 2 by its sender's complete
// details, scam -> suspect (a fee, pressure and a size claim from free mail), reorder -> a
// product from a customer whose orders make tier 1. Private to ir_simulate.
#include <cstdint>
#include <string>
#include <string_view>

#include "ir/simulate/random.hpp"

namespace ir::simulate::detail {

enum class BodyKind : std::uint8_t { vague, product, detail, contact, scam, reorder };

struct Fill {
    std::string product;  // the catalogue name
    std::string quantity;
    std::string name;  // the buyer's
    std::string company;
    std::string country;  // in English
};

struct Text {
    std::string subject;
    std::string body;
};

Text first_message(BodyKind kind, std::string_view language, const Fill& fill, Random& random);
Text follow_up(BodyKind kind, std::string_view language, const Fill& fill, Random& random);

}  // namespace ir::simulate::detail
