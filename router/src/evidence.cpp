#include "evidence.hpp"

#include <algorithm>

namespace ir::router {

Evidence collect_evidence(const std::vector<PhraseSignal>& signals, const PhraseMatcher& matcher,
                          std::string_view text) {  // NOLINT: text only matched here
    Evidence e;
    const auto hits = matcher.match(text);
    std::vector<bool> matched(signals.size());
    for (const auto& h : hits) matched[h.signal] = true;
    for (std::size_t i = 0; i < hits.size();) {
        // Hits come ordered by signal: take one signal's run at a time.
        std::size_t j = i;
        while (j < hits.size() && hits[j].signal == hits[i].signal) ++j;
        const PhraseSignal& s = signals[hits[i].signal];
        const bool alone = std::any_of(s.required.begin(), s.required.end(), [&](std::uint32_t r) { return !matched[r]; });
        if (alone) {
            i = j;
            continue;
        }
        const auto distinct = static_cast<int>(j - i);
        SignalEvidence se{&s, s.weight * std::min(distinct, s.cap), hits[i]};
        e.by_kind[static_cast<std::size_t>(s.kind)] += se.amount;
        e.signals.push_back(std::move(se));
        i = j;
    }
    return e;
}

}  // namespace ir::router
