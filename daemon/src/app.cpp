#include "ir/daemon/app.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <boost/asio/ip/address.hpp>
#include <fstream>

#include "access_control.hpp"
#include "alert_streams.hpp"
#include "ir/daemon/tls_context.hpp"
#include "exposure.hpp"
#include "mail_sources.hpp"
#include "ir/daemon/retention.hpp"
#include "notify_wiring.hpp"
#include "read_thread.hpp"
#include "state_lock.hpp"
#include "routes.hpp"
#include "webhooks.hpp"

namespace ir::daemon {
namespace asio = boost::asio;

namespace {

// Lists, catch-up and rankings waiting for the read thread; beyond: 503 with Retry-After.
constexpr std::size_t kMaxQueuedReads = 64;

// Written after binding, so scripts and tests started with port 0 find the port.
void write_port_file(const std::filesystem::path& dir, std::uint16_t port) {
    const auto tmp = dir / "http.port.tmp";
    std::ofstream(tmp) << port << "\n";
    std::filesystem::rename(tmp, dir / "http.port");
}

}  // namespace

App::App(Config config)
    : config_(std::move(config)),
      log_(spdlog::get("inquiryd") ? spdlog::get("inquiryd") : spdlog::stderr_color_mt("inquiryd")),
      signals_(ioc_, SIGTERM, SIGINT, SIGHUP),
      watchdog_(ioc_) {
    registry_.gauge("inquiryd_build_info", "Build information", {{"version", IR_VERSION}}).set(1);
}

App::~App() {
    reads_.reset();  // its reads use the routes' context: they finish first
}

std::optional<std::string> App::check() {
    if (config_.catalog_path.empty())
        log_->warn("no catalogue configured: every account is accepted and no product can be recognised");
    if (auto e = build_core(config_, clock_.now(), core_)) return e;
    if (config_.routing.agents.empty())
        log_->warn("no [[agents]] configured: inquiries wait in their account's queue, nobody is assigned");
    else
        log_->info("routing to {} agents", config_.routing.agents.size());
    if (auto e = check_exposure(config_)) return e;
    if (config_.http.tls()) {
        auto tls = TlsContext::open({config_.http.tls_cert, config_.http.tls_key});
        if (!tls) return tls.error().message;
        tls_ = std::move(*tls);
    }
    access_ = std::make_unique<AccessControl>(config_, registry_);
    if (config_.access.require || std::filesystem::exists(config_.tokens_file()))
        if (auto e = access_->load()) return e;
    webhooks_ = std::make_unique<Webhooks>();
    if (auto e = load_webhooks(config_.adapters, *webhooks_)) return e;
    return load_notify(config_, notify_destinations_);
}

std::optional<std::string> App::start() {
    std::error_code ec;
    std::filesystem::create_directories(config_.state_dir, ec);
    if (ec) return config_.state_dir.string() + ": cannot create the state folder: " + ec.message();
    std::string locked;
    lock_ = StateLock::take(config_.state_dir, locked);
    if (!lock_) return locked;
    if (auto e = check()) return e;
    return open_store_and_sockets();
}

std::optional<std::string> App::open_store_and_sockets() {
    PipelineOptions options{database_path(),
                            config_.ingest_queue,
                            config_.commit_batch,
                            config_.queued_bytes(),
                            {config_.store.max_bytes, config_.store.min_free_bytes}};
    pipeline_ = std::make_unique<Pipeline>(ioc_, core_, clock_, registry_, options);
    if (auto e = pipeline_->open()) return e;
    store::Options ropts;
    ropts.path = database_path();
    auto reader = store::Database::open(ropts);
    if (!reader) return reader.error().message;
    reader_ = std::move(*reader);
    auto reads = ReadThread::open(database_path(), kMaxQueuedReads);
    if (!reads) return reads.error().message;
    reads_ = std::move(*reads);
    streams_ = std::make_unique<AlertStreams>(ioc_, *reads_, [this] { return pipeline_->now(); });
    pipeline_->add_alert_listener([this](const std::vector<store::AlertRow>& alerts) { streams_->publish(alerts); });
    pipeline_->add_step_listener([this](const router::StepResult& step) { streams_->changed(step); });
    RetentionOptions retention{database_path(), config_.retention.resolved_after};
    auto worker = Retention::open(ioc_, *pipeline_, registry_, clock_, std::move(retention));
    if (!worker) return worker.error().message;
    retention_ = std::move(*worker);
    if (auto e = open_feed()) return e;
    if (auto e = open_notifier()) return e;
    const bool metrics_need_token = config_.access.metrics == "token" ||
                                    (config_.access.metrics == "loopback" && !is_loopback_host(config_.http.host));
    routes_ = std::make_unique<RouteContext>(RouteContext{
        *pipeline_, *reader_, *reads_, *streams_, registry_, *webhooks_, *access_, BrowserRules{}, metrics_need_token,
        [this] { refresh_metrics(); }, [this] { return failing_destinations(notifier_.get()); }});
    routes_->retention = retention_.get();
    add_routes(router_, *routes_);
    add_routes(webhook_router_, *routes_, Listener::webhooks_only);
    try {
        http_ = listen_http(config_.http.host, config_.http.port, router_);
        if (const auto& w = config_.http.webhook_listen)
            webhook_http_ = listen_http(w->first, w->second, webhook_router_);
    } catch (const std::exception& e) {
        return std::string("cannot bind: ") + e.what();
    }
    routes_->browser = browser_rules(config_.http, http_->port(), config_.http.tls());
    write_port_file(config_.state_dir, http_->port());
    log_->info("inquiryd {} listening on {}://{}:{}{}, alerts on {}{}, state in {}", IR_VERSION,
               tls_ ? "https" : "http", config_.http.host, http_->port(),
               webhook_http_ ? " (webhooks also on " + std::to_string(webhook_http_->port()) + ")" : "",
               publisher_->endpoint(), config_.access.require ? " (CURVE)" : "", config_.state_dir.string());
    return std::nullopt;
}

int App::run() {
    wait_for_signal();
    http_->start();
    if (webhook_http_) webhook_http_->start();
    mail_sources_ = start_mail_sources(config_, ioc_, *pipeline_);
    pipeline_->start();
    retention_->start();
    sd_notify(0, "READY=1");
    start_watchdog();
    ioc_.run();
    log_->info("stopped");
    return 0;
}

void App::wait_for_signal() {
    signals_.async_wait([this](boost::system::error_code ec, int signo) {
        if (!ec) on_signal(signo);
    });
}

void App::on_signal(int signo) {
    if (signo != SIGHUP) {
        log_->info("signal {}: finishing in-flight requests and commits", signo);
        return begin_shutdown();
    }
    reload();
    wait_for_signal();
}

// SIGHUP. Logs go to stderr (journald), so there is no file to reopen; the log level is reloaded.
void App::reload() {
    if (config_.source != Config{}.source) {
        auto reloaded = load_config(config_.source);
        for (const auto& e : reloaded.errors) log_->error("SIGHUP: {}", e);
        if (reloaded.errors.empty()) {
            spdlog::set_level(spdlog::level::from_str(reloaded.config.log_level));
            config_.store = reloaded.config.store;
            pipeline_->set_store_limits({config_.store.max_bytes, config_.store.min_free_bytes});
        }
    }
    log_->info("SIGHUP: log level {}, [store] max_bytes {}, min_free_bytes {}",
               spdlog::level::to_string_view(log_->level()), config_.store.max_bytes, config_.store.min_free_bytes);
    if (tls_) tls_->reload();
}

// Stop taking work; once every commit in flight has been answered, the io_context runs out
// of work and run() returns.
void App::begin_shutdown() {
    if (stopping_) return;
    stopping_ = true;
    drain_guard_.emplace(ioc_.get_executor());
    sd_notify(0, "STOPPING=1");
    watchdog_.cancel();
    signals_.cancel();
    for (auto& s : mail_sources_) s->stop();  // a mail waiting for its commit stays in new/: a duplicate next run
    retention_->stop();                       // between two short transactions: what it erased stays erased
    http_->stop();                            // ends the alert streams too
    if (webhook_http_) webhook_http_->stop();
    streams_->stop();
    pipeline_->stop([this] {
        http_.reset();
        webhook_http_.reset();
        publisher_->stop_reading_subscriptions();
        if (notifier_) notifier_->stop();  // after the last commit: it has seen every alert
        drain_guard_.reset();
    });
}

void App::start_watchdog() {
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return;
    watchdog_.expires_after(std::chrono::microseconds(usec / 2));
    watchdog_.async_wait([this](boost::system::error_code ec) {
        if (ec || stopping_) return;
        sd_notify(0, "WATCHDOG=1");  // the io thread is alive and turning
        start_watchdog();
    });
}

}  // namespace ir::daemon
