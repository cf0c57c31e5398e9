#include "ir/store/group_committer.hpp"

#include <pthread.h>

#include <algorithm>
#include <utility>

namespace ir::store {

Expected<std::unique_ptr<GroupCommitter>> GroupCommitter::start(CommitterOptions options) {
    if (options.queue_capacity == 0 || options.max_batch == 0) {
        return Error{"queue_capacity and max_batch must be at least 1", "store"};
    }
    if (options.database.read_only) {
        return Error{"the group committer needs a writable database", options.database.path.string()};
    }
    auto db = Database::open(options.database);
    if (!db) return db.error();
    return std::unique_ptr<GroupCommitter>(new GroupCommitter(std::move(options), std::move(*db)));
}

GroupCommitter::GroupCommitter(CommitterOptions options, std::unique_ptr<Database> db)
    : options_(std::move(options)), db_(std::move(db)) {
    const std::size_t expected = std::min<std::size_t>(options_.max_batch, 1024);
    batch_.reserve(expected);
    batch_done_.reserve(expected);
    writer_ = std::thread([this] {
        ::pthread_setname_np(::pthread_self(), "ir-writer");  // for top -H and perf
        run();
    });
}

GroupCommitter::~GroupCommitter() {
    stop();
}

bool GroupCommitter::submit(Change change, Done done) {
    DoneWithChange with_change;
    if (done) with_change = [done = std::move(done)](std::optional<Error> e, Change&) { done(std::move(e)); };
    return submit(std::move(change), std::move(with_change));
}

bool GroupCommitter::submit(Change change, DoneWithChange done) {
    {
        const std::lock_guard lock(mutex_);
        if (stopping_ || queue_.size() >= options_.queue_capacity) return false;
        queue_.push_back(Item{std::move(change), std::move(done)});
    }
    wake_.notify_one();
    return true;
}

void GroupCommitter::stop() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (writer_.joinable()) writer_.join();
}

void GroupCommitter::set_max_page_count(std::int64_t pages) {
    const std::lock_guard lock(mutex_);
    pending_max_page_count_ = pages;
}

void GroupCommitter::resume() {
    const std::lock_guard lock(mutex_);
    resume_wanted_ = true;
}

void GroupCommitter::request_wal_wrap() {
    wrap_wanted_ = true;
}

CommitStats GroupCommitter::stats() const {
    const std::lock_guard lock(mutex_);
    CommitStats copy = stats_;
    copy.queued = queue_.size();
    return copy;
}

void GroupCommitter::run() {
    while (take_batch()) {
        commit_batch();
        // After the acks: the events of this batch do not wait for it. A failure here
        // only means the WAL keeps growing until the next try; commits report real errors.
        if (wrap_wanted_.exchange(false)) (void)db_->checkpoint();
    }
}

// Whatever queued up while the last batch was being fsynced becomes the next batch:
// that is the whole trick of group commit.
bool GroupCommitter::take_batch() {
    std::unique_lock lock(mutex_);
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return false;  // stopping, and everything is committed
    quota_ = std::exchange(pending_max_page_count_, std::nullopt);
    if (std::exchange(resume_wanted_, false)) halted_ = false;
    const std::size_t n = std::min(queue_.size(), options_.max_batch);
    for (std::size_t i = 0; i < n; ++i) {
        batch_.push_back(std::move(queue_.front().change));
        batch_done_.push_back(std::move(queue_.front().done));
        queue_.pop_front();
    }
    return true;
}

void GroupCommitter::commit_batch() {
    std::optional<Error> error;
    if (halted_)
        error = Error{"an earlier commit failed: nothing is committed until the daemon recovers",
                      options_.database.path.string()};
    if (quota_)
        if (auto e = db_->set_max_page_count(*quota_); e && !error) error = std::move(e);
    const auto start = std::chrono::steady_clock::now();
    if (!error) error = db_->apply(batch_);
    if (error && options_.stop_after_failure) halted_ = true;
    const auto elapsed = std::chrono::steady_clock::now() - start;
    std::size_t rows = 0;
    for (const Change& change : batch_) rows += change.row_count();
    {
        const std::lock_guard lock(mutex_);
        (error ? stats_.failed_batches : stats_.batches) += 1;
        if (!error) {
            stats_.changes += batch_.size();
            stats_.rows += rows;
        }
        stats_.last_commit = elapsed;
        stats_.total_commit += elapsed;
    }
    if (options_.on_commit) {
        options_.on_commit(
            CommitSample{std::chrono::duration_cast<std::chrono::microseconds>(elapsed), batch_.size(), !error});
    }
    for (std::size_t i = 0; i < batch_done_.size(); ++i) {
        if (batch_done_[i]) batch_done_[i](error, batch_[i]);
    }
    batch_.clear();
    batch_done_.clear();
    quota_.reset();
}

}  // namespace ir::store
