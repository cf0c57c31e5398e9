#pragma once
// The API's reads whose cost grows with the store (lists, catch-up, the ranking) run here,
// on a thread with its own SQLite connection, so the event loop (HTTP, webhooks, timers)
// never waits for one. Bounded: beyond `max_queued` waiting reads, submit() refuses.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "ir/base/expected.hpp"
#include "ir/store/database.hpp"

namespace ir::daemon {

class ReadThread {
public:
    using Read = std::function<void(store::Database&)>;

    static Expected<std::unique_ptr<ReadThread>> open(const std::filesystem::path& database, std::size_t max_queued);
    ~ReadThread();  // runs the reads already queued, then joins
    ReadThread(const ReadThread&) = delete;
    ReadThread& operator=(const ReadThread&) = delete;

    // false: too many reads wait already (the caller answers 503).
    bool submit(Read read);
    std::size_t queued() const;

private:
    ReadThread(std::unique_ptr<store::Database> db, std::size_t max_queued);
    void run();

    std::unique_ptr<store::Database> db_;
    const std::size_t max_queued_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Read> queue_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace ir::daemon
