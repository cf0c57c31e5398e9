// inotify for the Maildir sources.
#include "ir/daemon/maildir_watch.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

namespace ir::daemon {
namespace {

constexpr std::uint32_t kMask = IN_MOVED_TO | IN_CLOSE_WRITE | IN_CREATE | IN_ONLYDIR;

}  // namespace

MaildirWatch::MaildirWatch()
    : inotify_(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)), wake_fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
    failed_ = inotify_ < 0;
}

MaildirWatch::~MaildirWatch() {
    if (inotify_ >= 0) ::close(inotify_);
    if (wake_fd_ >= 0) ::close(wake_fd_);
}

std::string MaildirWatch::add(std::size_t maildir_index, const std::filesystem::path& maildir, Sub sub) {
    const auto dir = maildir / (sub == Sub::cur ? "cur" : "new");
    if (inotify_ < 0) {
        failed_ = true;
        return std::string("inotify_init1: ") + std::strerror(errno);
    }
    const int wd = ::inotify_add_watch(inotify_, dir.c_str(), kMask);
    watches_.push_back({wd, maildir_index, sub, dir});
    if (wd >= 0) return {};
    failed_ = true;
    return dir.string() + ": inotify_add_watch: " + std::strerror(errno);
}

void MaildirWatch::refresh() {
    if (inotify_ < 0) return;
    bool all = true;
    for (auto& w : watches_) {
        if (w.wd < 0) w.wd = ::inotify_add_watch(inotify_, w.dir.c_str(), kMask);
        all = all && w.wd >= 0;
    }
    failed_ = !all;
}

bool MaildirWatch::ok() const {
    return !failed_;
}

void MaildirWatch::wake() {
    const std::uint64_t one = 1;
    if (wake_fd_ >= 0) [[maybe_unused]]
        auto n = ::write(wake_fd_, &one, sizeof one);
}

MaildirWatch::Wake MaildirWatch::wait(std::chrono::milliseconds timeout) {
    Wake out;
    pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {inotify_, POLLIN, 0}};
    const nfds_t n = inotify_ >= 0 ? 2 : 1;
    const int timeout_ms = static_cast<int>(std::min<std::int64_t>(timeout.count(), 24 * 3600 * 1000));
    if (::poll(fds, n, std::max(timeout_ms, 0)) <= 0) return out;  // the timeout, or EINTR: look again
    if (fds[0].revents) {
        std::uint64_t count = 0;
        [[maybe_unused]] auto r = ::read(wake_fd_, &count, sizeof count);
        out.woken = true;
    }
    if (n == 2 && fds[1].revents) read_events(out);
    return out;
}

void MaildirWatch::read_events(Wake& out) {
    alignas(inotify_event) char buf[16384];
    for (;;) {
        const ssize_t len = ::read(inotify_, buf, sizeof buf);
        if (len <= 0) return;  // EAGAIN: all read
        for (ssize_t at = 0; at < len;) {
            const auto* ev = reinterpret_cast<const inotify_event*>(buf + at);
            at += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
            if (ev->mask & IN_Q_OVERFLOW) {
                out.overflow = true;
                continue;
            }
            for (auto& w : watches_) {
                if (w.wd != ev->wd) continue;
                if (ev->mask & IN_IGNORED) {  // the folder was removed or unmounted
                    w.wd = -1;
                    failed_ = true;
                    out.overflow = true;
                } else if (ev->len > 0) {
                    out.changes.push_back({w.maildir, w.sub, ev->name, (ev->mask & IN_CREATE) != 0});
                }
                break;
            }
        }
    }
}

}  // namespace ir::daemon
