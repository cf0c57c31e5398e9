#include "product_matcher.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace ir::router {
namespace {

constexpr std::size_t kMinFuzzyLength = 6;

bool all_alpha(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// FNV-1a: tokens are short, so a byte loop beats a general-purpose hash.
std::uint32_t spelling_hash(std::string_view s) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    return static_cast<std::uint32_t>(h ^ (h >> 32));
}

// Which letters a-z occur in s (bit c - 'a'); other bytes count as none.
std::uint32_t letter_set(std::string_view s) {
    std::uint32_t set = 0;
    for (char c : s)
        if (c >= 'a' && c <= 'z') set |= std::uint32_t{1} << (c - 'a');
    return set;
}

// True when a and b differ by one insertion, deletion, substitution or adjacent swap.
bool within_one_edit(std::string_view a, std::string_view b) {
    if (a.size() > b.size()) std::swap(a, b);
    if (b.size() - a.size() > 1) return false;
    std::size_t i = 0;
    while (i < a.size() && a[i] == b[i]) ++i;
    if (i == a.size()) return true;
    if (a.size() == b.size()) {
        if (a.substr(i + 1) == b.substr(i + 1)) return true;  // substitution
        return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] &&
               a.substr(i + 2) == b.substr(i + 2);  // transposition
    }
    return a.substr(i) == b.substr(i + 1);  // b has one extra character
}

}  // namespace

ProductMatcher::ProductMatcher(const Catalog& catalog) {
    // Built with string keys first (which word a shared plural goes to depends on the
    // order of the vocabulary set), then flattened into word ids for the lookups.
    struct TextPattern {
        std::vector<std::string> tokens;
        std::size_t product;
    };
    std::vector<TextPattern> text_patterns;
    for (std::size_t p = 0; p < catalog.products.size(); ++p) {
        const Product& product = catalog.products[p];
        std::vector<std::string> phrases{product.name, product.sku};
        phrases.insert(phrases.end(), product.aliases.begin(), product.aliases.end());
        for (const auto& phrase : phrases) {
            std::vector<std::string> tokens;
            const std::string lowered = text::ascii_lower(phrase);
            for (const auto& t : text::tokenize(lowered)) tokens.emplace_back(t.text);
            if (tokens.empty()) continue;
            if (tokens.size() > 1) {  // "power bank" is also written "powerbank"
                std::string joined;
                for (const auto& t : tokens) joined += t;
                text_patterns.push_back({{joined}, p});
            }
            text_patterns.push_back({std::move(tokens), p});
        }
    }
    std::unordered_set<std::string, StringHash, std::equal_to<>> vocabulary;
    for (const auto& pattern : text_patterns)
        for (const auto& t : pattern.tokens) vocabulary.insert(t);
    std::unordered_map<std::string, std::string_view, StringHash, std::equal_to<>> spellings;
    for (const auto& word : vocabulary) {
        spellings.emplace(word + "s", word);
        spellings.emplace(word + "es", word);
    }
    for (const auto& word : vocabulary) spellings[word] = word;  // a word itself wins over a plural

    std::unordered_map<std::string_view, std::uint32_t> ids;
    for (const auto& word : vocabulary) {
        ids.emplace(word, static_cast<std::uint32_t>(words_.size()));
        words_.push_back(word);
    }
    first_word_patterns_.resize(words_.size());
    for (std::size_t i = 0; i < text_patterns.size(); ++i) {
        Pattern pattern{{}, text_patterns[i].product};
        for (const auto& t : text_patterns[i].tokens) pattern.words.push_back(ids.at(t));
        first_word_patterns_[pattern.words.front()].push_back(i);
        patterns_.push_back(std::move(pattern));
    }

    std::size_t capacity = 16;
    while (capacity < spellings.size() * 2) capacity *= 2;
    spellings_.resize(capacity);
    for (const auto& [key, word] : spellings) {
        Slot slot{spelling_hash(key), static_cast<std::uint32_t>(spelling_keys_.size()),
                  static_cast<std::uint32_t>(key.size()), ids.at(word)};
        spelling_keys_ += key;
        max_spelling_size_ = std::max(max_spelling_size_, key.size());
        std::size_t i = slot.hash & (capacity - 1);
        while (spellings_[i].word != kNone) i = (i + 1) & (capacity - 1);
        spellings_[i] = slot;
    }

    fuzzy_buckets_.resize(26 * kMaxFuzzyBucketLength);
    for (const auto& word : words_) letters_.push_back(letter_set(word));
    for (std::uint32_t id = 0; id < words_.size(); ++id) {
        const std::string& word = words_[id];
        if (word.size() >= kMinFuzzyLength && word.size() < 63 && all_alpha(word)) {
            fuzzy_buckets_[static_cast<std::size_t>(word.front() - 'a') * kMaxFuzzyBucketLength + word.size()]
                .push_back(id);
            fuzzy_lengths_[word.front() - 'a'] |= std::uint64_t{1} << word.size();
        }
    }
    for (auto& bucket : fuzzy_buckets_)  // deterministic
        std::sort(bucket.begin(), bucket.end(),
                  [&](std::uint32_t a, std::uint32_t b) { return words_[a] < words_[b]; });
}

std::uint32_t ProductMatcher::spelling(std::string_view token) const {
    if (token.size() > max_spelling_size_) return kNone;
    const std::uint32_t hash = spelling_hash(token);
    const std::size_t mask = spellings_.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
        const Slot& slot = spellings_[i];
        if (slot.word == kNone) return kNone;
        if (slot.hash == hash && slot.key_size == token.size() &&
            std::memcmp(spelling_keys_.data() + slot.key_offset, token.data(), token.size()) == 0)
            return slot.word;
    }
}

std::uint32_t ProductMatcher::fuzzy(std::string_view token) const {
    if (token.size() >= 62) return kNone;
    const std::uint64_t near = std::uint64_t{7} << (token.size() - 1);  // lengths n-1, n, n+1
    const auto letter = static_cast<std::size_t>(token.front() - 'a');
    if ((fuzzy_lengths_[letter] & near) == 0) return kNone;
    // One edit adds at most one letter and takes away at most one: words whose sets of
    // letters differ from the token's in more than two are not within one edit.
    const std::uint32_t letters = letter_set(token);
    for (std::size_t len = token.size() - 1; len <= token.size() + 1; ++len)
        for (std::uint32_t id : fuzzy_buckets_[letter * kMaxFuzzyBucketLength + len])
            if (std::popcount(letters ^ letters_[id]) <= 2 && within_one_edit(token, words_[id])) return id;
    return kNone;
}

std::uint32_t ProductMatcher::canonical(std::string_view token) const {
    if (auto word = spelling(token); word != kNone) return word;
    if (token.size() >= kMinFuzzyLength && all_alpha(token)) {
        if (auto word = fuzzy(token); word != kNone) return word;
        if (token.back() == 's')
            if (auto word = fuzzy(token.substr(0, token.size() - 1)); word != kNone) return word;
    }
    return kNone;
}

std::vector<ProductMatch> ProductMatcher::find(const std::vector<text::Token>& tokens) const {
    std::vector<std::uint32_t> canon(tokens.size());
    for (std::size_t i = 0; i < tokens.size(); ++i) canon[i] = canonical(tokens[i].text);

    std::vector<ProductMatch> matches;
    for (std::size_t i = 0; i < tokens.size();) {
        std::size_t best_len = 0, best_product = 0;
        if (canon[i] != kNone) {
            for (std::size_t id : first_word_patterns_[canon[i]]) {
                const auto& pw = patterns_[id].words;
                if (pw.size() <= best_len || i + pw.size() > tokens.size()) continue;
                bool ok = true;
                for (std::size_t k = 1; k < pw.size() && ok; ++k) ok = canon[i + k] == pw[k];
                if (ok) {
                    best_len = pw.size();
                    best_product = patterns_[id].product;
                }
            }
        }
        if (best_len == 0) {
            ++i;
            continue;
        }
        matches.push_back({best_product, tokens[i].begin, tokens[i + best_len - 1].end});
        i += best_len;
    }
    return matches;
}

}  // namespace ir::router
