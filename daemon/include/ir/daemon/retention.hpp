#pragma once
// Retention ([retention] resolved_after) and a buyer's erasure (DELETE /v1/customers/{id}),
// off the event loop: a thread with its own store connection (store::Pruner) erases in
// small write transactions with a pause between them, so a commit waits at most one small
// batch for the write lock. What the core holds (the customer records) is forgotten through
// the pipeline, on the io thread, like any other change: committed before it is reported.
//
// A pass erases the inquiries resolved longer ago than resolved_after (store::Pruner says
// what goes and what stays), then forgets the customers of those inquiries that have no
// inquiry left in the store and none open in the core.
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "ir/daemon/metrics.hpp"
#include "ir/daemon/pipeline.hpp"
#include "ir/daemon/wall_clock.hpp"
#include "ir/store/pruner.hpp"

namespace spdlog {
class logger;
}

namespace ir::daemon {

struct RetentionOptions {
    std::filesystem::path database;
    std::optional<sla::Duration> resolved_after;                     // none: no passes, erasure on request only
    std::chrono::milliseconds first_pass{std::chrono::seconds(30)};  // after start()
    std::chrono::milliseconds every{std::chrono::minutes(10)};       // between passes
    std::size_t batch = 50;                                          // inquiries per write transaction
    std::chrono::milliseconds pause{10};                             // between two batches
};

struct RetentionReport {
    store::Erased erased;
    std::vector<CustomerId> customers;  // forgotten, every id each was known by
    std::optional<Refusal> refusal;     // the pipeline did not take the change to the core
    std::optional<std::string> error;   // the store failed (what was done before it stays done)
    store::StoreSize size;
    bool ok() const { return !refusal && !error; }
};

class Retention {
public:
    using Done = std::function<void(RetentionReport)>;

    // `pipeline`, `registry` and `clock` must outlive it.
    static Expected<std::unique_ptr<Retention>> open(boost::asio::io_context& ioc, Pipeline& pipeline,
                                                     metrics::Registry& registry, const WallClock& clock,
                                                     RetentionOptions options);
    ~Retention();  // stop()
    Retention(const Retention&) = delete;
    Retention& operator=(const Retention&) = delete;

    void start();  // the thread; passes on schedule when resolved_after is set
    void stop();   // waits for the job at hand; later ones are dropped

    // A pass now (tests, and the schedule); `done` runs on the io thread. Call on the io thread.
    void run_pass(Done done);
    // Forgets customer `id` and erases every inquiry stored for them. Their customers in the
    // report are empty when nothing was forgotten (an open inquiry keeps them). `who` goes
    // in the audit row. Call on the io thread; `done` runs there.
    void erase_customer(CustomerId id, std::string who, Done done);
    // Erases the inquiries still stored for a customer already forgotten: a request that
    // failed, or was cut short by a stop, after the record went. Same threads as above.
    void erase_leftovers(CustomerId id, Done done);

private:
    using Job = std::function<void()>;
    Retention(boost::asio::io_context& ioc, Pipeline& pipeline, metrics::Registry& registry, const WallClock& clock,
              RetentionOptions options, std::unique_ptr<store::Pruner> pruner);

    // The worker thread.
    void run();
    void submit(Job job);
    bool pause();  // false: stopping
    void pass(Done done);
    std::optional<std::string> erase_batches(std::vector<std::int64_t> ids, RetentionReport& report);
    Expected<std::vector<std::int64_t>> inquiries_of(const std::set<std::uint64_t>& customers);
    Expected<std::set<std::uint64_t>> customers_in_store();
    void erase_inquiries_of(std::set<std::uint64_t> ids, RetentionReport report, Done done);
    void finish(RetentionReport report, Done done);  // measures, then hands over to the io thread

    // The io thread.
    void forget_unreferenced(RetentionReport report, std::set<std::uint64_t> candidates,
                             std::set<std::uint64_t> referenced, Done done);
    // `who`: a request's caller, recorded in the audit table; none for retention's own.
    void forget(std::vector<CustomerId> ids, std::optional<std::string> who, std::function<void(StepOutcome)> done);
    void report(const RetentionReport& report, std::string_view why);

    boost::asio::io_context& ioc_;
    Pipeline& pipeline_;
    metrics::Registry& registry_;
    const WallClock& clock_;
    const RetentionOptions options_;
    std::unique_ptr<store::Pruner> pruner_;  // the worker's only
    std::shared_ptr<spdlog::logger> log_;

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> jobs_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace ir::daemon
