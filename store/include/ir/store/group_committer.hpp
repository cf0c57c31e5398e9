#pragma once
// Group commit: many producers, one writer thread, one fsync per batch. A change is
// acknowledged (its callback runs) only after the transaction holding it is durable.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "ir/base/expected.hpp"
#include "ir/store/database.hpp"
#include "ir/store/rows.hpp"

namespace ir::store {

// One commit attempt, for a latency histogram.
struct CommitSample {
    std::chrono::microseconds latency{0};
    std::size_t changes = 0;  // the batch size
    bool ok = true;
};

struct CommitStats {
    std::uint64_t batches = 0;  // committed ones
    std::uint64_t failed_batches = 0;
    std::uint64_t changes = 0;                // committed changes
    std::uint64_t rows = 0;                   // committed rows of every table
    std::chrono::nanoseconds last_commit{0};  // of every attempt, failed ones included
    std::chrono::nanoseconds total_commit{0};
    std::size_t queued = 0;  // waiting for the writer when stats() was called
};

struct CommitterOptions {
    Options database{};
    std::size_t queue_capacity = 10'000;                   // submit() refuses beyond it: memory stays bounded
    std::size_t max_batch = 1'000;                         // changes per transaction
    std::function<void(const CommitSample&)> on_commit{};  // on the writer thread
    // After a failed batch, fail every later one too until resume(): nothing committed
    // after a failure can then depend on what the failure lost (alert seqs stay gap-free).
    bool stop_after_failure = false;
};

class GroupCommitter {
public:
    // Called on the writer thread, in submission order, once the batch is durable
    // (nullopt) or has failed and left nothing behind (the error). Must not throw.
    using Done = std::function<void(std::optional<Error>)>;
    // The same, given the change as it was committed: the callback may take parts of it
    // (the daemon takes the alert rows it publishes) before the writer frees the batch.
    using DoneWithChange = std::function<void(std::optional<Error>, Change&)>;

    static Expected<std::unique_ptr<GroupCommitter>> start(CommitterOptions options);
    GroupCommitter(const GroupCommitter&) = delete;
    GroupCommitter& operator=(const GroupCommitter&) = delete;
    ~GroupCommitter();  // stop()

    // False at once when the queue is full or the committer is stopping.
    [[nodiscard]] bool submit(Change change, Done done);
    [[nodiscard]] bool submit(Change change, DoneWithChange done);
    // Commits what is queued, then joins the writer. Not from inside a Done callback.
    void stop();
    // Applied by the writer before its next batch (see Options::max_page_count).
    void set_max_page_count(std::int64_t pages);
    // With stop_after_failure: commit again from the next batch on. Thread-safe.
    void resume();
    // Asks the writer to checkpoint the WAL's last frames itself, between two batches. A
    // checkpointer thread copies most of the WAL, but under steady commits new frames
    // always arrive behind it; the WAL only starts over once a checkpoint has copied all
    // of it, which only the writer can do without taking the write lock from under
    // commits (as a RESTART checkpoint does, for as long as it runs). Thread-safe.
    void request_wal_wrap();
    CommitStats stats() const;

private:
    struct Item {
        Change change;
        DoneWithChange done;
    };
    GroupCommitter(CommitterOptions options, std::unique_ptr<Database> db);
    void run();
    bool take_batch();
    void commit_batch();

    CommitterOptions options_;
    std::unique_ptr<Database> db_;  // used by the writer thread only
    std::vector<Change> batch_;     // writer thread only, reused between batches
    std::vector<DoneWithChange> batch_done_;
    std::optional<std::int64_t> quota_;  // writer thread only: a max_page_count to apply
    bool halted_ = false;                // writer thread only: a batch failed, stop_after_failure
    std::atomic<bool> wrap_wanted_{false};

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Item> queue_;
    bool stopping_ = false;
    std::optional<std::int64_t> pending_max_page_count_;
    bool resume_wanted_ = false;
    CommitStats stats_;
    std::thread writer_;  // started in the constructor body, once everything exists
};

}  // namespace ir::store
