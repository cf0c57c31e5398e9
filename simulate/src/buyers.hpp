#pragma once
// Who writes in generated traffic: buyers' countries (the dev set's mix), their time zones
// (standard offsets in November; no daylight saving), languages and names. Private to
// ir_simulate.
#include <span>
#include <string>
#include <string_view>

#include "ir/simulate/random.hpp"

namespace ir::simulate::detail {

struct Country {
    std::string_view code;  // ISO 3166-1 alpha-2
    std::string_view name;  // in English
    int utc_offset_minutes;
    std::string_view calling_code;
    std::string_view language;  // en es pt fr de ru
    double weight;              // inquiries from it in fixtures/inquiries.dev.jsonl
};

std::span<const Country> countries();
const Country& draw_country(Random& random);

struct PersonName {
    std::string first, last;
};
PersonName draw_name(std::string_view language, Random& random);
// "Weber Handel GmbH", "Rocha Comercial Ltda"
std::string company_name(std::string_view language, const std::string& last, Random& random);
std::string mail_word(std::string_view s);  // a mail address part: ASCII letters and digits, lower-case

}  // namespace ir::simulate::detail
