#include "ir/daemon/cli_options.hpp"

#include <iostream>

namespace ir::daemon {

void add_cli_options(CLI::App& app, CliOptions& o) {
    app.add_option("--config", o.config_path, "TOML config file (every key has a default)");
    app.add_option("--state-dir", o.state_dir, "Folder for the SQLite journal (overrides state_dir)");
    app.add_option("--http-listen", o.http_listen, "HOST:PORT for the HTTP API (overrides http.listen)");
    app.add_option("--pub-endpoint", o.pub_endpoint, "ZeroMQ endpoint for alerts (overrides zmq.pub_endpoint)");
    app.add_flag("--print-default-config", o.print_default_config, "Print the commented default config and exit");
    // A flag that may name the file itself: `inquiryd --check-config /etc/inquiryd/inquiryd.toml`.
    app.add_option_function<std::string>(
           "--check-config",
           [&o](const std::string& file) {
               o.check_config = true;
               o.check_config_file = file;
           },
           "Check the config (FILE, or --config's) and the files it names, then exit (0: good, 2: a problem)")
        ->expected(0, 1)
        ->type_name("[FILE]");
    app.add_option("--restore", o.restore,
                   "Put this backup (inquiryctl backup) in place of the store in the state folder, keeping the old "
                   "one aside, then exit; refused while inquiryd runs there");
}

std::optional<Config> resolve_config(const CliOptions& o) {
    if (!o.check_config_file.empty() && !o.config_path.empty() && o.check_config_file != o.config_path) {
        std::cerr << "inquiryd: --check-config " << o.check_config_file << " and --config " << o.config_path
                  << " name two files: give one\n";
        return std::nullopt;
    }
    const std::string& path = o.check_config_file.empty() ? o.config_path : o.check_config_file;
    ConfigResult result = path.empty() ? ConfigResult{} : load_config(path);
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
