// Replays a year of generated traffic - about a million events - through the daemon's own
// core with simulated people, on one core, as `inquiryctl simulate` does (a first look at the
// file for known customers, then the replay); target: under 30 s.
// Usage: bench_simulate [EVENTS] [FIXTURES_DIR]
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "ir/daemon/config.hpp"
#include "ir/daemon/core_setup.hpp"
#include "ir/simulate/generator.hpp"
#include "ir/simulate/known_customers.hpp"
#include "ir/simulate/replay.hpp"
#include "ir/simulate/traffic_reader.hpp"

using namespace ir;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kPerDay = 1800;             // new conversations a day
constexpr double kMessagesPerConv = 1.5;  // with follow-ups, as the generator writes them

// 40 agents in Shanghai in three shifts around the clock, one in three a senior, with the
// skills and languages spread as a real team's would be.
std::string team(const std::string& catalog) {
    const char* languages[] = {R"(["en"])", R"(["en", "es"])", R"(["en", "ru"])", R"(["en", "fr", "de"])",
                               R"(["en", "pt"])"};
    const char* categories[] = {R"(["apparel", "jewelry", "outdoor"])",
                                R"(["consumer-electronics", "electronic-components", "packaging"])",
                                R"(["outdoor", "consumer-electronics", "apparel"])", nullptr};
    const char* shifts[] = {"09:00-18:00", "17:00-02:00", "01:00-10:00"};
    std::string t = "catalog = \"" + catalog + "\"\n";
    for (int i = 0; i < 40; ++i) {
        t += "[[agents]]\nid = \"a" + std::to_string(i) + "\"\nrole = \"" + (i % 3 == 0 ? "senior" : "agent") +
             "\"\nlanguages = " + languages[i % 5] + "\n";
        if (categories[i % 4]) t += std::string("categories = ") + categories[i % 4] + "\n";
        t += std::string("time_zone = \"Asia/Shanghai\"\nhours = [\"") + shifts[i % 3] + "\"]\n";
    }
    return t;
}

double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
    const long events = argc > 1 ? std::stol(argv[1]) : 1'000'000;
    const std::string fixtures = argc > 2 ? argv[2] : IR_FIXTURES_DIR;
    cpu_set_t one;  // one core: the replay is single-threaded, and this makes sure of it
    CPU_ZERO(&one);
    CPU_SET(sched_getcpu(), &one);
    sched_setaffinity(0, sizeof one, &one);

    auto parsed = daemon::parse_config(team(fixtures + "/catalog.json"), "bench");
    if (!parsed.errors.empty()) return std::fprintf(stderr, "bench_simulate: %s\n", parsed.errors[0].c_str()), 2;
    daemon::Core probe;
    if (auto e = daemon::build_core(parsed.config, {}, probe)) return std::fprintf(stderr, "%s\n", e->c_str()), 2;

    simulate::TrafficOptions options;
    options.per_day = kPerDay;
    options.days = static_cast<int>(std::ceil(static_cast<double>(events) / (kPerDay * kMessagesPerConv)));
    options.seed = 9;
    const auto path =
        std::filesystem::temp_directory_path() / ("bench-simulate-" + std::to_string(getpid()) + ".jsonl");
    {
        std::ofstream out(path, std::ios::binary);
        if (!simulate::generate_traffic(probe.catalog, options, out)) return 2;
    }

    const double cpu0 = cpu_seconds();
    const auto t0 = Clock::now();
    simulate::KnownCustomers known;
    std::optional<sla::TimePoint> first;
    {
        std::ifstream in(path, std::ios::binary);
        for (std::string line; std::getline(in, line);) {
            if (!first)
                if (auto i = simulate::parse_traffic_line(line)) first = i->at;
            known.add_line(line);
        }
    }
    const double look = since(t0);
    const auto t1 = Clock::now();
    std::ifstream in(path, std::ios::binary);
    simulate::TrafficReader reader(in, path.string());
    daemon::Core core;
    if (auto e = daemon::build_core(parsed.config, first.value_or(sla::TimePoint{}), core)) return 2;
    simulate::ReplaySetup setup{"ours",
                                routing::Strategy::ours,
                                simulate::PeopleMode::simulated,
                                {},
                                parsed.config.routing.agents,
                                core.local_clock.get(),
                                known.state(*first)};
    const auto report = simulate::replay(*core.engine, reader, setup);
    const double replay = since(t1);
    const double wall = since(t0);
    const double cpu = cpu_seconds() - cpu0;
    std::filesystem::remove(path);

    const auto n = static_cast<double>(report.inputs);
    std::printf(
        "simulate: events=%zu days=%d agents=40 known_customers=%zu threads=1 wall_s=%.1f cpu_s=%.1f "
        "(first look %.1f, replay %.1f) events/s=%.0f us/event=%.1f (target < 30 s for 1M)\n",
        report.inputs, options.days, known.size(), wall, cpu, look, replay, n / wall, wall * 1e6 / n);
    std::printf("simulate: waits=%zu replies=%zu within_fast=%.3f within_timely=%.3f virtual time %.0f days\n",
                report.overall.waits, report.overall.replies, report.overall.share_fast(),
                report.overall.share_timely(),
                std::chrono::duration<double, std::ratio<86400>>(report.to - report.from).count());
    return 0;
}
