#include "phrase_matcher.hpp"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>

namespace ir::router {

struct PhraseMatcher::Impl {
    RE2::Options options;
    std::unique_ptr<RE2::Set> set;
    std::vector<std::unique_ptr<RE2>> singles;  // one per set entry, same order
    std::vector<Hit> hits;                      // set entry -> (signal, pattern)
};

PhraseMatcher::PhraseMatcher() : impl_(std::make_unique<Impl>()) {}
PhraseMatcher::PhraseMatcher(PhraseMatcher&&) noexcept = default;
PhraseMatcher& PhraseMatcher::operator=(PhraseMatcher&&) noexcept = default;
PhraseMatcher::~PhraseMatcher() = default;

Expected<PhraseMatcher> PhraseMatcher::create(const std::vector<PhraseSignal>& signals) {
    PhraseMatcher m;
    Impl& impl = *m.impl_;
    impl.options.set_case_sensitive(false);
    impl.options.set_log_errors(false);
    impl.options.set_max_mem(64 << 20);  // room for the combined DFA of every pattern
    impl.set = std::make_unique<RE2::Set>(impl.options, RE2::UNANCHORED);
    for (std::uint32_t s = 0; s < signals.size(); ++s) {
        for (std::uint32_t p = 0; p < signals[s].patterns.size(); ++p) {
            const std::string& pattern = signals[s].patterns[p];
            const std::string field = "signals." + signals[s].id + ".patterns[" + std::to_string(p) + "]";
            auto single = std::make_unique<RE2>(pattern, impl.options);
            if (!single->ok()) return Error{"pattern does not compile: " + single->error(), field};
            std::string error;
            if (impl.set->Add(pattern, &error) < 0) return Error{"pattern does not compile: " + error, field};
            impl.singles.push_back(std::move(single));
            impl.hits.push_back({s, p});
        }
    }
    if (!impl.set->Compile()) return Error{"the rule patterns are too large to compile together", "signals"};
    return m;
}

std::vector<PhraseMatcher::Hit> PhraseMatcher::match(std::string_view text) const {
    std::vector<int> entries;
    RE2::Set::ErrorInfo info{};
    if (!impl_->set->Match(text, &entries, &info) && info.kind != RE2::Set::kNoError) {
        // The combined DFA ran out of memory on this text: fall back to one pattern at a time.
        entries.clear();
        for (std::size_t i = 0; i < impl_->singles.size(); ++i)
            if (RE2::PartialMatch(text, *impl_->singles[i])) entries.push_back(static_cast<int>(i));
    }
    std::sort(entries.begin(), entries.end());
    std::vector<Hit> out;
    out.reserve(entries.size());
    for (int e : entries) out.push_back(impl_->hits[static_cast<std::size_t>(e)]);
    return out;
}

std::string PhraseMatcher::snippet(const Hit& hit, std::string_view text) const {
    for (std::size_t i = 0; i < impl_->hits.size(); ++i) {
        if (!(impl_->hits[i] == hit)) continue;
        re2::StringPiece found;
        const RE2& re = *impl_->singles[i];
        if (re.Match(text, 0, text.size(), RE2::UNANCHORED, &found, 1)) return std::string(std::string_view(found));
        return {};
    }
    return {};
}

}  // namespace ir::router
