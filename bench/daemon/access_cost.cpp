#include "access_cost.hpp"

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "daemon_harness.hpp"
#include "ir/access/token_file.hpp"
#include "ir/bench/load_generator.hpp"

namespace ir::bench {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// The same identity in both configs, so routing does the same work in both.
constexpr const char* kIdentity = "[[agents]]\nid = \"bridge\"\nrole = \"admin\"\n";

struct Sample {
    double events_per_second = 0;
    double cpu_us_per_event = 0;  // every daemon thread
    double p99_us = 0;
};

// A token for the bridge, in the tokens file the daemon will read at start.
std::string install_token(const fs::path& state) {
    fs::create_directories(state);
    auto t = access::generate_token("bridge", {access::Scope::ingest}, sla::TimePoint{}, std::nullopt, "bench");
    access::TokenFile file;
    file.tokens.push_back(t.record);
    if (auto e = access::write_token_file(state / "tokens", file)) throw std::runtime_error(e->message);
    return t.token;
}

Sample one_run(const fs::path& dir, bool secured, const std::vector<std::string>& bodies,
               std::chrono::milliseconds run) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    LoadOptions o;
    if (secured) o.headers.emplace_back("Authorization", "Bearer " + install_token(dir / "state"));
    Daemon daemon(dir, std::string("[access]\nrequire = ") + (secured ? "true" : "false") + "\n" + kIdentity);
    o.port = daemon.port();
    o.bodies = bodies;
    o.connections = 256;
    o.warmup = 500ms;
    o.duration = run;
    double cpu_before = 0, cpu_after = 0;
    for (const auto& [name, s] : daemon.thread_cpu()) cpu_before += s;
    const LoadResult r = run_load(o);
    for (const auto& [name, s] : daemon.thread_cpu()) cpu_after += s;
    const auto accepted = r.by_status.count(202) ? r.by_status.at(202) : 0;
    if (accepted != r.requests) throw std::runtime_error("not every request was accepted (202)");
    // The CPU figure spans the warm-up too: divide by every request the run answered.
    const double answered = r.requests_per_second * std::chrono::duration<double>(run + o.warmup).count();
    return {r.requests_per_second, 1e6 * (cpu_after - cpu_before) / std::max(1.0, answered), r.p99_us};
}

}  // namespace

void access_cost(const fs::path& dir, std::chrono::milliseconds run, int rounds) {
    const auto bodies = make_bodies(50);
    Sample open_sum, secured_sum;
    for (int i = 0; i < rounds; ++i) {
        for (const bool secured : {false, true}) {
            const Sample s = one_run(dir / "access", secured, bodies, run);
            std::printf("inquiryd: access=%s conns=256 events/s=%.0f daemon_cpu_us_per_event=%.1f p99_us=%.0f\n",
                        secured ? "token" : "off", s.events_per_second, s.cpu_us_per_event, s.p99_us);
            Sample& sum = secured ? secured_sum : open_sum;
            sum.events_per_second += s.events_per_second / rounds;
            sum.cpu_us_per_event += s.cpu_us_per_event / rounds;
        }
    }
    std::printf(
        "inquiryd: access token checks: events/s %.0f vs %.0f without (%+.1f%%), daemon CPU per event %.1f vs %.1f "
        "us (%+.1f%%), mean of %d alternating runs\n",
        secured_sum.events_per_second, open_sum.events_per_second,
        100 * (secured_sum.events_per_second / open_sum.events_per_second - 1), secured_sum.cpu_us_per_event,
        open_sum.cpu_us_per_event, 100 * (secured_sum.cpu_us_per_event / open_sum.cpu_us_per_event - 1), rounds);
}

}  // namespace ir::bench
