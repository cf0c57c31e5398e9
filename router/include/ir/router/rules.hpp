#pragma once
// Scoring rules: the phrases and thresholds that screening and tiering use.
// They live in a TOML file (shipped defaults in router/rules/default_rules.toml,
// compiled in), so a team can tune them without rebuilding.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ir/base/expected.hpp"

namespace ir::router {

// What a phrase signal is evidence of.
enum class SignalKind : std::uint8_t {
    sign2,   // scam sign 2: unusual request (fees, samples of everything ...)
    sign3,   // scam sign 3: invitation to visit / interview, pressure, urgency
    claim,   // claims size or wealth (scam sign 4 when unverifiable, 5 when terse)
    scope,   // unspecific scope ("all your items", "any model"): with a large order, sign 1
    detail,  // technical details, pictures, packaging, shipping: tier 2 with a product
    cue,     // evidence of nothing alone: other signals `require` it (a link, for a log-in request)
    blind_order,  // an order placed without saying what (behind a log-in link): sign 1 when no product is named
    volume,       // a large order in words ("big orders later", "a full container"): a large order
};
inline constexpr std::size_t kSignalKinds = static_cast<std::size_t>(SignalKind::volume) + 1;

struct PhraseSignal {
    std::string id;  // the table name, e.g. "fee_request"
    SignalKind kind = SignalKind::detail;
    double weight = 1.0;                // evidence added per distinct matching pattern ...
    int cap = 1;                        // ... for at most this many distinct patterns
    std::string reason;                 // words a supervisor understands
    std::vector<std::string> patterns;  // RE2 syntax, matched case-insensitively
    // Counts only when every one of these signals (indexes into Rules::signals) matched
    // too: "sign in to view the order" is phishing next to a link, not without one.
    std::vector<std::uint32_t> required;
};

// A product type in many languages. Its terms are aliases of every catalogue product
// whose name or aliases contain one of `matches` as whole words, so a seller's own
// catalogue gains them without listing them.
struct LexiconEntry {
    std::string id;                                         // the table name, e.g. "smart_watch"
    std::vector<std::string> matches;                       // "smart watch", "smartwatch"
    std::map<std::string, std::vector<std::string>> terms;  // by language code; "word*": any ending
};

struct ScoreWeights {
    double tier_base[4] = {90, 70, 50, 25};  // tier 1..4
    double per_detail = 3;                   // per unit of detail evidence, up to max_detail_bonus
    double max_detail_bonus = 9;
    double complete_contact = 5;
    double per_scam_sign = 15;  // subtracted per scam sign that fired
};

struct Rules {
    int suspect_min_signs = 2;      // DOMAIN.md: at least two of the five signs
    double sign_threshold = 1.0;    // evidence at which a sign counts as present
    double detail_threshold = 1.0;  // detail evidence that makes a named product tier 2
    std::uint32_t tier2_min_messages = 6;
    std::uint64_t large_quantity = 10'000;  // units; containers always count as large
    std::map<std::string, std::uint64_t, std::less<>> large_quantity_by_platform;
    int terse_max_words = 60;
    std::size_t max_scored_bytes = 256 * 1024;   // longer bodies are scored on their head
    std::vector<std::string> free_mail_domains;  // suffix match on the sender's domain
    ScoreWeights score;
    std::vector<PhraseSignal> signals;
    std::vector<LexiconEntry> lexicon;
};

// The compiled-in default rules text (generated from router/rules/default_rules.toml).
std::string_view default_rules_toml();

// Parses and checks rules; unknown keys are errors. `source` names the file in errors,
// which read "file:line: key: problem".
Expected<Rules> parse_rules_toml(std::string_view toml_text, std::string_view source);

}  // namespace ir::router
