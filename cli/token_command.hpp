#pragma once
// `inquiryctl token create | list | revoke | curve-key` and `inquiryctl keygen`: the
// tokens file the daemon reads (it notices every change within a second, no restart).
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace ir::cli {

struct TokenOptions {
    std::string config;     // --config FILE: names the tokens file and the identities
    std::string state_dir;  // --state-dir DIR: <DIR>/tokens, when there is no config
    std::string agent;
    std::vector<std::string> scopes;  // api (default), ingest
    std::string expires;              // "90d"; empty: never
    std::string label;
    std::string id;          // revoke
    std::string public_key;  // curve-key
};

struct TokenCommands {
    CLI::App* create = nullptr;
    CLI::App* list = nullptr;
    CLI::App* revoke = nullptr;
    CLI::App* curve_key = nullptr;
    CLI::App* keygen = nullptr;
};

TokenCommands add_token_subcommands(CLI::App& app, TokenOptions& options);
// Runs whichever of them was parsed; 0 on success, 2 for bad options or files.
int run_token(const TokenCommands& which, const TokenOptions& options, std::ostream& out, std::ostream& err);

}  // namespace ir::cli
