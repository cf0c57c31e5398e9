#pragma once
// Prometheus text exposition (format 0.0.4) for the daemon's /metrics.
// Everything runs on the io thread, so metrics are plain numbers: no atomics.

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ir::daemon::metrics {

// Label pairs in the order they are rendered, e.g. {{"code", "2xx"}}.
using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
public:
    void inc(std::uint64_t n = 1) noexcept { value_ += n; }
    [[nodiscard]] std::uint64_t value() const noexcept { return value_; }

private:
    std::uint64_t value_ = 0;
};

class Gauge {
public:
    void set(double v) noexcept { value_ = v; }
    void inc(double n = 1) noexcept { value_ += n; }
    void dec(double n = 1) noexcept { value_ -= n; }
    [[nodiscard]] double value() const noexcept { return value_; }

private:
    double value_ = 0;
};

// Fixed upper bounds (ascending, "+Inf" implied); counts are stored per bucket
// and made cumulative only when rendered, so observe() is one search and one add.
class Histogram {
public:
    explicit Histogram(std::vector<double> bounds);

    void observe(double v) noexcept;
    [[nodiscard]] const std::vector<double>& bounds() const noexcept { return bounds_; }
    // Cumulative count of observations <= bounds()[i]; i == bounds().size() is +Inf.
    [[nodiscard]] std::uint64_t cumulative(std::size_t i) const noexcept;
    [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
    [[nodiscard]] double sum() const noexcept { return sum_; }

private:
    std::vector<double> bounds_;
    std::vector<std::uint64_t> counts_;  // one per bound, plus +Inf
    std::uint64_t count_ = 0;
    double sum_ = 0;
};

// Bucket bounds in seconds for request latencies, 100 us to 10 s.
std::vector<double> latency_buckets_seconds();

// Owns every metric; references it hands out stay valid for its lifetime.
// Asking twice for the same name and labels returns the same metric; asking for
// a name already registered with another type throws std::invalid_argument
// (a programmer error, found at start-up).
class Registry {
public:
    Counter& counter(std::string_view name, std::string_view help, Labels labels = {});
    Gauge& gauge(std::string_view name, std::string_view help, Labels labels = {});
    Histogram& histogram(std::string_view name, std::string_view help, std::vector<double> bounds, Labels labels = {});

    // The whole exposition, families sorted by name, each with HELP and TYPE lines.
    [[nodiscard]] std::string render() const;

    static constexpr std::string_view content_type = "text/plain; version=0.0.4; charset=utf-8";

private:
    enum class Type { counter, gauge, histogram };
    struct Series {
        Labels labels;
        std::unique_ptr<Counter> counter;
        std::unique_ptr<Gauge> gauge;
        std::unique_ptr<Histogram> histogram;
    };
    struct Family {
        Type type;
        std::string help;
        std::deque<Series> series;  // in registration order
    };

    Series& series(std::string_view name, std::string_view help, Type type, Labels&& labels);
    static void render_family(std::string& out, const std::string& name, const Family& f);

    std::map<std::string, Family, std::less<>> families_;
};

}  // namespace ir::daemon::metrics
