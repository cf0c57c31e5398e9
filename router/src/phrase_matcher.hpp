#pragma once
// Matches every rule pattern against a text in one pass (RE2::Set: linear time,
// safe on hostile input), and recovers the matched words for the reasons.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ir/base/expected.hpp"
#include "ir/router/rules.hpp"

namespace re2 {
class RE2;
}  // namespace re2

namespace ir::router {

class PhraseMatcher {
public:
    struct Hit {
        std::uint32_t signal = 0;   // index into the rules' signals
        std::uint32_t pattern = 0;  // index into that signal's patterns
        bool operator==(const Hit&) const = default;
    };

    static Expected<PhraseMatcher> create(const std::vector<PhraseSignal>& signals);

    // Distinct (signal, pattern) pairs that match, ordered by signal then pattern.
    std::vector<Hit> match(std::string_view text) const;

    // The words the hit's pattern matched in `text` (empty if none).
    std::string snippet(const Hit& hit, std::string_view text) const;

    PhraseMatcher(PhraseMatcher&&) noexcept;
    PhraseMatcher& operator=(PhraseMatcher&&) noexcept;
    ~PhraseMatcher();

private:
    PhraseMatcher();
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ir::router
