#include "product_matcher.hpp"

#include <algorithm>

namespace ir::router {
namespace {

constexpr std::size_t kMinFuzzyLength = 6;

std::uint32_t bucket_key(char first, std::size_t length) {
    return (static_cast<std::uint32_t>(static_cast<unsigned char>(first)) << 16) | static_cast<std::uint32_t>(length);
}

bool all_alpha(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
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
                patterns_.push_back({{joined}, p});
            }
            patterns_.push_back({std::move(tokens), p});
        }
    }
    for (std::size_t i = 0; i < patterns_.size(); ++i) {
        by_first_token_[patterns_[i].tokens.front()].push_back(i);
        for (const auto& t : patterns_[i].tokens) vocabulary_.insert(t);
    }
    for (const auto& word : vocabulary_) {
        spellings_.emplace(word + "s", word);
        spellings_.emplace(word + "es", word);
    }
    for (const auto& word : vocabulary_) spellings_[word] = word;  // a word itself wins over a plural
    for (const auto& word : vocabulary_)
        if (word.size() >= kMinFuzzyLength && word.size() < 63 && all_alpha(word)) {
            fuzzy_buckets_[bucket_key(word.front(), word.size())].push_back(word);
            fuzzy_lengths_[word.front() - 'a'] |= std::uint64_t{1} << word.size();
        }
    for (auto& [key, words] : fuzzy_buckets_) std::sort(words.begin(), words.end());  // deterministic
}

std::string_view ProductMatcher::fuzzy(std::string_view token) const {
    if (token.size() >= 62) return {};
    const std::uint64_t near = std::uint64_t{7} << (token.size() - 1);  // lengths n-1, n, n+1
    if ((fuzzy_lengths_[token.front() - 'a'] & near) == 0) return {};
    for (std::size_t len = token.size() - 1; len <= token.size() + 1; ++len) {
        auto it = fuzzy_buckets_.find(bucket_key(token.front(), len));
        if (it == fuzzy_buckets_.end()) continue;
        for (const auto& word : it->second)
            if (within_one_edit(token, word)) return word;
    }
    return {};
}

std::string_view ProductMatcher::canonical(std::string_view token) const {
    if (auto it = spellings_.find(token); it != spellings_.end()) return it->second;
    if (token.size() >= kMinFuzzyLength && all_alpha(token)) {
        if (auto word = fuzzy(token); !word.empty()) return word;
        if (token.back() == 's')
            if (auto word = fuzzy(token.substr(0, token.size() - 1)); !word.empty()) return word;
    }
    return {};
}

std::vector<ProductMatch> ProductMatcher::find(const std::vector<text::Token>& tokens) const {
    std::vector<std::string_view> canon(tokens.size());
    for (std::size_t i = 0; i < tokens.size(); ++i) canon[i] = canonical(tokens[i].text);

    std::vector<ProductMatch> matches;
    for (std::size_t i = 0; i < tokens.size();) {
        std::size_t best_len = 0, best_product = 0;
        if (!canon[i].empty()) {
            auto it = by_first_token_.find(canon[i]);
            if (it != by_first_token_.end()) {
                for (std::size_t id : it->second) {
                    const auto& pt = patterns_[id].tokens;
                    if (pt.size() <= best_len || i + pt.size() > tokens.size()) continue;
                    bool ok = true;
                    for (std::size_t k = 1; k < pt.size() && ok; ++k) ok = canon[i + k] == pt[k];
                    if (ok) {
                        best_len = pt.size();
                        best_product = patterns_[id].product;
                    }
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
