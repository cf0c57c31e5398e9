#pragma once
// File moves of the Maildir source: listing new/ (or recent cur/) in a stable order, delivering to cur/,
// quarantining with a reason file. Rename where possible; never delete a mail.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ir::daemon::maildir {

// Entries of DIR/new (regular or not: never followed), by (lstat mtime, name); tmp/ is never read; dot files are
// skipped.
std::vector<std::string> list_new(const std::filesystem::path& maildir);

// The same for DIR/SUB, only files modified at or after `since`.
std::vector<std::string> list_since(const std::filesystem::path& maildir, const char* sub,
                                    std::filesystem::file_time_type since);

// What move_to_cur names NAME in cur/: NAME:2,S unless it has its flags already.
std::string cur_name(const std::string& name);

// new/NAME to cur/NAME:2,S (seen). Empty on success, else the error.
std::string move_to_cur(const std::filesystem::path& maildir, const std::string& name);

struct MailFile;

// Writes QUARANTINE/NAME.reason (reason, time, source) then moves the mail beside it with
// rename(2) (the file itself, not read again), or copies it when the original belongs to a
// mail client's cur/ or the quarantine is on another filesystem. A copy is written from
// `content`, the bytes already read and the rest from the same open file, never by opening
// the path again (it may name a link or a FIFO by then); without `content` (not a regular
// file) nothing is copied. A copy that is already there with its reason is not made twice.
enum class Keep { move, original };
std::string quarantine(const std::filesystem::path& file, const std::filesystem::path& folder,
                       const std::string& reason, Keep keep = Keep::move, const MailFile* content = nullptr);

// Where the daemon records since when it watches MAILDIR: STATE_DIR/maildir-HASH.since.
std::filesystem::path watch_record(const std::filesystem::path& state_dir, const std::filesystem::path& maildir);

// The time in `record`; on the first call (no record yet) now, written down durably.
// nullopt (and `error`) when the record cannot be written.
std::optional<std::filesystem::file_time_type> watched_since(const std::filesystem::path& record, std::string& error);

// A descriptor, closed when it goes.
class OpenFile {
public:
    explicit OpenFile(int fd = -1) : fd_(fd) {}
    ~OpenFile();
    OpenFile(OpenFile&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    OpenFile& operator=(OpenFile&& o) noexcept;
    int get() const { return fd_; }

private:
    int fd_;
};

// A mail as read: what a quarantine copy is made of (never the path again, which may name
// something else by then).
struct MailFile {
    std::string bytes;       // at most max_bytes + 1
    bool whole = false;      // read to its end
    std::uint64_t size = 0;  // fstat's st_size
    std::chrono::system_clock::time_point mtime{};
    OpenFile file;  // still open, for the rest of a mail too big to read
};

// Reads at most max_bytes + 1 bytes; nullopt when the file vanished, or (with `kind` set,
// "a FIFO", "a symbolic link", ...) when it is not a regular file. Opened with O_NOFOLLOW
// and O_NONBLOCK, checked with fstat: never follows a link, never blocks.
std::optional<MailFile> read_mail(const std::filesystem::path& file, std::size_t max_bytes, std::string& error,
                                  std::string& kind);

// What a mode (st_mode) is when it is not a regular file ("a FIFO", ...); empty if it is one.
std::string kind_of(unsigned mode);
// kind_of of the entry itself (lstat); empty for a regular file or one that vanished.
std::string not_regular(const std::filesystem::path& file);

}  // namespace ir::daemon::maildir
