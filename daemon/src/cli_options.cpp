#include "ir/daemon/cli_options.hpp"

#include <iostream>

namespace ir::daemon {

void add_cli_options(CLI::App& app, CliOptions& o) {
    app.add_option("--config", o.config_path, "TOML config file (every key has a default)");
    app.add_option("--state-dir", o.state_dir, "Folder for the SQLite journal (overrides state_dir)");
    app.add_option("--http-listen", o.http_listen, "HOST:PORT for the HTTP API (overrides http.listen)");
    app.add_option("--pub-endpoint", o.pub_endpoint, "ZeroMQ endpoint for alerts (overrides zmq.pub_endpoint)");
    app.add_flag("--print-default-config", o.print_default_config, "Print the commented default config and exit");
    app.add_flag("--check-config", o.check_config, "Check the config file and the flags, then exit (0: good)");
    app.add_option("--restore", o.restore,
                   "Put this backup (inquiryctl backup) in place of the store in the state folder, keeping the old "
                   "one aside, then exit; refused while inquiryd runs there");
}

std::optional<Config> resolve_config(const CliOptions& o) {
    ConfigResult result = o.config_path.empty() ? ConfigResult{} : load_config(o.config_path);
    Config& c = result.config;
    if (!o.state_dir.empty()) c.state_dir = o.state_dir;
    if (!o.pub_endpoint.empty()) c.pub_endpoint = o.pub_endpoint;
    if (!o.http_listen.empty()) {
        if (auto hp = parse_listen(o.http_listen))
            std::tie(c.http.host, c.http.port) = *hp;
        else
            result.errors.push_back("--http-listen: must be HOST:PORT, such as 127.0.0.1:8080");
    }
    for (const auto& e : result.errors) std::cerr << "inquiryd: " << e << "\n";
    if (!result.errors.empty()) return std::nullopt;
    return c;
}

}  // namespace ir::daemon
