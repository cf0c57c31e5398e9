#pragma once
// Finds catalogue products named in free text: SKUs, names and aliases (in any language,
// and the lexicon's words for the product's type), tolerant of case, accents, spaces and
// hyphens ("SW X9", "sw-x9", "swx9"), plurals ("hoodies"), inflected endings where a term
// says so ("термос*": "термосов"), and one slip of the keyboard in longer words ("hoop earings").
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "ir/router/catalog.hpp"
#include "ir/router/rules.hpp"
#include "text.hpp"

namespace ir::router {

struct ProductMatch {
    std::size_t product = 0;  // index into Catalog::products
    std::uint32_t begin = 0;  // byte span in the text
    std::uint32_t end = 0;
    bool model = false;  // named by its model (name, SKU, a word with digits), not only its type
};

// Lets unordered containers of std::string be searched with a string_view.
struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

class ProductMatcher {
public:
    using WordSet = std::unordered_set<std::string, StringHash, std::equal_to<>>;

    ProductMatcher(const Catalog& catalog, const std::vector<LexiconEntry>& lexicon);

    // Longest match first, left to right; spans never overlap. Tokens of folded text
    // (text::fold_tokens).
    std::vector<ProductMatch> find(const std::vector<text::Token>& tokens) const;

private:
    static constexpr std::uint32_t kNone = 0xFFFFFFFF;
    static constexpr std::size_t kMaxFuzzyBucketLength = 64;
    static constexpr std::size_t kStemKeyBytes = 4;     // stems are indexed by their first bytes
    static constexpr std::size_t kMaxEndingBytes = 12;  // what an inflection may add to a stem

    struct Pattern {
        std::vector<std::uint32_t> words;  // vocabulary word ids, in order
        std::size_t product;
        bool model;
    };
    // One slot of the spelling table (open addressing, linear probing).
    struct Slot {
        std::uint32_t hash = 0;
        std::uint32_t key_offset = 0;  // the spelling, in spelling_keys_
        std::uint32_t key_size = 0;
        std::uint32_t word = kNone;  // vocabulary word id; kNone: an empty slot
    };

    void index_stems();
    void index_spellings(const WordSet& vocabulary, const WordSet& plural_words,
                         const std::unordered_map<std::string_view, std::uint32_t>& ids);
    void index_typos(const WordSet& typo_words);

    // Vocabulary word ids (kNone: no catalogue word).
    std::uint32_t canonical(std::string_view token) const;
    std::uint32_t canonical_spelling(std::string_view token) const;  // before same_as_
    std::uint32_t fuzzy(std::string_view token) const;
    std::uint32_t spelling(std::string_view token) const;
    std::uint32_t stem(std::string_view token) const;
    std::uint32_t exact_or_stem(std::string_view token) const;

    std::vector<Pattern> patterns_;
    std::vector<std::string> words_;                             // the vocabulary, by word id
    std::vector<std::uint32_t> same_as_;                         // by word id: the stem covering it, or itself
    std::vector<std::vector<std::size_t>> first_word_patterns_;  // by word id: patterns it starts
    // Every vocabulary word and its plurals ("hoodies", "boxes") to the word: one lookup a token.
    std::vector<Slot> spellings_;
    std::string spelling_keys_;
    std::size_t max_spelling_size_ = 0;
    // Longer alphabetic vocabulary words by (first letter, length), for fuzzy lookups,
    // and a bitmap of which (letter, length) buckets exist, so most tokens skip them at once.
    std::vector<std::vector<std::uint32_t>> fuzzy_buckets_;  // [letter * 64 + length], sorted by word
    std::vector<std::uint32_t> letters_;                     // by word id: which letters a-z it has
    std::uint64_t fuzzy_lengths_[26] = {};
    // Stems ("termos*") by their first kStemKeyBytes bytes, and a bitmap of those keys'
    // hashes, so a token that starts no stem costs one bit test.
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> stems_;
    std::vector<std::uint64_t> stem_keys_ = std::vector<std::uint64_t>(1024);
};

}  // namespace ir::router
