#pragma once
// Moves the WAL's pages into the database file on a thread of its own, with a connection
// of its own, so commits (whose writer has auto_checkpoint = false) only ever wait for the
// WAL's fsync. Its PASSIVE checkpoints never block the writer or readers. Under steady
// commits they never quite catch up, so the WAL would only grow: once it is past
// `restart_pages` and a pass has left only a little uncopied, `caught_up` asks the writer
// to copy that rest itself (GroupCommitter::request_wal_wrap); the WAL then starts over.
// (A RESTART checkpoint would do it from here, but holds the write lock while it copies,
// syncs and waits for readers: commits stalled 10-100 ms behind it.)
// Its pages go to the database file 32 at a time, each batch synced before the next
// (pace_database_writes): a whole pass left to one fsync made commits' WAL fsyncs wait.
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "ir/base/expected.hpp"

namespace ir::store {

struct CheckpointerOptions {
    std::filesystem::path path{};
    std::chrono::milliseconds interval{250};
    int restart_pages = 20'000;         // about 80 MiB of WAL
    std::function<void()> caught_up{};  // on the checkpointer's thread
};

class Checkpointer {
public:
    static Expected<std::unique_ptr<Checkpointer>> start(CheckpointerOptions options);
    ~Checkpointer();  // stops and joins
    Checkpointer(const Checkpointer&) = delete;
    Checkpointer& operator=(const Checkpointer&) = delete;
    std::uint64_t checkpoints() const;

private:
    struct Impl;
    explicit Checkpointer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace ir::store
