#pragma once
// The path every state change takes, on the io_context thread: an event is checked
// (account, dedupe), analysed off the loop, stepped through the core, committed with its
// rows (group commit), and only then answered; committed alerts then go to every alert
// listener (the ZeroMQ feed, ...). The one timer wakes the core at its next deadline.
// After a failed commit the core is rebuilt from the store (off the loop) before anything
// else is taken; the store's space is watched, and while it is short events are refused
// and alerts that come due are published from memory, then stored once there is room.
// Time comes from the injected WallClock: nothing here reads the system clock.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "ir/daemon/core_setup.hpp"
#include "ir/daemon/dedupe_index.hpp"
#include "ir/daemon/metrics.hpp"
#include "ir/daemon/outcome.hpp"
#include "ir/daemon/store_space.hpp"
#include "ir/daemon/wall_clock.hpp"
#include "ir/store/checkpointer.hpp"
#include "ir/store/database.hpp"
#include "ir/store/group_committer.hpp"

namespace spdlog {
class logger;
}

namespace ir::daemon {

struct PipelineOptions {
    std::filesystem::path database;    // the store's file
    std::size_t ingest_queue = 8192;   // changes waiting for their commit; beyond it: saturated
    std::size_t commit_batch = 512;    // changes at most per transaction
    std::size_t max_queued_bytes = 0;  // events' bytes taken and not yet answered; beyond: saturated (0: no limit)
    StoreLimits store_limits{};        // [store] max_bytes, min_free_bytes
};

// inquiryd_events_rejected_total{reason}: events refused, counted where they are refused.
metrics::Counter& rejected_events(metrics::Registry& registry, std::string_view reason);

// What /healthz reports.
struct PipelineHealth {
    bool stopping = false;
    bool recovering = false;          // a commit failed; the core is being rebuilt
    bool last_commit_failed = false;  // the disk refuses commits
    std::size_t open_inquiries = 0;
    std::optional<std::string> degraded;  // why events are refused now (the store's space, a failed commit)
    std::size_t held_alerts = 0;          // published from memory, not stored yet
};

class Pipeline {
public:
    using IngestDone = std::function<void(IngestOutcome)>;
    using StepDone = std::function<void(StepOutcome)>;
    // A request's step, decided at `now` on the io thread.
    using Step = std::function<router::StepResult(router::Engine&, sla::TimePoint now)>;
    // Committed alert rows (their payloads are what is stored), in seq order.
    using AlertListener = std::function<void(const std::vector<store::AlertRow>&)>;
    // A committed step (what changed), after its alerts were published.
    using StepListener = std::function<void(const router::StepResult&)>;

    // `core` and `clock` must outlive the pipeline.
    Pipeline(boost::asio::io_context& ioc, Core& core, const WallClock& clock, metrics::Registry& registry,
             PipelineOptions options);
    ~Pipeline();
    Pipeline(const Pipeline&) = delete;
    Pipeline& operator=(const Pipeline&) = delete;

    // Opens the store (writer, checkpointer, a reader), rebuilds the core and the dedupe
    // index from it. An error says what could not be opened or read.
    std::optional<std::string> open();
    void add_alert_listener(AlertListener listener);
    void add_step_listener(StepListener listener);
    void start();  // arms the timer

    // Every channel's events: dedupe, analysis off the loop, core step, commit, then `done`.
    void ingest(router::Event event, IngestDone done);
    // Any other step (reply, accept, presence, order): decided now, committed, then `done`
    // with the committed step. A step routing refused is answered at once, uncommitted.
    // `extra` rows go into the same transaction. `once_key`: a step with this key already
    // waiting for its commit is refused (in_flight).
    void apply(const Step& step, StepDone done, store::Change extra = {}, std::string once_key = {});
    // An event, or any other step (reply, accept, ...): when the store is short of space,
    // events are refused and steps are not (they are small, and replies stop clocks).
    enum class Work { event, step };
    // Why a change would be refused right now, if it would.
    std::optional<Refusal> busy(Work work = Work::event) const;

    // Stops taking changes and the timer; `drained` runs (once, on the io thread) when the
    // last commit in flight has been answered.
    void stop(std::function<void()> drained);
    // A cap on the store's size in pages (store::Options::max_page_count): commits beyond
    // it fail as on a full disk. Applied before the writer's next batch.
    void set_store_quota(std::int64_t pages);
    // [store] limits (SIGHUP): the writer's page quota, and the space checked again now.
    void set_store_limits(StoreLimits limits);
    // The wall clock moved (or a test advanced it): decide the timer again now.
    void poke_timer();

    const router::Engine& engine() const { return *core_.engine; }
    sla::TimePoint now() const { return clock_.now(); }
    PipelineHealth health() const;
    void refresh_metrics();  // gauges that are read, not counted (before /metrics renders)
    std::size_t journaled_events() const { return dedupe_.size(); }

private:
    struct Metrics;
    struct Commit;
    using Analysis = std::shared_ptr<const router::Assessor::Analysis>;

    // Rebuilding the core (pipeline_recovery.cpp): at start with the journal's keys for
    // the dedupe index; after a failed commit off the loop and without them (the index
    // only ever learns keys that are durable, so it is still right).
    std::optional<std::string> recover();
    static Expected<router::EngineState> read_state(store::Database& db);
    static std::optional<std::string> load_routing_state(store::Database& db, router::EngineState& state);
    void restore(router::EngineState state);
    void recover_off_loop();
    // The store's space and the steps held while it refused them (pipeline_held.cpp).
    void check_space();
    void check_space_soon();  // after a commit: check_space if the last check is a while ago
    void arm_space_check();
    void hold(router::StepResult step, store::Change change, std::function<void(StepOutcome)> done);
    void flush_held();
    void on_flushed(std::optional<Error> error, std::size_t changes, std::size_t alerts);
    void publish_degraded(const router::StepResult& step, const std::vector<store::AlertRow>& alerts);
    Expected<std::optional<store::EventKey>> find_journaled(const router::Event& event, std::string_view key);
    void step_event(router::Event event, std::string key, Analysis analysis, std::shared_ptr<IngestDone> done);
    void commit(router::StepResult step, const router::Event* event, std::function<void(StepOutcome)> done,
                store::Change change = {});
    void on_durable(std::shared_ptr<Commit> commit, std::optional<Error> error, std::vector<store::AlertRow> alerts);
    void publish(const router::StepResult& step, const std::vector<store::AlertRow>& alerts);
    void after_failure();
    void check_drained();
    void arm_timer();
    void on_timer();
    void log_step(const router::StepResult& step) const;

    boost::asio::io_context& ioc_;
    Core& core_;
    const WallClock& clock_;
    PipelineOptions options_;
    std::shared_ptr<spdlog::logger> log_;
    std::unique_ptr<Metrics> metrics_;
    std::unique_ptr<store::GroupCommitter> committer_;
    std::unique_ptr<store::Checkpointer> checkpointer_;
    std::unique_ptr<store::Database> reader_;  // dedupe checks and recovery
    std::vector<AlertListener> listeners_;
    std::vector<StepListener> step_listeners_;
    boost::asio::steady_timer timer_;                   // the core's next deadline
    boost::asio::steady_timer retry_timer_;             // recovery after a failed commit, when it failed too
    boost::asio::steady_timer space_timer_;             // the store's space, measured every kSpaceCheck
    std::unique_ptr<store::Database> recovery_reader_;  // used off the loop, only while recovering
    std::unordered_set<std::string> in_flight_;         // dedupe (and once) keys being committed
    DedupeIndex dedupe_;                                // dedupe keys journaled, and where
    std::int64_t next_event_seq_ = 1;                   // the journal seq the next event gets
    std::size_t pending_ = 0;                           // changes taken and not yet answered
    std::size_t queued_bytes_ = 0;                      // of the events among them (event_bytes)
    bool recovering_ = false;                           // a commit failed: rebuild before going on
    bool last_commit_failed_ = false;
    std::int64_t durable_event_seq_ = 0;  // the last event seq known durable
    // After a failed commit: steps are held (their alerts published from memory) until the
    // store takes them, in order, in one transaction; events and requests are refused.
    bool holding_ = false;
    bool flushing_ = false;
    std::string hold_reason_;
    std::vector<store::Change> held_;
    std::size_t held_alerts_ = 0;
    std::chrono::steady_clock::time_point next_flush_{};
    StoreSpace space_;
    StoreLimits limits_;
    SpaceSample last_space_;
    std::chrono::steady_clock::time_point last_space_check_{};
    std::optional<std::string> space_refusal_;  // set: events are refused, for this reason
    bool stopping_ = false;
    std::function<void()> drained_;
    // Reads each event's text (Assessor::analyze, most of the per-event work) off the event
    // loop. Declared last: destroyed (stopped and joined) before everything it uses.
    boost::asio::thread_pool analysis_pool_{1};
};

}  // namespace ir::daemon
