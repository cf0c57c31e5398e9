#pragma once
// Reading one TOML config: every problem is collected as "file:line: key: problem", so
// one run shows them all. Shared by the parts of config parsing (config*.cpp).
#include <toml++/toml.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ir/sla/duration.hpp"

namespace ir::daemon {

// Collects every problem instead of stopping at the first, so one run shows them all.
class Reader {
public:
    Reader(std::string source, std::vector<std::string>& errors) : source_(std::move(source)), errors_(errors) {}

    void problem(const toml::node* node, std::string_view key, std::string_view what) {
        std::string where = source_;
        if (node && node->source().begin.line) where += ":" + std::to_string(node->source().begin.line);
        errors_.push_back(where + ": " + std::string(key) + ": " + std::string(what));
    }

    void only_keys(const toml::table& t, std::string_view prefix, std::initializer_list<std::string_view> allowed) {
        for (const auto& [k, v] : t)
            if (std::find(allowed.begin(), allowed.end(), k.str()) == allowed.end())
                problem(&v, join(prefix, k.str()), "unknown key");
    }

    void string(const toml::table& t, std::string_view prefix, std::string_view key, std::string& out) {
        if (const auto* n = t.get(key)) {
            if (auto v = n->value<std::string>(); v && n->is_string())
                out = *v;
            else
                problem(n, join(prefix, key), "must be a string");
        }
    }

    template <class Int>
    void integer(const toml::table& t, std::string_view prefix, std::string_view key, Int& out, std::int64_t lo,
                 std::int64_t hi) {
        if (const auto* n = t.get(key)) {
            auto v = n->value<std::int64_t>();
            if (!n->is_integer() || !v || *v < lo || *v > hi)
                problem(n, join(prefix, key),
                        "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
            else
                out = static_cast<Int>(*v);
        }
    }

    void duration(const toml::table& t, std::string_view prefix, std::string_view key, sla::Duration& out) {
        std::optional<sla::Duration> d;
        duration(t, prefix, key, d);
        if (d) out = *d;
    }

    void duration(const toml::table& t, std::string_view prefix, std::string_view key,
                  std::optional<sla::Duration>& out) {
        if (const auto* n = t.get(key)) {
            auto v = n->value<std::string>();
            auto d = v ? sla::parse_duration(*v) : std::nullopt;
            if (!d)
                problem(n, join(prefix, key), "must be a duration such as \"90s\", \"5m\", \"24h\"");
            else
                out = *d;
        }
    }

    void boolean(const toml::table& t, std::string_view prefix, std::string_view key, bool& out) {
        const auto* n = t.get(key);
        if (!n) return;
        if (auto v = n->value<bool>())
            out = *v;
        else
            problem(n, join(prefix, key), "must be true or false");
    }

    // An array of strings; `out` is replaced only when every element is a string.
    void string_list(const toml::table& t, std::string_view prefix, std::string_view key,
                     std::vector<std::string>& out) {
        const auto* n = t.get(key);
        if (!n) return;
        const auto* arr = n->as_array();
        std::vector<std::string> values;
        if (arr)
            for (const auto& e : *arr) {
                if (!e.is_string()) {
                    arr = nullptr;
                    break;
                }
                values.push_back(*e.value<std::string>());
            }
        if (!arr) return problem(n, join(prefix, key), "must be an array of strings");
        out = std::move(values);
    }

    // A table, or a problem when the key holds something else.
    const toml::table* table(const toml::table& t, std::string_view prefix, std::string_view key) {
        const auto* n = t.get(key);
        if (!n) return nullptr;
        if (!n->is_table()) problem(n, join(prefix, key), "must be a table");
        return n->as_table();
    }

    static std::string join(std::string_view prefix, std::string_view key) {
        return prefix.empty() ? std::string(key) : std::string(prefix) + "." + std::string(key);
    }

private:
    std::string source_;
    std::vector<std::string>& errors_;
};

}  // namespace ir::daemon
