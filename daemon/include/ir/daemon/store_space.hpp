#pragma once
// How much disk the store takes and has left: the size of its files (the database, its
// -wal and -shm) and the free space of the filesystem that holds them. Measured with
// stat and statvfs, a few microseconds whatever the store's size, so the event loop may
// ask several times a second.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace ir::daemon {

// [store] max_bytes and min_free_bytes (0: no limit).
struct StoreLimits {
    std::uint64_t max_bytes = 0;
    std::uint64_t min_free_bytes = 0;
};

struct SpaceSample {
    std::uint64_t used_bytes = 0;
    std::optional<std::uint64_t> free_bytes{};  // unknown when statvfs fails
};

class StoreSpace {
public:
    explicit StoreSpace(std::filesystem::path database) : database_(std::move(database)) {}

    SpaceSample measure() const;
    // Why events must be refused now, or nothing. Events stop while an eighth of max_bytes
    // (at most 64 MiB) is left, so that the steps that follow (alerts, replies) still fit.
    static std::optional<std::string> refusal(const SpaceSample& sample, const StoreLimits& limits);
    // The writer's PRAGMA max_page_count: SQLite refuses to grow the database past max_bytes.
    static std::int64_t page_quota(const StoreLimits& limits);

private:
    std::filesystem::path database_;
};

}  // namespace ir::daemon
