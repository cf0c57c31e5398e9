#pragma once
// The notifier: one worker thread per destination, each with its own read connection to
// the store, reading the durable alert sequence after its own cursor and delivering what
// its filter wants, in seq order, at least once. The daemon calls wake() after every
// commit that stored alerts; a timer (poll_interval) catches anything else. Nothing here
// ever blocks the caller of wake() or another destination.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "ir/notify/destination.hpp"
#include "ir/notify/message.hpp"
#include "ir/base/expected.hpp"

namespace ir::notify {

struct NotifierOptions {
    std::filesystem::path database;   // the store's SQLite file
    std::filesystem::path state_dir;  // cursors go in <state_dir>/notify/<name>.seq
    MessageContext context;
    std::vector<Destination> destinations;
    Millis poll_interval{1000};
    std::string ca_file;  // empty: the system's CA store
};

struct DestinationStatus {
    std::string name;
    std::string kind;
    std::uint64_t sent = 0;      // alerts delivered
    std::uint64_t failed = 0;    // delivery attempts that failed (each is retried or dropped)
    std::uint64_t dropped = 0;   // alerts refused for good (4xx, a wrong signature)
    std::uint64_t messages = 0;  // messages delivered (a digest is one)
    std::size_t pending = 0;     // read, not yet delivered
    double lag_seconds = 0;      // age of the oldest pending alert; 0 when caught up
    bool failing = false;        // the last attempt failed
    std::string last_error;
    std::int64_t delivered_seq = 0;  // the cursor
};

class Notifier {
public:
    // Starts one thread per destination. Errors: a cursor file that cannot be read.
    static Expected<std::unique_ptr<Notifier>> start(NotifierOptions options);
    ~Notifier();
    Notifier(const Notifier&) = delete;
    Notifier& operator=(const Notifier&) = delete;

    // Alerts up to `last_seq` are committed. Takes a mutex per destination for a few
    // instructions, never I/O.
    void wake(std::int64_t last_seq) noexcept;
    // Ends every worker: a delivery in flight is abandoned (it goes again after a restart).
    void stop();
    std::vector<DestinationStatus> status() const;

private:
    struct Impl;
    explicit Notifier(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace ir::notify
