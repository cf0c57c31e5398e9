#pragma once
// The state folder's lock: one inquiryd (or one restore) at a time on a folder.
#include <filesystem>
#include <memory>
#include <string>

namespace ir::daemon {

// An exclusive flock on <dir>/inquiryd.lock, held while the object lives.
class StateLock {
public:
    // nullptr: another process holds it, or the file cannot be opened (`error` says which).
    static std::unique_ptr<StateLock> take(const std::filesystem::path& dir, std::string& error);
    StateLock(const StateLock&) = delete;
    StateLock& operator=(const StateLock&) = delete;
    ~StateLock();

private:
    explicit StateLock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

}  // namespace ir::daemon
