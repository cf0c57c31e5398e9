#include "ir/simulate/people_config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <initializer_list>
#include <limits>

#include "ir/sla/duration.hpp"

namespace ir::simulate {
namespace {

class Reader {
public:
    Reader(const std::string& source, std::vector<std::string>& errors) : source_(source), errors_(errors) {}

    void problem(const toml::node* n, std::string_view key, std::string_view what) {
        std::string where = source_;
        if (n && n->source().begin.line) where += ":" + std::to_string(n->source().begin.line);
        errors_.push_back(where + ": simulate." + std::string(key) + ": " + std::string(what));
    }

    void only_keys(const toml::table& t, std::string_view prefix, std::initializer_list<std::string_view> allowed) {
        for (const auto& [k, v] : t)
            if (std::find(allowed.begin(), allowed.end(), k.str()) == allowed.end())
                problem(&v, join(prefix, k.str()), "unknown key");
    }

    void duration(const toml::table& t, std::string_view key, sla::Duration& out, std::string_view prefix = "") {
        const auto* n = t.get(key);
        if (!n) return;
        const auto v = n->value<std::string>();
        const auto d = v && n->is_string() ? sla::parse_duration(*v) : std::nullopt;
        if (!d || d->count() == 0)
            problem(n, join(prefix, key), "must be a duration above zero such as \"90s\", \"5m\", \"24h\"");
        else
            out = *d;
    }

    void number(const toml::table& t, std::string_view key, double& out, double lo, double hi) {
        const auto* n = t.get(key);
        if (!n) return;
        const auto v = n->value<double>();
        if (!(n->is_floating_point() || n->is_integer()) || !v || *v < lo || *v > hi)
            problem(n, key, "must be a number from " + format(lo) + " to " + format(hi));
        else
            out = *v;
    }

    template <class Int>
    void integer(const toml::table& t, std::string_view key, Int& out, std::int64_t lo, std::int64_t hi) {
        const auto* n = t.get(key);
        if (!n) return;
        const auto v = n->value<std::int64_t>();
        if (!n->is_integer() || !v || *v < lo || *v > hi)
            problem(n, key, "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
        else
            out = static_cast<Int>(*v);
    }

private:
    static std::string join(std::string_view prefix, std::string_view key) {
        return prefix.empty() ? std::string(key) : std::string(prefix) + "." + std::string(key);
    }
    static std::string format(double x) {
        std::string s = std::to_string(x);
        s.erase(s.find_last_not_of('0') + 1);
        if (s.back() == '.') s.pop_back();
        return s;
    }

    const std::string& source_;
    std::vector<std::string>& errors_;
};

void read_medians(Reader& r, const toml::node& n, PeopleConfig& c) {
    const auto* t = n.as_table();
    if (!t) return r.problem(&n, "reply_median", "must be a table: { agent = \"3m\", senior = ..., supervisor = ... }");
    r.only_keys(*t, "reply_median", {"agent", "senior", "supervisor"});
    r.duration(*t, "agent", c.reply_median[0], "reply_median");
    r.duration(*t, "senior", c.reply_median[1], "reply_median");
    r.duration(*t, "supervisor", c.reply_median[2], "reply_median");
}

void read_table(Reader& r, const toml::table& t, PeopleConfig& c) {
    r.only_keys(t, "",
                {"seed", "reply_median", "reply_spread", "accept_median", "accept_spread", "miss_rate",
                 "foreign_language_factor", "off_skill_factor", "review_factor", "parallel", "resolve_after", "drain"});
    r.integer(t, "seed", c.seed, 0, std::numeric_limits<std::int64_t>::max());
    if (const auto* n = t.get("reply_median")) read_medians(r, *n, c);
    r.number(t, "reply_spread", c.reply_spread, 0, 3);
    r.duration(t, "accept_median", c.accept_median);
    r.number(t, "accept_spread", c.accept_spread, 0, 3);
    r.number(t, "miss_rate", c.miss_rate, 0, 1);
    r.number(t, "foreign_language_factor", c.foreign_language_factor, 0.1, 100);
    r.number(t, "off_skill_factor", c.off_skill_factor, 0.1, 100);
    r.number(t, "review_factor", c.review_factor, 0.1, 100);
    r.integer(t, "parallel", c.parallel, 1, 1000);
    r.duration(t, "resolve_after", c.resolve_after);
    r.duration(t, "drain", c.drain);
}

}  // namespace

PeopleConfigResult parse_people_config(std::string_view toml_text, const std::string& source) {
    PeopleConfigResult out;
    Reader r(source, out.errors);
    try {
        const toml::table root = toml::parse(toml_text, source);
        if (const auto* n = root.get("simulate")) {
            if (const auto* t = n->as_table())
                read_table(r, *t, out.config);
            else
                out.errors.push_back(source + ":" + std::to_string(n->source().begin.line) +
                                     ": simulate: must be a table");
        }
    } catch (const toml::parse_error& e) {
        out.errors.push_back(source + ":" + std::to_string(e.source().begin.line) + ": " +
                             std::string(e.description()));
    }
    // In the file's order, whatever order the keys are read in.
    const auto line_of = [&](const std::string& e) {
        return std::atol(e.c_str() + std::min(e.size(), source.size() + 1));
    };
    std::stable_sort(out.errors.begin(), out.errors.end(),
                     [&](const std::string& a, const std::string& b) { return line_of(a) < line_of(b); });
    return out;
}

}  // namespace ir::simulate
