#include "ir/store/checkpointer.hpp"

#include <pthread.h>

#include <sqlite3.h>

#include <atomic>

#include "batched_wal_vfs.hpp"

namespace ir::store {

namespace {
constexpr int kWriterTailPages = 64;  // what the writer may be asked to copy: about 256 KiB
constexpr int kPacePages = 32;        // see pace_database_writes
}  // namespace

struct Checkpointer::Impl {
    CheckpointerOptions options;
    sqlite3* db = nullptr;
    std::mutex mutex;
    std::condition_variable wake;
    bool stopping = false;
    std::atomic<std::uint64_t> count{0};
    std::thread thread;

    void run() {
        std::unique_lock lock(mutex);
        while (!wake.wait_for(lock, options.interval, [this] { return stopping; })) {
            lock.unlock();
            int wal_pages = 0, moved = 0;
            sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal_pages, &moved);
            if (wal_pages >= options.restart_pages && moved == wal_pages && options.caught_up) {
                // Catch up with more passes (each copies what arrived during the last) until
                // only a little is left, so the writer's own pass stays short.
                for (int pass = 0, before = wal_pages; pass < 8; ++pass, before = wal_pages) {
                    sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal_pages, &moved);
                    if (moved != wal_pages || wal_pages - before <= kWriterTailPages) break;
                }
                if (moved == wal_pages) options.caught_up();
            }
            ++count;
            lock.lock();
        }
    }
    ~Impl() {
        if (db) sqlite3_close_v2(db);
    }
};

Checkpointer::Checkpointer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
    impl_->thread = std::thread([this] {
        ::pthread_setname_np(::pthread_self(), "ir-checkpoint");  // for top -H and perf
        impl_->run();
    });
}

Expected<std::unique_ptr<Checkpointer>> Checkpointer::start(CheckpointerOptions options) {
    auto impl = std::make_unique<Impl>();
    impl->options = std::move(options);
    const std::string where = impl->options.path.string();
    if (sqlite3_open_v2(where.c_str(), &impl->db, SQLITE_OPEN_READWRITE, batched_wal_vfs()) != SQLITE_OK)
        return Error{where + ": cannot open for checkpoints: " + sqlite3_errmsg(impl->db), where};
    // Its PASSIVE passes never wait on locks; this only bounds the first read below. It
    // writes no WAL frames, so the batched-WAL VFS's need for synchronous=FULL does not apply.
    sqlite3_busy_timeout(impl->db, 100);
    // A connection finds the WAL only when it first reads; until then SQLite 3.40's
    // checkpoint calls do nothing at all (and the WAL would grow without end).
    if (sqlite3_exec(impl->db, "PRAGMA journal_mode", nullptr, nullptr, nullptr) != SQLITE_OK)
        return Error{where + ": cannot read for checkpoints: " + sqlite3_errmsg(impl->db), where};
    pace_database_writes(impl->db, kPacePages);
    return std::unique_ptr<Checkpointer>(new Checkpointer(std::move(impl)));
}

Checkpointer::~Checkpointer() {
    {
        std::lock_guard lock(impl_->mutex);
        impl_->stopping = true;
    }
    impl_->wake.notify_one();
    impl_->thread.join();
}

std::uint64_t Checkpointer::checkpoints() const {
    return impl_->count;
}

}  // namespace ir::store
