#include "state_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ir::daemon {

std::unique_ptr<StateLock> StateLock::take(const std::filesystem::path& dir, std::string& error) {
    const int fd = ::open((dir / "inquiryd.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        error = (dir / "inquiryd.lock").string() + ": " + std::strerror(errno);
        return nullptr;
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return std::unique_ptr<StateLock>(new StateLock(fd));
    ::close(fd);
    error = dir.string() + ": another inquiryd is running on this state folder";
    return nullptr;
}

StateLock::~StateLock() {
    ::close(fd_);
}

}  // namespace ir::daemon
