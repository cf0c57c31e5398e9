#include "read_thread.hpp"

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <exception>

namespace ir::daemon {

namespace {
constexpr int kReadNice = 10;
}  // namespace

Expected<std::unique_ptr<ReadThread>> ReadThread::open(const std::filesystem::path& database, std::size_t max_queued) {
    store::Options o;
    o.path = database;
    o.read_only = true;
    auto db = store::Database::open(o);
    if (!db) return db.error();
    return std::unique_ptr<ReadThread>(new ReadThread(std::move(*db), max_queued));
}

ReadThread::ReadThread(std::unique_ptr<store::Database> db, std::size_t max_queued)
    : db_(std::move(db)), max_queued_(max_queued), thread_([this] { run(); }) {}

ReadThread::~ReadThread() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

bool ReadThread::submit(Read read) {
    {
        std::lock_guard lock(mutex_);
        if (queue_.size() >= max_queued_) return false;
        queue_.push_back(std::move(read));
    }
    wake_.notify_one();
    return true;
}

std::size_t ReadThread::queued() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
}

void ReadThread::run() {
    ::pthread_setname_np(::pthread_self(), "ir-reads");
    // Below the io, analysis and writer threads: on a busy machine a long list waits,
    // the timers and the ingest path do not (Linux: a thread's own nice value).
    ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), kReadNice);
    for (;;) {
        Read read;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;
            read = std::move(queue_.front());
            queue_.pop_front();
        }
        // A read answers its own request (a Responder may be called from any thread); one
        // that throws has its Responder answer 500 as it unwinds.
        try {
            read(*db_);
        } catch (const std::exception&) {
        }
    }
}

}  // namespace ir::daemon
