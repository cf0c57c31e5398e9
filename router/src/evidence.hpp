#pragma once
// Phrase hits summed into evidence per signal kind, with what was said for the reasons.
#include <array>
#include <string>
#include <vector>

#include "ir/router/rules.hpp"
#include "phrase_matcher.hpp"

namespace ir::router {

struct SignalEvidence {
    const PhraseSignal* signal = nullptr;
    double amount = 0;             // weight x distinct patterns, capped
    PhraseMatcher::Hit first_hit;  // quoted in the reasons, only when they need it
};

struct Evidence {
    std::array<double, kSignalKinds> by_kind{};  // indexed by SignalKind
    std::vector<SignalEvidence> signals;  // in rule order

    double of(SignalKind k) const { return by_kind[static_cast<std::size_t>(k)]; }
};

Evidence collect_evidence(const std::vector<PhraseSignal>& signals, const PhraseMatcher& matcher,
                          std::string_view text);

}  // namespace ir::router
