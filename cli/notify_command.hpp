#pragma once
// `inquiryctl notify test NAME --config FILE`: one sample message to a configured
// destination, and exactly what the endpoint answered.
#include <iosfwd>
#include <string>

namespace CLI {
class App;
}

namespace ir::cli {

struct NotifyTestOptions {
    std::string name;
    std::string config = "/etc/inquiryd/inquiryd.toml";
};

CLI::App* add_notify_subcommand(CLI::App& app, NotifyTestOptions& options);
// 0 when the endpoint took the message, 1 when it did not, 2 when the config is wrong.
int run_notify_test(const NotifyTestOptions& options, std::ostream& out, std::ostream& err);

}  // namespace ir::cli
