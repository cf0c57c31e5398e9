#pragma once
// inquiryd's command line: flags override the config file.
#include <CLI/CLI.hpp>

#include <optional>
#include <string>

#include "ir/daemon/config.hpp"

namespace ir::daemon {

struct CliOptions {
    std::string config_path;
    std::string state_dir;
    std::string http_listen;
    std::string pub_endpoint;
    bool print_default_config = false;
    bool check_config = false;
    std::string check_config_file;  // `--check-config FILE`: the config to check, instead of --config's
    std::string restore;  // a backup to put in place of the state folder's store
};

void add_cli_options(CLI::App& app, CliOptions& options);

// Loads the file (if any), applies the flags, prints every problem to stderr; nullopt on error.
std::optional<Config> resolve_config(const CliOptions& options);

}  // namespace ir::daemon
