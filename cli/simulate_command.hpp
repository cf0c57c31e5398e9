#pragma once
// `inquiryctl simulate`: replays traffic (a file, or a daemon's store) through the daemon's
// own core in virtual time under one or more routing policies, side by side; and
// `inquiryctl simulate generate`, which writes realistic traffic. docs/simulate.md.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace ir::cli {

struct SimulateOptions {
    std::string config_path;  // the daemon's config: catalogue, rules, [sla], [routing], [[agents]], [simulate]
    std::string traffic_path;
    std::string store_dir;              // --from-store
    std::vector<std::string> policies;  // empty: ours
    std::optional<std::uint64_t> seed;  // over [simulate] seed
    std::string people = "simulated";   // or "recorded"
    bool json = false;
};

struct GenerateOptions {
    int days = 7;
    int per_day = 100;
    std::uint64_t seed = 1;
    std::string catalog_path;
    std::string config_path;  // its catalogue, when --catalog is not given
    std::string start;        // YYYY-MM-DD (UTC); empty: 2026-11-02
    std::string out_path;     // empty or "-": standard output
};

struct SimulateCommands {
    CLI::App* simulate = nullptr;
    CLI::App* generate = nullptr;
};

SimulateCommands add_simulate_subcommand(CLI::App& app, SimulateOptions& simulate, GenerateOptions& generate);
// Exit codes: 0; 1 when input lines were skipped; 2 when nothing could run (config errors name
// file, line and key; traffic out of received_at order names the line).
int run_simulate(const SimulateOptions& o, std::ostream& out, std::ostream& err);
int run_generate(const GenerateOptions& o, std::ostream& out, std::ostream& err);

}  // namespace ir::cli
