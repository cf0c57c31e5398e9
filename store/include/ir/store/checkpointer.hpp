#pragma once
// Moves the WAL's pages into the database file on a thread of its own, with a connection
// of its own, so commits (whose writer has auto_checkpoint = false) only ever wait for the
// WAL's fsync. PASSIVE checkpoints never block the writer or readers; when the WAL has
// grown past `restart_pages` a RESTART checkpoint lets the WAL start over from its head.
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "ir/router/expected.hpp"

namespace ir::store {

struct CheckpointerOptions {
    std::filesystem::path path{};
    std::chrono::milliseconds interval{250};
    int restart_pages = 20'000;  // about 80 MiB of WAL
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
