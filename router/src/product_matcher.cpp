#include "product_matcher.hpp"

#include "fold.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <map>
#include <set>

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

// The words of a term, folded; a piece ending in '*' makes its last word a stem (kept with
// the '*', which no folded token contains).
std::vector<std::string> term_words(std::string_view term) {
    std::vector<std::string> words;
    while (!term.empty()) {
        const auto space = term.find(' ');
        std::string_view piece = term.substr(0, space);
        term = space == std::string_view::npos ? std::string_view{} : term.substr(space + 1);
        const bool stem = !piece.empty() && piece.back() == '*';
        if (stem) piece.remove_suffix(1);
        for (auto& w : text::fold_words(piece)) words.push_back(std::move(w));
        if (stem && !words.empty() && words.back().size() >= 4) words.back() += '*';
    }
    return words;
}

bool whole_words_in(const std::vector<std::string>& part, const std::vector<std::string>& whole) {
    if (part.empty() || part.size() > whole.size()) return false;
    for (std::size_t i = 0; i + part.size() <= whole.size(); ++i)
        if (std::equal(part.begin(), part.end(), whole.begin() + static_cast<std::ptrdiff_t>(i))) return true;
    return false;
}

struct Phrase {
    std::string text;
    bool catalogue = true;  // the catalogue's own words; the lexicon's are not joined or typo-matched
    bool model = false;     // names the model itself: the product's full name, SKU, or a word with digits
    bool plurals = true;    // takes English plurals: the catalogue's words and the lexicon's English
};

bool has_digit(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Every phrase that names product `p`: its own names, and the lexicon's terms for its type.
std::vector<Phrase> phrases_of(const Product& product, const std::vector<LexiconEntry>& lexicon) {
    std::vector<Phrase> phrases{{product.name, true, true}, {product.sku, true, true}};
    for (const auto& a : product.aliases) phrases.push_back({a, true, has_digit(a)});
    for (const auto& [language, names] : product.aliases_by_language)
        for (const auto& n : names) phrases.push_back({n, true, has_digit(n)});
    std::vector<std::vector<std::string>> own;
    for (const auto& phrase : phrases) own.push_back(term_words(phrase.text));
    for (const auto& entry : lexicon) {
        const bool ours = std::any_of(entry.matches.begin(), entry.matches.end(), [&](const std::string& m) {
            const auto words = term_words(m);
            return std::any_of(own.begin(), own.end(), [&](const auto& o) { return whole_words_in(words, o); });
        });
        if (!ours) continue;
        for (const auto& [language, terms] : entry.terms)
            for (const auto& t : terms) phrases.push_back({t, false, has_digit(t), language == "en"});
    }
    return phrases;
}

// A letter then digits and letters ("x9", "t5", "hl300", "esp32", "ws2812b"): a model's code.
bool is_model_code(std::string_view t) {
    return t.size() >= 2 && t.front() >= 'a' && t.front() <= 'z' && has_digit(t) &&
           std::all_of(t.begin(), t.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); });
}

bool spaced_ascii(const std::vector<std::string>& tokens) {
    return std::all_of(tokens.begin(), tokens.end(), [](const std::string& t) {
        return std::all_of(t.begin(), t.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80 && c != '*'; });
    });
}

struct TextPattern {
    std::vector<std::string> tokens;
    std::size_t product;
    bool model;
};

struct Gathered {
    std::vector<TextPattern> patterns;
    ProductMatcher::WordSet typo_words;    // worth a fuzzy lookup
    ProductMatcher::WordSet plural_words;  // "tents", "chargers"
};

// Every phrase of every product as tokens, with the joined forms ("powerbank") and the
// model codes that name one product alone ("x9 black 200pcs").
Gathered gather(const Catalog& catalog, const std::vector<LexiconEntry>& lexicon) {
    Gathered g;
    std::map<std::string, std::set<std::size_t>> model_codes;  // by code, the products whose names have it
    for (std::size_t p = 0; p < catalog.products.size(); ++p) {
        for (const auto& phrase : phrases_of(catalog.products[p], lexicon)) {
            auto tokens = term_words(phrase.text);
            if (tokens.empty()) continue;
            if (phrase.catalogue) g.typo_words.insert(tokens.begin(), tokens.end());
            if (phrase.plurals) g.plural_words.insert(tokens.begin(), tokens.end());
            if (phrase.catalogue && tokens.size() > 1 && spaced_ascii(tokens)) {  // "power bank" is also "powerbank"
                std::string joined;
                for (const auto& t : tokens) joined += t;
                g.typo_words.insert(joined);
                g.plural_words.insert(joined);
                g.patterns.push_back({{joined}, p, phrase.model});
            }
            if (phrase.catalogue)
                for (const auto& t : tokens)
                    if (is_model_code(t)) model_codes[t].insert(p);
            g.patterns.push_back({std::move(tokens), p, phrase.model});
        }
    }
    for (const auto& [code, products] : model_codes)
        if (products.size() == 1) g.patterns.push_back({{code}, *products.begin(), true});
    return g;
}

std::uint32_t stem_key(std::string_view s) {
    std::uint32_t key = 0;
    std::memcpy(&key, s.data(), sizeof key);
    return key;
}

std::size_t stem_bit(std::uint32_t key) {
    return (key * 2654435761U) >> 16;  // 16 bits of a multiplicative hash
}

}  // namespace

ProductMatcher::ProductMatcher(const Catalog& catalog, const std::vector<LexiconEntry>& lexicon) {
    // Built with string keys first (which word a shared plural goes to depends on the
    // order of the vocabulary set), then flattened into word ids for the lookups.
    const Gathered g = gather(catalog, lexicon);
    WordSet vocabulary;
    for (const auto& pattern : g.patterns) vocabulary.insert(pattern.tokens.begin(), pattern.tokens.end());
    std::unordered_map<std::string_view, std::uint32_t> ids;
    for (const auto& word : vocabulary) {
        ids.emplace(word, static_cast<std::uint32_t>(words_.size()));
        words_.push_back(word);
    }
    index_stems();
    // A word a stem also covers ("termica" beside "termica*") is that stem, so a token
    // matches every pattern that uses either.
    for (std::uint32_t id = 0; id < words_.size(); ++id) {
        const std::uint32_t covering = words_[id].back() == '*' ? kNone : stem(words_[id]);
        same_as_.push_back(covering == kNone ? id : covering);
    }
    first_word_patterns_.resize(words_.size());
    for (std::size_t i = 0; i < g.patterns.size(); ++i) {
        Pattern pattern{{}, g.patterns[i].product, g.patterns[i].model};
        for (const auto& t : g.patterns[i].tokens) pattern.words.push_back(same_as_[ids.at(t)]);
        first_word_patterns_[pattern.words.front()].push_back(i);
        patterns_.push_back(std::move(pattern));
    }
    index_spellings(vocabulary, g.plural_words, ids);
    index_typos(g.typo_words);
}

void ProductMatcher::index_stems() {
    for (std::uint32_t id = 0; id < words_.size(); ++id) {
        const std::string& word = words_[id];
        if (word.back() != '*') continue;
        const auto key = stem_key(word);
        stems_[key].push_back(id);
        stem_keys_[stem_bit(key) / 64] |= std::uint64_t{1} << (stem_bit(key) % 64);
    }
    for (auto& [key, ids_of_key] : stems_)  // longest first, then deterministic
        std::sort(ids_of_key.begin(), ids_of_key.end(), [&](std::uint32_t a, std::uint32_t b) {
            return words_[a].size() != words_[b].size() ? words_[a].size() > words_[b].size() : words_[a] < words_[b];
        });
}

// Every vocabulary word and its English plurals (catalogue words and the lexicon's English:
// the lexicon writes other languages' endings itself) to the word: one lookup a token.
void ProductMatcher::index_spellings(const WordSet& vocabulary, const WordSet& plural_words,
                                     const std::unordered_map<std::string_view, std::uint32_t>& ids) {
    std::unordered_map<std::string, std::string_view, StringHash, std::equal_to<>> spellings;
    for (const auto& word : vocabulary) {
        if (word.back() == '*' || !all_alpha(word) || !plural_words.contains(word)) continue;
        spellings.emplace(word + "s", word);
        spellings.emplace(word + "es", word);
    }
    for (const auto& word : vocabulary)
        if (word.back() != '*') spellings[word] = word;  // a word itself wins over a plural
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
}

void ProductMatcher::index_typos(const WordSet& typo_words) {
    fuzzy_buckets_.resize(26 * kMaxFuzzyBucketLength);
    for (const auto& word : words_) letters_.push_back(letter_set(word));
    for (std::uint32_t id = 0; id < words_.size(); ++id) {
        const std::string& word = words_[id];
        if (word.size() >= kMinFuzzyLength && word.size() < 63 && all_alpha(word) && typo_words.contains(word)) {
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

// A stem the token starts with, leaving at most kMaxEndingBytes ("термос*": "термосами").
std::uint32_t ProductMatcher::stem(std::string_view token) const {
    if (token.size() < kStemKeyBytes || stems_.empty()) return kNone;
    const auto key = stem_key(token);
    if ((stem_keys_[stem_bit(key) / 64] >> (stem_bit(key) % 64) & 1) == 0) return kNone;
    const auto it = stems_.find(key);
    if (it == stems_.end()) return kNone;
    for (std::uint32_t id : it->second) {
        const std::string_view s = std::string_view(words_[id]).substr(0, words_[id].size() - 1);
        if (token.size() >= s.size() && token.size() - s.size() <= kMaxEndingBytes && token.starts_with(s)) return id;
    }
    return kNone;
}

std::uint32_t ProductMatcher::exact_or_stem(std::string_view token) const {
    if (auto word = spelling(token); word != kNone) return word;
    return stem(token);
}

std::uint32_t ProductMatcher::canonical(std::string_view token) const {
    const std::uint32_t word = canonical_spelling(token);
    return word == kNone ? kNone : same_as_[word];
}

std::uint32_t ProductMatcher::canonical_spelling(std::string_view token) const {
    if (auto word = exact_or_stem(token); word != kNone) return word;
    // Arabic writes the article into the word: الساعة, والساعة, بالساعة.
    constexpr std::string_view kAl = "\xD8\xA7\xD9\x84";
    std::string_view rest = token;
    if (rest.starts_with("\xD9\x88") || rest.starts_with("\xD8\xA8")) rest.remove_prefix(2);  // و، ب
    if (rest.starts_with(kAl) && rest.size() >= kAl.size() + 4)
        if (auto word = exact_or_stem(rest.substr(kAl.size())); word != kNone) return word;
    // Typos only in tokens of seven letters or more: a six-letter word one edit from a
    // catalogue word is as often another word ("termos", Portuguese terms, is not "thermos").
    if (token.size() > kMinFuzzyLength && all_alpha(token)) {
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
        bool best_model = false;
        if (canon[i] != kNone) {
            for (std::size_t id : first_word_patterns_[canon[i]]) {
                const auto& pw = patterns_[id].words;
                if (pw.size() <= best_len || i + pw.size() > tokens.size()) continue;
                bool ok = true;
                for (std::size_t k = 1; k < pw.size() && ok; ++k) ok = canon[i + k] == pw[k];
                if (ok) {
                    best_len = pw.size();
                    best_product = patterns_[id].product;
                    best_model = patterns_[id].model;
                }
            }
        }
        if (best_len == 0) {
            ++i;
            continue;
        }
        matches.push_back({best_product, tokens[i].begin, tokens[i + best_len - 1].end, best_model});
        i += best_len;
    }
    return matches;
}

}  // namespace ir::router
