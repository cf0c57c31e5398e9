#include "phrase_matcher.hpp"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <atomic>

namespace ir::router {

struct PhraseMatcher::Impl {
    RE2::Options options;
    std::unique_ptr<RE2::Set> set;
    std::vector<Hit> hits;                      // set entry -> (signal, pattern)
    std::vector<std::uint32_t> first_entry;     // by signal: its first pattern's set entry
    std::vector<std::string> patterns;          // by set entry
    // One RE2 per set entry, compiled when first needed (a quote, the fallback): compiling
    // all 1,700 up front doubled the time a daemon takes to start. Threads that race to
    // compile the same one keep the first and drop their own.
    mutable std::unique_ptr<std::atomic<const RE2*>[]> singles;
    std::size_t count = 0;

    const RE2& single(std::size_t entry) const {
        if (const RE2* ready = singles[entry].load(std::memory_order_acquire)) return *ready;
        const RE2* mine = new RE2(patterns[entry], options);
        const RE2* expected = nullptr;
        if (singles[entry].compare_exchange_strong(expected, mine, std::memory_order_acq_rel)) return *mine;
        delete mine;
        return *expected;
    }
    ~Impl() {
        for (std::size_t i = 0; i < count; ++i) delete singles[i].load(std::memory_order_relaxed);
    }
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
        impl.first_entry.push_back(static_cast<std::uint32_t>(impl.hits.size()));
        for (std::uint32_t p = 0; p < signals[s].patterns.size(); ++p) {
            const std::string& pattern = signals[s].patterns[p];
            std::string error;
            if (impl.set->Add(pattern, &error) < 0)
                return Error{"pattern does not compile: " + error,
                             "signals." + signals[s].id + ".patterns[" + std::to_string(p) + "]"};
            impl.patterns.push_back(pattern);
            impl.hits.push_back({s, p});
        }
    }
    impl.count = impl.patterns.size();
    impl.singles = std::make_unique<std::atomic<const RE2*>[]>(impl.count);  // value-initialised: null
    if (!impl.set->Compile()) return Error{"the rule patterns are too large to compile together", "signals"};
    return m;
}

std::vector<PhraseMatcher::Hit> PhraseMatcher::match(std::string_view text) const {
    std::vector<int> entries;
    RE2::Set::ErrorInfo info{};
    if (!impl_->set->Match(text, &entries, &info) && info.kind != RE2::Set::kNoError) {
        // The combined DFA ran out of memory on this text: fall back to one pattern at a time.
        entries.clear();
        for (std::size_t i = 0; i < impl_->patterns.size(); ++i)
            if (RE2::PartialMatch(text, impl_->single(i))) entries.push_back(static_cast<int>(i));
    }
    std::sort(entries.begin(), entries.end());
    std::vector<Hit> out;
    out.reserve(entries.size());
    for (int e : entries) out.push_back(impl_->hits[static_cast<std::size_t>(e)]);
    return out;
}

std::string PhraseMatcher::snippet(const Hit& hit, std::string_view text) const {
    if (hit.signal >= impl_->first_entry.size()) return {};
    const std::size_t entry = impl_->first_entry[hit.signal] + hit.pattern;
    if (entry >= impl_->hits.size() || !(impl_->hits[entry] == hit)) return {};
    re2::StringPiece found;
    if (impl_->single(entry).Match(text, 0, text.size(), RE2::UNANCHORED, &found, 1))
        return std::string(std::string_view(found));
    return {};
}

}  // namespace ir::router
