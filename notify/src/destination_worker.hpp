#pragma once
// One destination's thread: read alerts after its cursor, filter, rate-limit (digest what
// is over the limit), send, judge the answer, retry or move the cursor on.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "ir/notify/cursor_file.hpp"
#include "ir/notify/notifier.hpp"
#include "ir/notify/outgoing.hpp"
#include "ir/notify/rate_limiter.hpp"
#include "ir/notify/sender.hpp"
#include "ir/notify/verdict.hpp"

namespace spdlog {
class logger;
}
namespace ir::store {
class Database;
}

namespace ir::notify {

class DestinationWorker {
public:
    DestinationWorker(Destination destination, const NotifierOptions& options, std::shared_ptr<spdlog::logger> log);
    ~DestinationWorker();

    // Reads the cursor (a new destination starts after the last stored alert) and starts.
    std::optional<Error> start();
    void wake(std::int64_t last_seq) noexcept;
    void stop();
    DestinationStatus status() const;

private:
    using SteadyTime = std::chrono::steady_clock::time_point;
    void run();
    bool open_store();
    void refill();
    std::optional<InquiryFacts> facts_of(std::uint64_t inquiry_id);
    Batch take_batch(std::size_t room) const;
    void attempt(const Batch& batch);
    void settle(const Batch& batch, const Verdict& verdict, SteadyTime now);    // with mutex_ held
    void postpone(const Batch& batch, const Verdict& verdict, SteadyTime now);  // with mutex_ held
    void advance_cursor(bool force);
    void wait_until(SteadyTime t, bool wake_on_alerts);
    void publish_status();

    Destination destination_;
    const NotifierOptions& options_;
    std::shared_ptr<spdlog::logger> log_;
    CursorFile cursor_file_;
    Sender sender_;
    RateLimiter limiter_;
    Backoff backoff_;
    std::unique_ptr<store::Database> db_;
    std::deque<AlertItem> pending_;
    std::unordered_map<std::uint64_t, InquiryFacts> facts_cache_;
    std::int64_t cursor_ = 0;     // delivered (or not for us) up to here
    std::int64_t stored_ = -1;    // what the cursor file says
    std::int64_t read_upto_ = 0;  // read from the store up to here
    SteadyTime next_attempt_{};
    SteadyTime next_poll_{};
    SteadyTime last_store_{};

    mutable std::mutex mutex_;  // guards the fields below, for a few instructions at a time
    std::condition_variable cv_;
    std::int64_t known_last_ = 0;
    bool stop_requested_ = false;
    DestinationStatus status_;
    std::atomic<bool> cancel_{false};
    std::thread thread_;
};

}  // namespace ir::notify
