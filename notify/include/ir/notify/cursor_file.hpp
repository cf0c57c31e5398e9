#pragma once
// The last alert seq delivered to one destination, kept in a small file of its own in the
// state folder (notify/<name>.seq), replaced atomically (write, rename): a crash leaves
// the old or the new number, never a torn one. Synced to disk at most once a `sync_every`:
// a power cut may then send the last few again (at-least-once), never skip one.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>

#include "ir/base/expected.hpp"

namespace ir::notify {

class CursorFile {
public:
    explicit CursorFile(std::filesystem::path path, std::chrono::milliseconds sync_every = std::chrono::seconds(1));

    // nullopt when there is no file yet (a new destination).
    Expected<std::optional<std::int64_t>> load() const;
    std::optional<Error> store(std::int64_t seq);
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
    std::chrono::milliseconds sync_every_;
    std::chrono::steady_clock::time_point last_sync_{};
};

}  // namespace ir::notify
