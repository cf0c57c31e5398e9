#pragma once
// The path every state change takes, on the io_context thread: an event is checked
// (account, dedupe), analysed off the loop, stepped through the core, committed with its
// rows (group commit), and only then answered; committed alerts then go to every alert
// listener (the ZeroMQ feed, ...). The one timer wakes the core at its next deadline.
// After a failed commit the core is rebuilt from the store before anything else is taken.
// Time comes from the injected WallClock: nothing here reads the system clock.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

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
};

// inquiryd_events_rejected_total{reason}: events refused, counted where they are refused.
metrics::Counter& rejected_events(metrics::Registry& registry, std::string_view reason);

// What /healthz reports.
struct PipelineHealth {
    bool stopping = false;
    bool recovering = false;          // a commit failed; the core is being rebuilt
    bool last_commit_failed = false;  // the disk refuses commits
    std::size_t open_inquiries = 0;
};

class Pipeline {
public:
    using IngestDone = std::function<void(IngestOutcome)>;
    using StepDone = std::function<void(StepOutcome)>;
    // A request's step, decided at `now` on the io thread.
    using Step = std::function<router::StepResult(router::Engine&, sla::TimePoint now)>;
    // Committed alert rows (their payloads are what is stored), in seq order.
    using AlertListener = std::function<void(const std::vector<store::AlertRow>&)>;

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
    void start();  // arms the timer

    // Every channel's events: dedupe, analysis off the loop, core step, commit, then `done`.
    void ingest(router::Event event, IngestDone done);
    // Any other step (reply, accept, presence, order): decided now, committed, then `done`
    // with the committed step. A step routing refused is answered at once, uncommitted.
    // `extra` rows go into the same transaction. `once_key`: a step with this key already
    // waiting for its commit is refused (in_flight).
    void apply(const Step& step, StepDone done, store::Change extra = {}, std::string once_key = {});
    // Why a change would be refused right now, if it would.
    std::optional<Refusal> busy() const;

    // Stops taking changes and the timer; `drained` runs (once, on the io thread) when the
    // last commit in flight has been answered.
    void stop(std::function<void()> drained);
    // A cap on the store's size in pages (store::Options::max_page_count): commits beyond
    // it fail as on a full disk. Applied before the writer's next batch.
    void set_store_quota(std::int64_t pages);
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

    std::optional<std::string> recover();
    std::optional<std::string> load_routing_state(router::EngineState& state);
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
    boost::asio::steady_timer timer_;            // the core's next deadline
    boost::asio::steady_timer retry_timer_;      // recovery after a failed commit, when it failed too
    std::unordered_set<std::string> in_flight_;  // dedupe (and once) keys being committed
    DedupeIndex dedupe_;                         // dedupe keys journaled, and where
    std::int64_t next_event_seq_ = 1;            // the journal seq the next event gets
    std::size_t pending_ = 0;                    // changes taken and not yet answered
    std::size_t queued_bytes_ = 0;               // of the events among them (event_bytes)
    bool recovering_ = false;                    // a commit failed: rebuild before going on
    bool last_commit_failed_ = false;
    bool stopping_ = false;
    std::function<void()> drained_;
    // Reads each event's text (Assessor::analyze, most of the per-event work) off the event
    // loop. Declared last: destroyed (stopped and joined) before everything it uses.
    boost::asio::thread_pool analysis_pool_{1};
};

}  // namespace ir::daemon
