#include "ir/daemon/store_space.hpp"

#include <sys/stat.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <cstdio>

namespace ir::daemon {
namespace {

constexpr std::uint64_t kPageSize = 4096;             // SQLite's default, which the store keeps
constexpr std::int64_t kNoPageLimit = 1'073'741'823;  // SQLite's own default max_page_count
constexpr std::uint64_t kMaxHeadroom = std::uint64_t{64} << 20;

std::uint64_t file_size(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

std::string mib(std::uint64_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
    return text;
}

}  // namespace

SpaceSample StoreSpace::measure() const {
    SpaceSample s;
    const std::string db = database_.string();
    s.used_bytes = file_size(db) + file_size(db + "-wal") + file_size(db + "-shm");
    const auto folder = database_.has_parent_path() ? database_.parent_path() : std::filesystem::path(".");
    struct statvfs vfs {};
    if (::statvfs(folder.c_str(), &vfs) == 0)
        s.free_bytes = static_cast<std::uint64_t>(vfs.f_bavail) * static_cast<std::uint64_t>(vfs.f_frsize);
    return s;
}

std::optional<std::string> StoreSpace::refusal(const SpaceSample& sample, const StoreLimits& limits) {
    if (limits.max_bytes != 0) {
        const std::uint64_t headroom = std::min(limits.max_bytes / 8, kMaxHeadroom);
        if (sample.used_bytes + headroom >= limits.max_bytes)
            return "the store takes " + mib(sample.used_bytes) + " of its [store] max_bytes " + mib(limits.max_bytes) +
                   " (events stop " + mib(headroom) + " before it)";
    }
    if (limits.min_free_bytes != 0 && sample.free_bytes && *sample.free_bytes < limits.min_free_bytes)
        return "only " + mib(*sample.free_bytes) + " free on the state folder's filesystem ([store] min_free_bytes " +
               mib(limits.min_free_bytes) + ")";
    return std::nullopt;
}

std::int64_t StoreSpace::page_quota(const StoreLimits& limits) {
    if (limits.max_bytes == 0) return kNoPageLimit;
    return std::max<std::int64_t>(1, static_cast<std::int64_t>(limits.max_bytes / kPageSize));
}

}  // namespace ir::daemon
