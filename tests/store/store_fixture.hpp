#pragma once
// Helpers for the store tests: a fresh folder per test, rows, and bounded waits.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>

#include "ir/store/database.hpp"
#include "ir/store/rows.hpp"

namespace ir::store::test {

// A new folder under the system temp dir, removed with everything in it.
class TempDir {
public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "ir_store_XXXXXX").string();
        if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path file(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

inline EventRow event(const std::string& account, const std::string& message_id,
                      std::optional<std::int64_t> inquiry_id = std::nullopt) {
    EventRow row;
    row.channel = "chat";
    row.account = account;
    row.message_id = message_id;
    row.thread_id = "thread-" + message_id;
    row.received_at = sla::from_unix_ms(1'700'000'000'000);
    row.direction = "inbound";
    row.accepted_at = sla::from_unix_ms(1'700'000'000'123);
    row.inquiry_id = inquiry_id;
    row.payload = std::string("ev\0", 3) + message_id;  // bytes, with a NUL inside
    return row;
}

inline InquiryRow inquiry(std::int64_t id, const std::string& account, const std::string& state) {
    return InquiryRow{id, account, state, sla::from_unix_ms(1'700'000'000'000 + id), "inq-" + std::to_string(id)};
}

inline AlertRow alert(std::int64_t seq, const std::string& topic) {
    return AlertRow{seq, topic, sla::from_unix_ms(1'700'000'100'000 + seq), "alert-" + std::to_string(seq)};
}

// One ingested event as the daemon writes it: the journal row and the inquiry it touched.
inline Change ingest(const std::string& account, const std::string& message_id, std::int64_t inquiry_id) {
    Change c;
    c.events.push_back(event(account, message_id, inquiry_id));
    c.inquiries.push_back(inquiry(inquiry_id, account, "new"));
    return c;
}

// The journaled event with this key, found the slow way: the store keeps no index on it
// (the daemon's in-memory dedupe index does that job).
inline std::optional<EventKey> journaled(Database& db, std::string_view channel, std::string_view account,
                                         std::string_view message_id) {
    std::optional<std::int64_t> seq;
    auto error = db.scan_event_keys([&](std::int64_t s, std::string_view c, std::string_view a, std::string_view m) {
        if (c == channel && a == account && m == message_id) seq = s;
    });
    if (error) throw std::runtime_error(error->message);
    if (!seq) return std::nullopt;
    return db.event_key(*seq).value();
}

inline std::unique_ptr<Database> open_db(const std::filesystem::path& path) {
    auto db = Database::open(Options{.path = path});
    if (!db) throw std::runtime_error(db.error().message);
    return std::move(*db);
}

// Counts callbacks from other threads; waits for a number with a deadline, never blindly.
class Counter {
public:
    void add() {
        {
            const std::lock_guard lock(mutex_);
            ++count_;
        }
        changed_.notify_all();
    }
    bool wait_for(std::size_t n, std::chrono::seconds limit = std::chrono::seconds(60)) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, limit, [&] { return count_ >= n; });
    }
    std::size_t count() const {
        const std::lock_guard lock(mutex_);
        return count_;
    }

private:
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::size_t count_ = 0;
};

// Holds the writer thread inside a callback until opened, so a test can fill the queue.
class Gate {
public:
    void wait_inside() {
        entered_.add();
        std::unique_lock lock(mutex_);
        opened_cv_.wait_for(lock, std::chrono::seconds(60), [&] { return opened_; });
    }
    bool wait_entered() { return entered_.wait_for(1); }
    void open() {
        {
            const std::lock_guard lock(mutex_);
            opened_ = true;
        }
        opened_cv_.notify_all();
    }

private:
    Counter entered_;
    std::mutex mutex_;
    std::condition_variable opened_cv_;
    bool opened_ = false;
};

}  // namespace ir::store::test
