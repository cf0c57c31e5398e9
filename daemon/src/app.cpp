#include "ir/daemon/app.hpp"

#include "webhooks.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <boost/asio/ip/address.hpp>
#include <fstream>
#include <sstream>

#include "ir/daemon/proto_convert.hpp"

namespace ir::daemon {
namespace asio = boost::asio;

namespace {

std::optional<std::string> read_text(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return path + ": cannot read";
    std::ostringstream ss;
    ss << in.rdbuf();
    out = ss.str();
    return std::nullopt;
}

// Written after binding, so scripts and tests started with port 0 find the port.
void write_port_file(const std::filesystem::path& dir, std::uint16_t port) {
    const auto tmp = dir / "http.port.tmp";
    std::ofstream(tmp) << port << "\n";
    std::filesystem::rename(tmp, dir / "http.port");
}

}  // namespace

metrics::Counter& DaemonMetrics::rejected(std::string_view reason) {
    return registry->counter("inquiryd_events_rejected_total", "Events refused, by reason",
                             {{"reason", std::string(reason)}});
}

App::App(Config config)
    : config_(std::move(config)),
      log_(spdlog::get("inquiryd") ? spdlog::get("inquiryd") : spdlog::stderr_color_mt("inquiryd")),
      signals_(ioc_, SIGTERM, SIGINT, SIGHUP),
      timer_(ioc_),
      watchdog_(ioc_) {
    boost::asio::post(analysis_pool_, [] { ::pthread_setname_np(::pthread_self(), "ir-analysis"); });
    metrics_.registry = &registry_;
    metrics_.accepted = &registry_.counter("inquiryd_events_accepted_total", "Events committed and acknowledged");
    metrics_.duplicates = &registry_.counter("inquiryd_events_duplicate_total", "Repeated events recognised");
    metrics_.commit_latency = &registry_.histogram("inquiryd_commit_latency_seconds", "Durable commit time per batch",
                                                   metrics::latency_buckets_seconds());
    metrics_.commit_failures = &registry_.counter("inquiryd_commit_failures_total", "Batches that failed to commit");
    metrics_.open_inquiries = &registry_.gauge("inquiryd_open_inquiries", "Inquiries not resolved");
    metrics_.alerts_published = &registry_.counter("inquiryd_alerts_published_total", "Alerts published on ZeroMQ");
    metrics_.alert_lateness = &registry_.histogram(
        "inquiryd_alert_lateness_seconds", "Publish time minus the alarm's moment", metrics::latency_buckets_seconds());
    metrics_.wal_bytes = &registry_.gauge("inquiryd_wal_bytes", "Size of the store's write-ahead log file");
    metrics_.dedupe_bytes = &registry_.gauge("inquiryd_dedupe_index_bytes",
                                             "Memory of the dedupe index: 16 bytes a slot, a slot per event");
    auto stage = [this](const char* name) {
        return &registry_.histogram("inquiryd_event_stage_seconds",
                                    "Time a state change spends in each stage of the ingest path",
                                    metrics::latency_buckets_seconds(), {{"stage", name}});
    };
    metrics_.wait_analysis = stage("analysis");
    metrics_.wait_commit = stage("commit");
    metrics_.wait_answer = stage("answer");
    registry_.gauge("inquiryd_build_info", "Build information", {{"version", IR_VERSION}}).set(1);
}

App::~App() {
    stop_notifier();
    if (committer_) committer_->stop();
    if (lock_fd_ >= 0) ::close(lock_fd_);
}

App::TimePoint App::now() const {
    return std::chrono::time_point_cast<sla::Duration>(std::chrono::system_clock::now());
}

std::optional<std::string> App::load_core() {
    if (!config_.catalog_path.empty()) {
        std::string text;
        if (auto e = read_text(config_.catalog_path, text)) return e;
        auto c = router::parse_catalog_json(text);
        if (!c) return config_.catalog_path + ": " + c.error().message + " " + c.error().field;
        catalog_ = std::move(*c);
        for (const auto& a : catalog_.accounts) accounts_.insert(a.id);
    } else {
        log_->warn("no catalogue configured: every account is accepted and no product can be recognised");
    }
    std::string rules_text(router::default_rules_toml());
    if (!config_.rules_path.empty())
        if (auto e = read_text(config_.rules_path, rules_text)) return e;
    auto rules =
        router::parse_rules_toml(rules_text, config_.rules_path.empty() ? "built-in rules" : config_.rules_path);
    if (!rules) return rules.error().message;
    auto assessor = router::Assessor::create(catalog_, *rules);
    if (!assessor) return assessor.error().message + " (" + assessor.error().field + ")";
    assessor_.emplace(std::move(*assessor));
    sla::SlaPolicy policy;
    policy.defaults.fast = config_.sla.fast;
    policy.defaults.timely = config_.sla.timely;
    policy.defaults.fast_warning = config_.sla.fast_warning;
    policy.defaults.timely_warning = config_.sla.timely_warning;
    policy.late_tolerance = config_.sla.late_tolerance;
    for (const auto& [tier, d] : config_.sla.tiers) {
        auto& o = policy.tiers[static_cast<sla::Tier>(tier)];
        o.fast = d.fast, o.timely = d.timely, o.fast_warning = d.fast_warning, o.timely_warning = d.timely_warning;
    }
    std::map<std::string, sla::SlaOverride> per_account;
    for (const auto& [account, d] : config_.sla.accounts) {
        auto& o = per_account[account];
        o.fast = d.fast, o.timely = d.timely, o.fast_warning = d.fast_warning, o.timely_warning = d.timely_warning;
    }
    if (auto problems = sla::validate(policy); !problems.empty()) return "sla: " + problems.front();
    router::RoutingSetup routing;
    routing.roster = config_.routing.agents;
    routing.policy = config_.routing.policy;
    routing.catalog = &catalog_;
    routing.agent_addresses = config_.routing.agent_addresses;
    if (!routing.roster.empty()) {
        try {
            local_clock_ = std::make_unique<routing::TzdbLocalClock>();
        } catch (const std::exception& e) {
            return std::string("cannot read the tz database for the agents' working hours: ") + e.what();
        }
        routing.clock = local_clock_.get();
        log_->info("routing to {} agents", routing.roster.size());
    } else {
        log_->warn("no [[agents]] configured: inquiries wait in their account's queue, nobody is assigned");
    }
    engine_ = std::make_unique<router::Engine>(*assessor_, std::move(policy), per_account, std::move(routing), now());
    std::set<std::string> buyer_scope;
    for (const auto& [account, scope] : config_.sla.clock_scope)
        if (scope == "buyer") buyer_scope.insert(account);
    engine_->set_buyer_scope(std::move(buyer_scope));
    return std::nullopt;
}

std::optional<std::string> App::recover() {
    auto inquiries = reader_->open_inquiries();
    auto max_id = reader_->max_inquiry_id();
    auto max_seq = reader_->max_alert_seq();
    if (!inquiries || !max_id || !max_seq)
        return "cannot read the state: " + (!inquiries ? inquiries.error().message
                                            : !max_id  ? max_id.error().message
                                                       : max_seq.error().message);
    router::EngineState state;
    state.inquiries.reserve(inquiries->size());
    for (const auto& row : *inquiries) {
        auto s = from_stored(row.payload);
        if (!s) return "inquiry " + std::to_string(row.id) + " is stored unreadably";
        state.inquiries.push_back(std::move(*s));
    }
    const std::size_t count = state.inquiries.size();
    if (auto e = load_routing_state(state)) return e;
    dedupe_.clear();
    next_event_seq_ = 1;
    if (auto e = reader_->scan_event_keys(
            [this](std::int64_t seq, std::string_view c, std::string_view a, std::string_view m) {
                dedupe_.add(DedupeIndex::key(c, a, m), seq);
                next_event_seq_ = seq + 1;  // the scan goes by seq
            }))
        return "cannot read the journal: " + e->message;
    metrics_.dedupe_bytes->set(static_cast<double>(dedupe_.memory_bytes()));
    state.next_inquiry_id = static_cast<std::uint64_t>(*max_id) + 1;
    state.next_alert_seq = static_cast<std::uint64_t>(*max_seq) + 1;
    auto step = engine_->restore(std::move(state), now());
    // Routing may decide anew (an owner who left the roster): stored like any step.
    if (!step.changed.empty() || !step.alerts.empty())
        commit(std::move(step), std::nullopt, [](bool, const router::StepResult&) {});
    metrics_.open_inquiries->set(static_cast<double>(engine_->open_count()));
    log_->info("recovered {} open inquiries; next alert seq {}; {} journaled events (dedupe index {} MiB)", count,
               engine_->next_alert_seq(), dedupe_.size(), dedupe_.memory_bytes() >> 20);
    return std::nullopt;
}

// Customers (and their merges) and agents' presence, as last stored.
std::optional<std::string> App::load_routing_state(router::EngineState& state) {
    auto customers = reader_->customers();
    auto aliases = reader_->customer_aliases();
    auto presence = reader_->meta_with_prefix(kPresencePrefix);
    if (!customers || !aliases || !presence)
        return "cannot read the customers: " + (!customers ? customers.error().message
                                                : !aliases ? aliases.error().message
                                                           : presence.error().message);
    std::uint64_t next_customer = 1;
    std::unordered_set<std::int64_t> merged_away;  // their last record stays in the table, unused
    for (const auto& a : *aliases) merged_away.insert(a.id);
    for (const auto& row : *customers) {
        next_customer = std::max<std::uint64_t>(next_customer, static_cast<std::uint64_t>(row.id) + 1);
        if (merged_away.contains(row.id)) continue;
        inquiry::v1::StoredCustomer c;
        if (!c.ParseFromString(row.payload)) return "customer " + std::to_string(row.id) + " is stored unreadably";
        state.customers.customers.push_back(from_proto(c));
    }
    for (const auto& a : *aliases) {
        state.customers.aliases.emplace_back(routing::CustomerId{static_cast<std::uint64_t>(a.id)},
                                             routing::CustomerId{static_cast<std::uint64_t>(a.survivor)});
        next_customer = std::max<std::uint64_t>(next_customer, static_cast<std::uint64_t>(a.id) + 1);
    }
    state.customers.next_id = next_customer;
    for (const auto& [key, value] : *presence) {
        const std::string agent = key.substr(std::string_view(kPresencePrefix).size());
        if (value == "available") state.presence[agent] = routing::Presence::available;
        if (value == "away") state.presence[agent] = routing::Presence::away;
        if (value == "offline") state.presence[agent] = routing::Presence::offline;
    }
    return std::nullopt;
}

std::optional<std::string> App::check() {
    if (auto e = load_core()) return e;
    if (auto e = load_notify()) return e;
    return load_webhooks();
}

std::optional<std::string> App::start() {
    std::error_code ec;
    std::filesystem::create_directories(config_.state_dir, ec);
    if (ec) return config_.state_dir.string() + ": cannot create the state folder: " + ec.message();
    lock_fd_ = ::open((config_.state_dir / "inquiryd.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock_fd_ < 0 || ::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0)
        return config_.state_dir.string() + ": another inquiryd is running on this state folder";
    if (auto e = check()) return e;

    store::CommitterOptions copts;
    copts.database.path = database_path();
    copts.database.auto_checkpoint = false;            // the checkpointer thread does it, off the commit path
    copts.queue_capacity = config_.ingest_queue + 64;  // ticks and replies never find it full
    copts.max_batch = config_.commit_batch;
    copts.on_commit = [this](const store::CommitSample& s) {
        asio::post(ioc_, [this, s] {
            metrics_.commit_latency->observe(static_cast<double>(s.latency.count()) / 1e6);
            if (!s.ok) metrics_.commit_failures->inc();
        });
    };
    auto committer = store::GroupCommitter::start(copts);
    if (!committer) return committer.error().message;
    committer_ = std::move(*committer);
    store::Options ropts;
    ropts.path = copts.database.path;
    auto reader = store::Database::open(ropts);
    if (!reader) return reader.error().message;
    reader_ = std::move(*reader);
    store::CheckpointerOptions cpopts;
    cpopts.path = copts.database.path;
    cpopts.caught_up = [this] { committer_->request_wal_wrap(); };
    auto checkpointer = store::Checkpointer::start(cpopts);
    if (!checkpointer) return checkpointer.error().message;
    checkpointer_ = std::move(*checkpointer);
    if (auto e = recover()) return e;
    if (auto e = start_notifier()) return e;

    try {
        publisher_ = std::make_unique<AlertPublisher>(zmq_, config_.pub_endpoint);
        add_routes();
        HttpServerOptions hopts;
        hopts.body_limit = config_.http.max_body_bytes;
        hopts.request_timeout = config_.http.request_timeout;
        hopts.idle_timeout = config_.http.idle_timeout;
        hopts.max_connections = config_.http.max_connections;
        const asio::ip::tcp::endpoint listen(asio::ip::make_address(config_.http.host), config_.http.port);
        http_ = std::make_unique<HttpServer>(ioc_, listen, std::ref(router_), registry_, hopts);
    } catch (const std::exception& e) {
        return std::string("cannot bind: ") + e.what();
    }
    write_port_file(config_.state_dir, http_->port());
    log_->info("inquiryd {} listening on http://{}:{}, alerts on {}, state in {}", IR_VERSION, config_.http.host,
               http_->port(), publisher_->endpoint(), config_.state_dir.string());
    return std::nullopt;
}

int App::run() {
    signals_.async_wait([this](boost::system::error_code ec, int signo) {
        if (!ec) on_signal(signo);
    });
    http_->start();
    start_mail_sources();
    arm_timer();
    notify_systemd("READY=1");
    start_watchdog();
    ioc_.run();
    committer_->stop();
    stop_notifier();
    log_->info("stopped");
    return 0;
}

void App::on_signal(int signo) {
    if (signo == SIGHUP) {
        // Logs go to stderr (journald), so there is no file to reopen; the log level is reloaded.
        if (config_.source != Config{}.source) {
            auto reloaded = load_config(config_.source);
            for (const auto& e : reloaded.errors) log_->error("SIGHUP: {}", e);
            if (reloaded.errors.empty()) spdlog::set_level(spdlog::level::from_str(reloaded.config.log_level));
        }
        log_->info("SIGHUP: log level {}", spdlog::level::to_string_view(log_->level()));
        signals_.async_wait([this](boost::system::error_code ec, int s) {
            if (!ec) on_signal(s);
        });
        return;
    }
    log_->info("signal {}: finishing in-flight requests and commits", signo);
    begin_shutdown();
}

void App::begin_shutdown() {
    if (stopping_) return;
    stopping_ = true;
    drain_guard_.emplace(ioc_.get_executor());
    notify_systemd("STOPPING=1");
    timer_.cancel();
    watchdog_.cancel();
    signals_.cancel();
    stop_mail_sources();  // a mail waiting for its commit stays in new/: the next run sees a duplicate
    http_->stop();
    maybe_finish();
}

// Once no commit is pending and the HTTP server has answered everything, the io_context
// runs out of work and run() returns.
void App::maybe_finish() {
    if (!stopping_ || pending_ != 0) return;
    http_.reset();
    drain_guard_.reset();
}

void App::notify_systemd(const char* state) {
    sd_notify(0, state);
}

void App::start_watchdog() {
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return;
    watchdog_.expires_after(std::chrono::microseconds(usec / 2));
    watchdog_.async_wait([this](boost::system::error_code ec) {
        if (ec || stopping_) return;
        notify_systemd("WATCHDOG=1");  // the io thread is alive and turning
        start_watchdog();
    });
}

void App::arm_timer() {
    if (stopping_) return;
    const auto next = engine_->next_deadline();
    if (!next) {
        timer_.cancel();
        return;
    }
    const auto delay = std::max(sla::Duration{0}, *next - now());
    timer_.expires_after(delay);
    timer_.async_wait([this](boost::system::error_code ec) {
        if (!ec) on_timer();
    });
}

void App::on_timer() {
    if (stopping_ || degraded_) return;
    auto step = engine_->on_tick(now());  // decided again with a fresh now
    if (step.changed.empty() && step.alerts.empty()) return arm_timer();
    commit(std::move(step), std::nullopt, [](bool, const router::StepResult&) {});
}

}  // namespace ir::daemon
