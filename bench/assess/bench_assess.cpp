// Assessments per second on one core over the dev set's inquiries (target >= 50,000/s).
// Usage: bench_assess [FIXTURES_DIR] [SECONDS]
#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ir/adapters/event_json.hpp"
#include "ir/router/assessor.hpp"

using namespace ir;
using Clock = std::chrono::steady_clock;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"bench_assess: assessments per second on one core over the dev set's inquiries"};
    std::string dir = IR_FIXTURES_DIR;
    double seconds = 3.0;
    app.add_option("FIXTURES_DIR", dir, "folder with catalog.json and inquiries.dev.jsonl")->capture_default_str();
    app.add_option("SECONDS", seconds, "measured seconds")->capture_default_str()->check(CLI::PositiveNumber);
    CLI11_PARSE(app, argc, argv);
    auto catalog = router::parse_catalog_json(slurp(dir + "/catalog.json"));
    auto rules = router::parse_rules_toml(router::default_rules_toml(), "default");
    if (!catalog || !rules) {
        std::fprintf(stderr, "bench_assess: cannot load %s/catalog.json or the rules\n", dir.c_str());
        return 2;
    }
    auto assessor = router::Assessor::create(*catalog, *rules);
    if (!assessor) return 2;

    std::vector<std::pair<router::Event, router::CustomerContext>> inputs;
    std::istringstream lines(slurp(dir + "/inquiries.dev.jsonl"));
    std::size_t bytes = 0;
    for (std::string line; std::getline(lines, line);) {
        const auto v = boost::json::parse(line).as_object();
        auto e = adapters::parse_event(v.at("event"));
        auto c = adapters::parse_context(v.contains("context") ? v.at("context") : boost::json::value{});
        if (!e || !c) return 2;
        bytes += e->body.size();
        inputs.emplace_back(std::move(*e), *c);
    }

    std::size_t count = 0, tier_sum = 0;
    const auto start = Clock::now();
    const auto stop = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    while (Clock::now() < stop) {
        for (const auto& [event, context] : inputs)
            tier_sum += static_cast<std::size_t>(assessor->assess(event, context).tier);
        count += inputs.size();
    }
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf(
        "assess: inquiries=%zu avg_body_bytes=%zu threads=1 assessments/s=%.0f us/assessment=%.2f (target >= 50000/s) "
        "[checksum %zu]\n",
        inputs.size(), bytes / inputs.size(), static_cast<double>(count) / elapsed,
        elapsed * 1e6 / static_cast<double>(count), tier_sum);
    return 0;
}
