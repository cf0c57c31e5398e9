#include <ir/daemon/metrics.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace ir::daemon::metrics {
namespace {

bool valid_name(std::string_view s, bool colon_ok) {
    auto head = [&](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon_ok && c == ':');
    };
    if (s.empty() || !head(s.front())) return false;
    return std::all_of(s.begin() + 1, s.end(), [&](char c) { return head(c) || (c >= '0' && c <= '9'); });
}

void append_number(std::string& out, double v) {
    if (std::isnan(v)) {
        out += "NaN";
    } else if (std::isinf(v)) {
        out += v > 0 ? "+Inf" : "-Inf";
    } else {
        char buf[32];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);  // shortest round-trip form
        out.append(buf, end);
    }
}

void append_number(std::string& out, std::uint64_t v) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, end);
}

// Label values escape backslash, double quote and newline; HELP text only the first and last.
void append_escaped(std::string& out, std::string_view s, bool quote) {
    for (char c : s) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else if (quote && c == '"')
            out += "\\\"";
        else
            out += c;
    }
}

// `{a="1",le="0.5"}`; `extra` is the histogram's le label, rendered last.
void append_labels(std::string& out, const Labels& labels, std::string_view le = {}) {
    if (labels.empty() && le.empty()) return;
    out += '{';
    bool first = true;
    for (const auto& [k, v] : labels) {
        if (!first) out += ',';
        first = false;
        out += k;
        out += "=\"";
        append_escaped(out, v, true);
        out += '"';
    }
    if (!le.empty()) {
        if (!first) out += ',';
        out += "le=\"";
        out += le;
        out += '"';
    }
    out += '}';
}

void append_sample(std::string& out, std::string_view name, std::string_view suffix, const Labels& labels,
                   std::string_view le, auto value) {
    out += name;
    out += suffix;
    append_labels(out, labels, le);
    out += ' ';
    append_number(out, value);
    out += '\n';
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds) : bounds_(std::move(bounds)), counts_(bounds_.size() + 1, 0) {
    if (!std::is_sorted(bounds_.begin(), bounds_.end()) ||
        std::adjacent_find(bounds_.begin(), bounds_.end()) != bounds_.end() ||
        std::any_of(bounds_.begin(), bounds_.end(), [](double b) { return !std::isfinite(b); })) {
        throw std::invalid_argument("histogram bounds must be finite and strictly ascending");
    }
}

void Histogram::observe(double v) noexcept {
    // Buckets are "less than or equal": the first bound >= v.
    auto it = std::lower_bound(bounds_.begin(), bounds_.end(), v);
    ++counts_[static_cast<std::size_t>(it - bounds_.begin())];
    ++count_;
    sum_ += v;
}

std::uint64_t Histogram::cumulative(std::size_t i) const noexcept {
    std::uint64_t n = 0;
    for (std::size_t k = 0; k <= i && k < counts_.size(); ++k) n += counts_[k];
    return n;
}

std::vector<double> latency_buckets_seconds() {
    return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

Registry::Series& Registry::series(std::string_view name, std::string_view help, Type type, Labels&& labels) {
    if (!valid_name(name, true)) throw std::invalid_argument("bad metric name: " + std::string(name));
    for (const auto& [k, v] : labels) {
        if (!valid_name(k, false) || k.starts_with("__") || (type == Type::histogram && k == "le")) {
            throw std::invalid_argument("bad label name for " + std::string(name) + ": " + k);
        }
    }
    auto it = families_.find(name);
    if (it == families_.end()) {
        it = families_.emplace(std::string(name), Family{type, std::string(help), {}}).first;
    } else if (it->second.type != type) {
        throw std::invalid_argument("metric registered twice with different types: " + std::string(name));
    }
    for (auto& s : it->second.series) {
        if (s.labels == labels) return s;
    }
    return it->second.series.emplace_back(Series{std::move(labels), nullptr, nullptr, nullptr});
}

Counter& Registry::counter(std::string_view name, std::string_view help, Labels labels) {
    auto& s = series(name, help, Type::counter, std::move(labels));
    if (!s.counter) s.counter = std::make_unique<Counter>();
    return *s.counter;
}

Gauge& Registry::gauge(std::string_view name, std::string_view help, Labels labels) {
    auto& s = series(name, help, Type::gauge, std::move(labels));
    if (!s.gauge) s.gauge = std::make_unique<Gauge>();
    return *s.gauge;
}

Histogram& Registry::histogram(std::string_view name, std::string_view help, std::vector<double> bounds,
                               Labels labels) {
    auto& s = series(name, help, Type::histogram, std::move(labels));
    if (!s.histogram) s.histogram = std::make_unique<Histogram>(std::move(bounds));
    return *s.histogram;
}

void Registry::render_family(std::string& out, const std::string& name, const Family& f) {
    static constexpr std::string_view type_names[] = {"counter", "gauge", "histogram"};
    out += "# HELP ";
    out += name;
    out += ' ';
    append_escaped(out, f.help, false);
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type_names[static_cast<int>(f.type)];
    out += '\n';
    for (const auto& s : f.series) {
        if (s.counter) append_sample(out, name, "", s.labels, {}, s.counter->value());
        if (s.gauge) append_sample(out, name, "", s.labels, {}, s.gauge->value());
        if (!s.histogram) continue;
        const auto& h = *s.histogram;
        std::string le;
        for (std::size_t i = 0; i <= h.bounds().size(); ++i) {
            le.clear();
            append_number(le, i < h.bounds().size() ? h.bounds()[i] : std::numeric_limits<double>::infinity());
            append_sample(out, name, "_bucket", s.labels, le, h.cumulative(i));
        }
        append_sample(out, name, "_sum", s.labels, {}, h.sum());
        append_sample(out, name, "_count", s.labels, {}, h.count());
    }
}

std::string Registry::render() const {
    std::string out;
    out.reserve(4096);
    for (const auto& [name, family] : families_) render_family(out, name, family);
    return out;
}

}  // namespace ir::daemon::metrics
