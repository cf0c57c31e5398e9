#pragma once
// Online backup and restore of the store's file. A backup reads the live file in one read
// transaction (SQLite's online backup API, every page in one step), so inquiryd keeps
// committing while it runs (WAL: readers and the writer never wait for each other) and the
// copy holds exactly the transactions committed when it began. Nothing is called done
// before PRAGMA integrity_check has passed on the copy.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "ir/base/expected.hpp"

namespace ir::store {

// What a store file holds, counted on the file itself.
struct StoreSummary {
    std::int64_t schema_version = 0;
    std::int64_t bytes = 0;  // pages x page size
    std::int64_t events = 0;
    std::int64_t last_event_seq = 0;
    std::int64_t inquiries = 0;
    std::int64_t open_inquiries = 0;
    std::int64_t alerts = 0;
    std::int64_t last_alert_seq = 0;
    std::int64_t customers = 0;
};

struct BackupReport {
    StoreSummary copied;
    std::chrono::milliseconds took{};
};

// Copies the store at `source` into `dest` (which must not exist): through a temporary file
// beside `dest` that is checked, synced and only then renamed. The copy is one file
// (rollback journal, no WAL beside it).
Expected<BackupReport> backup(const std::filesystem::path& source, const std::filesystem::path& dest);

// Checks a copy before it is used: PRAGMA integrity_check, an Inquiry Router file, a schema
// version this build can open (older ones are migrated when inquiryd opens them).
Expected<StoreSummary> verify_copy(const std::filesystem::path& file);

struct RestoreReport {
    StoreSummary restored;
    std::optional<std::filesystem::path> kept_aside;  // the previous store, if there was one
};

// Puts the verified copy `file` in place of the store `database`. A store already there is
// renamed to `aside` (its WAL, if any, to `aside`-wal: it stays openable) rather than
// overwritten. The caller makes sure no inquiryd uses `database` (inquiryd's lock).
Expected<RestoreReport> restore(const std::filesystem::path& file, const std::filesystem::path& database,
                                const std::filesystem::path& aside);

}  // namespace ir::store
