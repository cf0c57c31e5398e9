#include "ir/router/rules.hpp"

#include <algorithm>
#include <initializer_list>
#include <utility>
#include <toml++/toml.h>

namespace ir::router {
namespace {

// Errors read "source:line: key: problem" so a user finds the spot at once.
class RulesReader {
public:
    explicit RulesReader(std::string_view source) : source_(source) {}

    Error error(const toml::node* node, std::string_view key, std::string_view problem) const {
        // Appended piece by piece: GCC 12 at -O3 flags `":" + std::to_string(n)` (-Wrestrict,
        // a false positive of its own std::string insert).
        std::string text(source_);
        if (node && node->source().begin.line) text.append(":").append(std::to_string(node->source().begin.line));
        text.append(": ").append(key).append(": ").append(problem);
        return Error{std::move(text), std::string(key)};
    }

    std::optional<Error> only_keys(const toml::table& t, std::string_view prefix,
                                   std::initializer_list<std::string_view> allowed) const {
        for (const auto& [k, v] : t) {
            if (std::find(allowed.begin(), allowed.end(), k.str()) == allowed.end())
                return error(&v, join(prefix, k.str()), "unknown key");
        }
        return std::nullopt;
    }

    template <class T>
    std::optional<Error> read(const toml::table& t, std::string_view prefix, std::string_view key, T& out) const {
        const toml::node* n = t.get(key);
        if (!n) return std::nullopt;
        if constexpr (std::is_same_v<T, std::string>) {
            if (!n->is_string()) return error(n, join(prefix, key), "must be a string");
            out = n->value<std::string>().value();
        } else if constexpr (std::is_floating_point_v<T>) {
            auto v = n->value<double>();
            if (!v || *v < 0) return error(n, join(prefix, key), "must be a non-negative number");
            out = *v;
        } else {
            auto v = n->value<std::int64_t>();
            if (!n->is_integer() || !v || *v < 0) return error(n, join(prefix, key), "must be a non-negative integer");
            out = static_cast<T>(*v);
        }
        return std::nullopt;
    }

    std::optional<Error> read_strings(const toml::table& t, std::string_view prefix, std::string_view key,
                                      std::vector<std::string>& out) const {
        const toml::node* n = t.get(key);
        if (!n) return std::nullopt;
        const auto* arr = n->as_array();
        if (!arr) return error(n, join(prefix, key), "must be an array of strings");
        out.clear();
        for (const auto& item : *arr) {
            if (!item.is_string()) return error(&item, join(prefix, key), "must be an array of strings");
            out.push_back(item.value<std::string>().value());
        }
        return std::nullopt;
    }

    static std::string join(std::string_view prefix, std::string_view key) {
        return prefix.empty() ? std::string(key) : std::string(prefix) + "." + std::string(key);
    }

private:
    std::string_view source_;
};

std::optional<SignalKind> parse_kind(std::string_view s) {
    if (s == "sign2") return SignalKind::sign2;
    if (s == "sign3") return SignalKind::sign3;
    if (s == "claim") return SignalKind::claim;
    if (s == "scope") return SignalKind::scope;
    if (s == "detail") return SignalKind::detail;
    if (s == "cue") return SignalKind::cue;
    if (s == "blind_order") return SignalKind::blind_order;
    if (s == "volume") return SignalKind::volume;
    return std::nullopt;
}

std::optional<Error> read_thresholds(const RulesReader& r, const toml::table& t, Rules& rules) {
    if (auto e = r.only_keys(t, "thresholds",
                             {"suspect_min_signs", "sign_threshold", "detail_threshold", "tier2_min_messages",
                              "large_quantity", "large_quantity_by_platform", "terse_max_words", "max_scored_bytes"}))
        return e;
    for (auto e : {r.read(t, "thresholds", "suspect_min_signs", rules.suspect_min_signs),
                   r.read(t, "thresholds", "sign_threshold", rules.sign_threshold),
                   r.read(t, "thresholds", "detail_threshold", rules.detail_threshold),
                   r.read(t, "thresholds", "tier2_min_messages", rules.tier2_min_messages),
                   r.read(t, "thresholds", "large_quantity", rules.large_quantity),
                   r.read(t, "thresholds", "terse_max_words", rules.terse_max_words),
                   r.read(t, "thresholds", "max_scored_bytes", rules.max_scored_bytes)})
        if (e) return e;
    if (const auto* by = t.get("large_quantity_by_platform")) {
        const auto* bt = by->as_table();
        if (!bt) return r.error(by, "thresholds.large_quantity_by_platform", "must be a table");
        for (const auto& [k, v] : *bt) {
            auto n = v.value<std::int64_t>();
            if (!v.is_integer() || !n || *n <= 0)
                return r.error(&v, "thresholds.large_quantity_by_platform." + std::string(k.str()),
                               "must be a positive integer");
            rules.large_quantity_by_platform[std::string(k.str())] = static_cast<std::uint64_t>(*n);
        }
    }
    return std::nullopt;
}

std::optional<Error> read_score(const RulesReader& r, const toml::table& t, ScoreWeights& s) {
    if (auto e = r.only_keys(t, "score",
                             {"tier_base", "per_detail", "max_detail_bonus", "complete_contact", "per_scam_sign"}))
        return e;
    if (const auto* n = t.get("tier_base")) {
        const auto* arr = n->as_array();
        if (!arr || arr->size() != 4) return r.error(n, "score.tier_base", "must be an array of 4 numbers");
        for (std::size_t i = 0; i < 4; ++i) {
            auto v = arr->get(i)->value<double>();
            if (!v) return r.error(n, "score.tier_base", "must be an array of 4 numbers");
            s.tier_base[i] = *v;
        }
    }
    for (auto e :
         {r.read(t, "score", "per_detail", s.per_detail), r.read(t, "score", "max_detail_bonus", s.max_detail_bonus),
          r.read(t, "score", "complete_contact", s.complete_contact),
          r.read(t, "score", "per_scam_sign", s.per_scam_sign)})
        if (e) return e;
    return std::nullopt;
}

std::optional<Error> read_signal(const RulesReader& r, std::string_view id, const toml::node& node, PhraseSignal& s) {
    const std::string prefix = "signals." + std::string(id);
    const auto* t = node.as_table();
    if (!t) return r.error(&node, prefix, "must be a table");
    if (auto e = r.only_keys(*t, prefix, {"kind", "weight", "cap", "reason", "patterns", "requires"})) return e;
    s.id = std::string(id);
    std::string kind;
    for (auto e :
         {r.read(*t, prefix, "kind", kind), r.read(*t, prefix, "weight", s.weight), r.read(*t, prefix, "cap", s.cap),
          r.read(*t, prefix, "reason", s.reason), r.read_strings(*t, prefix, "patterns", s.patterns)})
        if (e) return e;
    auto k = parse_kind(kind);
    if (!k)
        return r.error(t->get("kind") ? t->get("kind") : &node, prefix + ".kind",
                       "must be one of sign2, sign3, claim, scope, detail, cue, blind_order, volume");
    s.kind = *k;
    if (s.patterns.empty()) return r.error(&node, prefix + ".patterns", "needs at least one pattern");
    if (s.reason.empty()) return r.error(&node, prefix + ".reason", "needs a reason a supervisor understands");
    if (s.cap < 1) s.cap = 1;
    return std::nullopt;
}

// `requires` names other signals; read after all of them, as indexes.
std::optional<Error> resolve_required(const RulesReader& r, const toml::table& signals, Rules& rules) {
    for (auto& s : rules.signals) {
        const std::string prefix = "signals." + s.id;
        std::vector<std::string> ids;
        if (auto e = r.read_strings(*signals[s.id].as_table(), prefix, "requires", ids)) return e;
        for (const auto& id : ids) {
            const auto it = std::find_if(rules.signals.begin(), rules.signals.end(),
                                         [&](const PhraseSignal& o) { return o.id == id; });
            if (it == rules.signals.end() || it->id == s.id)
                return r.error(signals[s.id].node(), prefix + ".requires", "names no other signal: " + id);
            s.required.push_back(static_cast<std::uint32_t>(it - rules.signals.begin()));
        }
    }
    return std::nullopt;
}

std::optional<Error> read_lexicon_entry(const RulesReader& r, std::string_view id, const toml::node& node,
                                        LexiconEntry& entry) {
    const std::string prefix = "lexicon." + std::string(id);
    const auto* t = node.as_table();
    if (!t) return r.error(&node, prefix, "must be a table");
    entry.id = std::string(id);
    for (const auto& [k, v] : *t) {
        const std::string key(k.str());
        if (key == "matches") continue;
        const bool code = key.size() >= 2 && key.size() <= 3 &&
                          std::all_of(key.begin(), key.end(), [](char c) { return c >= 'a' && c <= 'z'; });
        if (!code) return r.error(&v, prefix + "." + key, "unknown key (a language code such as fr, or matches)");
        if (auto e = r.read_strings(*t, prefix, key, entry.terms[key])) return e;
    }
    if (auto e = r.read_strings(*t, prefix, "matches", entry.matches)) return e;
    if (entry.matches.empty()) return r.error(&node, prefix + ".matches", "needs the product type's English words");
    return std::nullopt;
}

}  // namespace

Expected<Rules> parse_rules_toml(std::string_view toml_text, std::string_view source) {
    RulesReader r(source);
    toml::table root;
    try {
        root = toml::parse(toml_text, source);
    } catch (const toml::parse_error& e) {
        return Error{
            std::string(source) + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description()),
            ""};
    }
    Rules rules;
    if (auto e = r.only_keys(root, "", {"thresholds", "score", "sender", "signals", "lexicon"})) return *e;
    if (const auto* t = root["thresholds"].as_table())
        if (auto e = read_thresholds(r, *t, rules)) return *e;
    if (const auto* t = root["score"].as_table())
        if (auto e = read_score(r, *t, rules.score)) return *e;
    if (const auto* t = root["sender"].as_table()) {
        if (auto e = r.only_keys(*t, "sender", {"free_mail_domains"})) return *e;
        if (auto e = r.read_strings(*t, "sender", "free_mail_domains", rules.free_mail_domains)) return *e;
    }
    if (const auto* t = root["signals"].as_table()) {
        for (const auto& [k, v] : *t) {
            PhraseSignal s;
            if (auto e = read_signal(r, k.str(), v, s)) return *e;
            rules.signals.push_back(std::move(s));
        }
        if (auto e = resolve_required(r, *t, rules)) return *e;
    }
    if (const auto* t = root["lexicon"].as_table()) {
        for (const auto& [k, v] : *t) {
            LexiconEntry entry;
            if (auto e = read_lexicon_entry(r, k.str(), v, entry)) return *e;
            rules.lexicon.push_back(std::move(entry));
        }
    }
    return rules;
}

}  // namespace ir::router
