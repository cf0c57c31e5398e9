#pragma once
// The result of screening and tiering one inquiry (DOMAIN.md steps 1 and 2).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ir::router {

// The five scam signs of DOMAIN.md step 1, numbered as there.
enum class ScamSign : std::uint8_t {
    large_order_uninformed = 1,
    unusual_request = 2,
    visit_or_urgency = 3,
    unverifiable_big_company = 4,
    terse_format = 5,
};

std::string_view to_string(ScamSign s);

struct Assessment {
    int tier = 4;                       // 1..4
    bool suspect = false;               // enough scam signs fired
    double score = 0;                   // lead quality, a whole number 0..100, higher first
    std::string language = "und";       // ISO 639-1, "und" when unknown
    std::vector<std::string> products;  // catalogue SKUs named, in order of appearance
    std::vector<ScamSign> scam_signs;   // signs that fired, ascending
    std::vector<std::string> reasons;   // readable, tier reasons first, then scam signs
    bool large_order = false;           // a quantity at or above the platform's large-order mark
    bool operator==(const Assessment&) const = default;
};

}  // namespace ir::router
