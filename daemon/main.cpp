// inquiryd: takes inquiry events, screens and tiers them, keeps them durably, runs the
// reply clocks and publishes alerts. Everything else lives in the daemon library.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <iostream>

#include "ir/daemon/app.hpp"
#include "ir/daemon/cli_options.hpp"
#include "ir/daemon/restore.hpp"

int main(int argc, char** argv) {
    ir::daemon::CliOptions options;
    CLI::App cli{"inquiryd: inquiry router daemon"};
    ir::daemon::add_cli_options(cli, options);
    CLI11_PARSE(cli, argc, argv);
    if (options.print_default_config) {
        std::cout << ir::daemon::default_config_toml();
        return 0;
    }
    auto config = ir::daemon::resolve_config(options);
    if (!config) return 2;  // every problem was printed
    if (!options.restore.empty())
        return ir::daemon::restore_store(*config, options.restore, ir::daemon::SystemClock{}.now(), std::cout,
                                         std::cerr);
    spdlog::set_level(spdlog::level::from_str(config->log_level));
    const std::string source = config->source;
    ir::daemon::App app(std::move(*config));
    if (options.check_config) {  // the files the config names too, not only its syntax
        if (auto error = app.check()) {
            std::cerr << "inquiryd: " << *error << "\n";
            return 2;
        }
        std::cout << source << ": ok\n";
        return 0;
    }
    if (auto error = app.start()) {
        std::cerr << "inquiryd: " << *error << "\n";  // stderr, like every other log line
        return 1;
    }
    return app.run();
}
