#pragma once
// inquiryd's process: start-up (state folder, lock, the core, the pipeline, sockets),
// the run loop, signals and systemd. One io_context thread owns the pipeline, the HTTP
// server, the ZeroMQ socket and the timer; everything a change goes through is the
// pipeline's (pipeline.hpp), every HTTP route is in route_table.cpp.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <zmq.hpp>

#include <memory>
#include <optional>
#include <string>

#include "ir/daemon/alert_publisher.hpp"
#include "ir/daemon/config.hpp"
#include "ir/daemon/core_setup.hpp"
#include "ir/daemon/http_router.hpp"
#include "ir/daemon/http_server.hpp"
#include "ir/daemon/maildir_source.hpp"
#include "ir/daemon/metrics.hpp"
#include "ir/daemon/pipeline.hpp"
#include "ir/daemon/wall_clock.hpp"
#include "ir/notify/notifier.hpp"

namespace spdlog {
class logger;
}

namespace ir::daemon {

struct Webhooks;
struct RouteContext;
class AccessControl;
class ReadThread;
class AlertStreams;
class StateLock;
class Retention;

class App {
public:
    explicit App(Config config);
    ~App();
    // Opens the store, recovers the core, binds every socket. Errors: message, exit 1.
    std::optional<std::string> start();
    // What start() reads before it touches the state folder or a socket: the catalogue,
    // the rules, the clocks' policy, the tz database, the webhook and notify secrets (--check-config).
    std::optional<std::string> check();
    // Runs until SIGTERM/SIGINT has drained everything; returns the exit code.
    int run();

private:
    std::filesystem::path database_path() const { return config_.state_dir / "inquiryd.db"; }
    std::optional<std::string> open_store_and_sockets();
    std::optional<std::string> open_feed();
    std::shared_ptr<HttpAdmission> admission();
    std::optional<std::string> open_notifier();
    std::unique_ptr<HttpServer> listen_http(const std::string& host, std::uint16_t port, HttpRouter& router);
    void refresh_metrics();
    void wait_for_signal();
    void on_signal(int signo);
    void reload();
    void begin_shutdown();
    void start_watchdog();

    Config config_;
    // <state_dir>/inquiryd.lock, held for the process's life: declared early, released last.
    std::unique_ptr<StateLock> lock_;
    std::shared_ptr<spdlog::logger> log_;
    SystemClock clock_;
    boost::asio::io_context ioc_;
    boost::asio::signal_set signals_;
    boost::asio::steady_timer watchdog_;
    Core core_;  // catalogue, rules, engine
    std::unique_ptr<Webhooks> webhooks_;
    metrics::Registry registry_;
    std::unique_ptr<AccessControl> access_;
    std::shared_ptr<TlsContext> tls_;  // [http] tls_cert/tls_key: every listener's, reloaded on SIGHUP
    std::unique_ptr<Pipeline> pipeline_;
    std::vector<notify::Destination> notify_destinations_;  // secrets read at check(), until the notifier starts
    std::unique_ptr<notify::Notifier> notifier_;            // its threads read the store on their own
    std::unique_ptr<store::Database> reader_;               // the API's point reads, on the io thread
    std::unique_ptr<ReadThread> reads_;                     // the API's reads whose cost grows with the store
    std::unique_ptr<AlertStreams> streams_;                 // GET /v1/stream: committed alerts pushed to pages
    std::unique_ptr<Retention> retention_;                  // [retention] and erasure requests, on its own thread
    zmq::context_t zmq_;
    std::unique_ptr<AlertPublisher> publisher_;
    std::unique_ptr<RouteContext> routes_;
    HttpRouter router_;
    HttpRouter webhook_router_;                 // the webhook listener's, if [http] webhook_listen
    std::shared_ptr<HttpAdmission> admission_;  // the listeners' per-client limits and body budgets
    std::unique_ptr<HttpServer> http_;
    std::unique_ptr<HttpServer> webhook_http_;
    std::vector<std::unique_ptr<MaildirSource>> mail_sources_;  // their threads post to ioc_
    bool stopping_ = false;
    // Keeps run() going while commits are pending after the sockets have closed.
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> drain_guard_;
};

}  // namespace ir::daemon
