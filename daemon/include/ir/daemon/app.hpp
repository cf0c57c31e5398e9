#pragma once
// inquiryd's shell: one io_context thread owns the core, the HTTP server, the ZeroMQ
// socket and the one timer; the store's writer thread makes commits durable. Flow per
// event: validate, dedupe, core step, commit (group commit), then answer 202 and publish.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/json/array.hpp>
#include <zmq.hpp>

#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <variant>

#include "ir/daemon/alert_publisher.hpp"
#include "ir/daemon/config.hpp"
#include "ir/daemon/dedupe_index.hpp"
#include "ir/daemon/http_router.hpp"
#include "ir/daemon/http_server.hpp"
#include "ir/daemon/maildir_source.hpp"
#include "ir/daemon/metrics.hpp"
#include "ir/notify/notifier.hpp"
#include "ir/router/assessor.hpp"
#include "ir/router/catalog.hpp"
#include "ir/adapters/webhook.hpp"
#include "ir/router/engine.hpp"
#include "ir/routing/tzdb_local_clock.hpp"
#include "ir/store/checkpointer.hpp"
#include "ir/store/database.hpp"
#include "ir/store/group_committer.hpp"

namespace spdlog {
class logger;
}

namespace ir::daemon {

struct Webhooks;

// Counters and histograms the daemon exports on /metrics.
struct DaemonMetrics {
    metrics::Counter* accepted = nullptr;
    metrics::Counter* duplicates = nullptr;
    metrics::Histogram* commit_latency = nullptr;
    metrics::Counter* commit_failures = nullptr;
    metrics::Gauge* open_inquiries = nullptr;
    metrics::Counter* alerts_published = nullptr;
    metrics::Histogram* alert_lateness = nullptr;
    metrics::Gauge* wal_bytes = nullptr;     // a WAL that only grows means checkpoints are stuck
    metrics::Gauge* dedupe_bytes = nullptr;  // grows with the journal: 16 bytes a slot
    // Where an accepted event's time goes, stage by stage (see docs/operations.md).
    metrics::Histogram* wait_analysis = nullptr;  // queued for analysis .. back on the loop
    metrics::Histogram* wait_commit = nullptr;    // handed to the writer .. durable
    metrics::Histogram* wait_answer = nullptr;    // durable .. the loop answers
    metrics::Registry* registry = nullptr;
    metrics::Counter& rejected(std::string_view reason);
};

// How one event fared on the ingest path, with the answer POST /v1/events gives for it.
struct IngestOutcome {
    enum Kind {
        accepted,     // committed (202)
        duplicate,    // seen before (200): nothing changed
        rejected,     // refused for good (4xx): retrying the same event will not help
        retry_later,  // busy, shutting down or the disk failed (503): nothing was kept
    } kind;
    HttpResponse response;
    std::optional<std::uint64_t> inquiry;
};

class App {
public:
    explicit App(Config config);
    ~App();
    // Opens the store, recovers the core, binds every socket. Errors: message, exit 1.
    std::optional<std::string> start();
    // What start() reads before it touches the state folder or a socket: the catalogue,
    // the rules, the clocks' policy, the tz database, the webhook secrets (--check-config).
    std::optional<std::string> check();
    // Runs until SIGTERM/SIGINT has drained everything; returns the exit code.
    int run();

private:
    using TimePoint = sla::TimePoint;
    struct Pending;

    TimePoint now() const;
    std::optional<std::string> load_core();
    std::filesystem::path database_path() const { return config_.state_dir / "inquiryd.db"; }
    std::optional<std::string> recover();
    std::optional<std::string> load_routing_state(router::EngineState& state);
    static constexpr const char* kPresencePrefix = "presence/";  // meta key of an agent's presence
    void add_routes();
    void handle_event(RouteRequest&& req, Responder respond);
    void ingest(router::Event event, std::function<void(IngestOutcome)> done);
    void apply_event(router::Event event, std::string key, std::shared_ptr<const router::Assessor::Analysis> analysis,
                     std::shared_ptr<std::function<void(IngestOutcome)>> done);
    void handle_resolve(RouteRequest&& req, Responder respond);
    // The routing API (routing_routes.cpp, customer_routes.cpp).
    using InquiryRequest = router::StepResult (router::Engine::*)(router::InquiryId, const std::string&,
                                                                  sla::TimePoint);
    void add_routing_routes();
    void handle_inquiry_request(RouteRequest&& req, Responder respond, InquiryRequest step, bool needs_routing);
    void handle_presence(RouteRequest&& req, Responder respond);
    void handle_order(RouteRequest&& req, Responder respond);
    HttpResponse get_customer(const RouteRequest& req);
    HttpResponse reply_stats(const RouteRequest& req);
    std::variant<std::string, HttpResponse> body_string(const RouteRequest& req, std::string_view key);
    std::optional<HttpResponse> refuse_without_routing();
    // Email (mail_sources.cpp): one MaildirSource per [[adapters.email]].
    void start_mail_sources();
    void mirror_mail_counts();  // the Maildir sources' counts into /metrics
    void stop_mail_sources();
    // Notifications (notify_wiring.cpp).
    std::optional<std::string> load_notify();
    std::optional<std::string> start_notifier();
    void wake_notifier(const router::StepResult& step);
    void stop_notifier();
    void mirror_notify_metrics();
    boost::json::array failing_destinations() const;
    // Webhooks (webhook_routes.cpp).
    std::optional<std::string> load_webhooks();
    void add_webhook_routes();
    void ingest_batch(Expected<adapters::WebhookBatch> batch, Responder respond);
    std::variant<router::InquiryId, HttpResponse> open_inquiry_of(const RouteRequest& req);
    void commit_and_show(router::StepResult step, router::InquiryId inquiry, Responder respond);
    HttpResponse get_inquiry(const RouteRequest& req);
    HttpResponse list_inquiries(const RouteRequest& req);
    HttpResponse list_alerts(const RouteRequest& req);
    std::optional<HttpResponse> refuse_if_busy();
    // The journaled event with this event's key, if any (dedupe_ gives candidates).
    Expected<std::optional<store::EventKey>> find_journaled(const router::Event& event, std::string_view key);
    // Stores a step (and the event that caused it); `done` runs on the io thread after commit.
    // `extra` rows (meta, say) go into the same transaction.
    void commit(router::StepResult step, std::optional<router::Event> event,
                std::function<void(bool ok, const router::StepResult&)> done, store::Change extra = {});
    void after_commit(bool ok, const router::StepResult& step);
    void arm_timer();
    void on_timer();
    void on_signal(int signo);
    void begin_shutdown();
    void maybe_finish();
    void reload_after_failure();
    void notify_systemd(const char* state);
    void start_watchdog();

    Config config_;
    std::shared_ptr<spdlog::logger> log_;
    boost::asio::io_context ioc_;
    boost::asio::signal_set signals_;
    boost::asio::steady_timer timer_;
    boost::asio::steady_timer watchdog_;
    router::Catalog catalog_;
    std::unordered_set<std::string> accounts_;  // known accounts; empty: any
    std::optional<router::Assessor> assessor_;
    std::unique_ptr<routing::LocalClock> local_clock_;          // the tz database, when agents have working hours
    std::unique_ptr<Webhooks> webhooks_;                        // secrets loaded at start
    std::vector<std::unique_ptr<MaildirSource>> mail_sources_;  // their threads post to ioc_
    std::unique_ptr<router::Engine> engine_;
    std::unique_ptr<store::Database> reader_;
    std::unique_ptr<store::GroupCommitter> committer_;
    std::unique_ptr<store::Checkpointer> checkpointer_;
    metrics::Registry registry_;
    DaemonMetrics metrics_;
    HttpRouter router_;
    std::unique_ptr<HttpServer> http_;
    zmq::context_t zmq_;
    std::unique_ptr<AlertPublisher> publisher_;
    std::vector<notify::Destination> notify_destinations_;  // secrets read, until start_notifier()
    std::unique_ptr<notify::Notifier> notifier_;            // its threads read the store on their own
    std::unordered_set<std::string> in_flight_;             // dedupe keys being committed
    DedupeIndex dedupe_;                                    // dedupe keys journaled, and where
    std::int64_t next_event_seq_ = 1;                       // the journal seq the next event gets
    std::size_t pending_ = 0;                               // commits not yet answered
    bool degraded_ = false;                                 // a commit failed: reload before going on
    bool last_commit_failed_ = false;                       // for /healthz: the disk is refusing commits
    bool stopping_ = false;
    // Keeps run() going while commits are pending after the sockets have closed.
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> drain_guard_;
    int lock_fd_ = -1;
    // Reads each event's text (Assessor::analyze, most of the per-event work) off the event
    // loop. Declared last: destroyed (stopped and joined) before everything it uses.
    boost::asio::thread_pool analysis_pool_{1};
};

}  // namespace ir::daemon
