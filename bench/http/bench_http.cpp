// bench_http: the HTTP transport's limit on this machine. Runs a bare HttpServer (every
// request answered 202 {} at once) on a thread and drives it over 127.0.0.1 with the load
// generator; or, with --target, drives a running server (e.g. inquiryd) instead.

#include <ir/bench/load_generator.hpp>
#include <ir/daemon/config.hpp>
#include <ir/daemon/http_json.hpp>
#include <ir/daemon/http_server.hpp>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/object.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <filesystem>
#include <optional>
#include <thread>
#include <tuple>

namespace {

namespace net = boost::asio;
using namespace std::chrono_literals;
using ir::bench::LoadOptions;

// The bare server on its own thread, for the length of the benchmark.
class BareServer {
public:
    BareServer()
        : server_(
              ioc_, {net::ip::address_v4::loopback(), 0},
              [](ir::daemon::HttpRequest&&, ir::daemon::Responder respond) {
                  respond(ir::daemon::json_response(boost::beast::http::status::accepted, boost::json::object{}));
              },
              registry_) {
        server_.start();
        thread_ = std::thread([this] { ioc_.run(); });
    }
    ~BareServer() {
        server_.stop();
        thread_.join();
    }
    BareServer(const BareServer&) = delete;
    BareServer& operator=(const BareServer&) = delete;

    [[nodiscard]] std::uint16_t port() const { return server_.port(); }

private:
    net::io_context ioc_{1};
    ir::daemon::metrics::Registry registry_;
    ir::daemon::HttpServer server_;
    std::thread thread_;
};

struct Scenario {
    std::size_t connections;
    double rate;
    std::chrono::milliseconds duration;
};

// About 10 s in all: one connection, the sweet spot, many connections, then the open
// loop at the daemon's target rate.
std::vector<Scenario> default_scenarios() {
    return {{1, 0, 1500ms}, {16, 0, 2500ms}, {128, 0, 1500ms}, {16, 10'000, 2500ms}};
}

std::vector<std::string> default_bodies() {
    const std::filesystem::path fixture = std::filesystem::path(IR_FIXTURES_DIR) / "inquiries.dev.jsonl";
    if (!std::filesystem::exists(fixture)) return {};  // the generator then sends {}
    return ir::bench::load_jsonl_bodies(fixture.string());
}

int run(LoadOptions base, const std::vector<Scenario>& scenarios, const std::string& label) {
    int failures = 0;
    for (const auto& s : scenarios) {
        auto options = base;
        options.connections = s.connections;
        options.rate = s.rate;
        options.duration = s.duration;
        options.threads = std::min(options.threads, options.connections);
        const auto result = ir::bench::run_load(options);
        std::printf("%s\n", ir::bench::format_result(label, options, result).c_str());
        std::fflush(stdout);
        failures += result.requests == 0 || result.errors > 0 ? 1 : 0;
    }
    return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"HTTP transport benchmark: a bare HttpServer, or --target, driven over loopback"};
    std::string target, bodies_file;
    std::optional<std::size_t> connections;
    std::optional<double> rate, seconds;
    LoadOptions base;
    base.warmup = 300ms;
    app.add_option("--target", target, "HOST:PORT of a running server instead of the bare one")
        ->check([](const std::string& t) {
            return ir::daemon::parse_listen(t) ? std::string{}
                                               : std::string{"must be HOST:PORT, such as 127.0.0.1:8080"};
        });
    app.add_option("--path", base.path, "request path")->capture_default_str();
    app.add_option("--bodies", bodies_file, "JSONL file; each line's \"event\" is a body (default: the dev fixture)");
    app.add_option("--connections,-c", connections, "keep-alive connections (one scenario instead of the default set)");
    app.add_option("--rate,-r", rate, "open loop: total requests/s");
    app.add_option("--duration,-d", seconds, "measured seconds");
    app.add_option("--threads,-t", base.threads, "load generator threads")->capture_default_str();
    app.add_option("--count,-n", base.max_requests, "stop after this many requests");
    CLI11_PARSE(app, argc, argv);

    spdlog::set_level(spdlog::level::warn);
    base.bodies = bodies_file.empty() ? default_bodies() : ir::bench::load_jsonl_bodies(bodies_file);
    auto scenarios = default_scenarios();
    if (connections || rate || seconds) {
        scenarios = {{connections.value_or(16), rate.value_or(0),
                      std::chrono::milliseconds(static_cast<long>(seconds.value_or(5) * 1000))}};
    }
    if (!target.empty()) {
        std::tie(base.host, base.port) = *ir::daemon::parse_listen(target);
        return run(base, scenarios, "target-http");
    }
    BareServer server;
    base.port = server.port();
    return run(base, scenarios, "bare-http");
}
