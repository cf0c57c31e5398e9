#pragma once
// What wakes a Maildir source: inotify on the new/ and cur/ folders of its Maildirs, and an
// eventfd that stop() writes. Delivery agents write into tmp/ and rename() into new/
// (IN_MOVED_TO); some write in place (IN_CLOSE_WRITE). A FIFO, a symbolic link or a device
// gets neither, only IN_CREATE, and neither does a mail hard-linked from tmp/ (qmail), so
// created entries are reported too and the source decides by lstat. Without inotify (its limits reached, a filesystem
// that has none) ok() is false and the source falls back to polling; over NFS, changes made on another host are never
// reported, which the source's fallback poll covers.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace ir::daemon {

class MaildirWatch {
public:
    enum class Sub { new_mail, cur };
    struct Change {
        std::size_t maildir = 0;  // the index given to add()
        Sub sub = Sub::new_mail;
        std::string name;
        bool created_only = false;  // IN_CREATE: maybe a file still being written
    };
    struct Wake {
        bool woken = false;     // wake() was called
        bool overflow = false;  // the kernel dropped events: look at everything
        std::vector<Change> changes;
    };

    MaildirWatch();
    ~MaildirWatch();
    MaildirWatch(const MaildirWatch&) = delete;
    MaildirWatch& operator=(const MaildirWatch&) = delete;

    // Watches MAILDIR/SUB; empty on success, else why not (then ok() is false).
    std::string add(std::size_t maildir_index, const std::filesystem::path& maildir, Sub sub);
    // Adds again the watches whose folder went away (IN_IGNORED) and came back.
    void refresh();
    bool ok() const;
    // Returns at the first event, wake() or the timeout, with every event queued by then.
    Wake wait(std::chrono::milliseconds timeout);
    void wake();  // from any thread

private:
    struct Watch {
        int wd = -1;
        std::size_t maildir = 0;
        Sub sub = Sub::new_mail;
        std::filesystem::path dir;
    };
    void read_events(Wake& out);

    int inotify_ = -1;
    int wake_fd_ = -1;
    bool failed_ = false;
    std::vector<Watch> watches_;
};

}  // namespace ir::daemon
