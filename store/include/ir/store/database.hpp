#pragma once
// One SQLite connection to the store's file: schema, batched writes, reads.
// A Database is used by one thread at a time. The daemon keeps a read-only one on
// its main thread while GroupCommitter writes through its own: in WAL mode readers
// never wait for the writer and always see whole transactions.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ir/base/expected.hpp"
#include "ir/store/rows.hpp"

namespace ir::store {

inline constexpr int kSchemaVersion = 7;

struct Options {
    std::filesystem::path path{};  // parent folders are created when missing (read-write)
    bool read_only = false;        // a reader never migrates; the schema must be current
    std::chrono::milliseconds busy_timeout{5000};
    // A cap on the file size in pages (SQLite clamps it to the current size); writes
    // beyond it fail with "database or disk is full". A quota, and how tests fill the disk.
    std::optional<std::int64_t> max_page_count{};
    // false: this connection never checkpoints the WAL on commit (a Checkpointer does, on
    // its own thread), so no commit waits for the database file's fsync.
    bool auto_checkpoint = true;
    // After a checkpoint lets the WAL start over, a WAL file larger than this is cut back
    // to it (SQLite's journal_size_limit): a burst does not leave a huge file behind.
    std::int64_t wal_size_limit = 128LL << 20;
};

class Database {
public:
    // Opens (creating and migrating when needed) with WAL and synchronous=FULL.
    static Expected<std::unique_ptr<Database>> open(const Options& options);

    Database(Database&&) noexcept;
    Database& operator=(Database&&) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    // Writes every change in one transaction; on any error nothing of it stays.
    [[nodiscard]] std::optional<Error> apply(std::span<const Change> changes);
    [[nodiscard]] std::optional<Error> apply(const Change& change);
    [[nodiscard]] std::optional<Error> set_max_page_count(std::int64_t pages);
    // A PASSIVE checkpoint on this connection: copies what it can of the WAL into the
    // database file and never waits for anyone. Once all of it is copied, the next write
    // transaction starts the WAL over from its head.
    [[nodiscard]] std::optional<Error> checkpoint();

    // The journaled event `seq`, by its primary key: how the daemon checks a dedupe hit.
    Expected<std::optional<EventKey>> event_key(std::int64_t seq);
    Expected<std::vector<EventRow>> events_since(std::int64_t seq, std::size_t limit);
    // Calls `visit(seq, channel, account, message_id)` for every journaled event, in seq
    // order (start-up only: the daemon fills its in-memory dedupe index from it).
    std::optional<Error> scan_event_keys(
        const std::function<void(std::int64_t, std::string_view, std::string_view, std::string_view)>& visit);
    Expected<std::optional<InquiryRow>> inquiry(std::int64_t id);
    Expected<std::vector<InquiryRow>> inquiries(const InquiryFilter& filter);
    // What an inquiry's buyer messages told us (none before its first message).
    Expected<std::optional<DetailRow>> detail(std::int64_t id);
    Expected<std::vector<InquiryRow>> open_inquiries();  // state != "resolved", by id
    Expected<std::vector<AlertRow>> alerts_since(std::int64_t seq, std::string_view topic_prefix, std::size_t limit);
    Expected<std::int64_t> max_alert_seq();  // 0 when there is none
    Expected<std::int64_t> max_inquiry_id();
    Expected<std::int64_t> event_count();
    Expected<std::int64_t> max_event_seq();  // 0 when there is none
    Expected<std::optional<std::string>> meta(std::string_view key);
    // Every meta row whose key starts with `prefix`, by key.
    Expected<std::vector<std::pair<std::string, std::string>>> meta_with_prefix(std::string_view prefix);
    // Start-up: every customer record and every merge.
    Expected<std::vector<CustomerRow>> customers();
    Expected<std::vector<CustomerAliasRow>> customer_aliases();
    // The response-time report's rows, in the order they were recorded.
    Expected<std::vector<ReplyRow>> replies(const ReplyFilter& filter);
    // The latest label of each labelled inquiry after `after_inquiry`, by inquiry id.
    Expected<std::vector<LabelRow>> latest_labels(std::int64_t after_inquiry, std::size_t limit);
    // The inquiry's last buyer message still stored (none once retention emptied it): the
    // one its latest assessment was made from.
    Expected<std::optional<EventRow>> last_inbound_event(std::int64_t inquiry_id);

    const std::filesystem::path& path() const;

private:
    struct Impl;
    explicit Database(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace ir::store
