// Maildir file moves: rename within a filesystem, copy then unlink across filesystems.
#include "ir/daemon/maildir_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>

namespace ir::daemon::maildir {
namespace fs = std::filesystem;

namespace {

bool write_all(int fd, const char* data, std::size_t n) {
    while (n > 0) {
        const ssize_t w = ::write(fd, data, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        data += w;
        n -= static_cast<std::size_t>(w);
    }
    return true;
}

// TO (through TO.tmp, fsynced) from what was read of a mail and the rest of its open file.
std::string write_copy(const MailFile& content, const fs::path& to) {
    const fs::path tmp = to.parent_path() / ("." + to.filename().string() + ".tmp");  // no mail's name starts with '.'
    std::error_code stale;
    fs::remove(tmp, stale);
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return tmp.string() + ": " + std::strerror(errno);
    bool ok = write_all(fd, content.bytes.data(), content.bytes.size());
    char buf[65536];
    for (ssize_t n = 0; ok && !content.whole && (n = ::read(content.file.get(), buf, sizeof buf)) != 0;) {
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0 && write_all(fd, buf, static_cast<std::size_t>(n));
    }
    ok = ::fsync(fd) == 0 && ok;
    ::close(fd);
    std::error_code ec;
    if (!ok) {
        fs::remove(tmp, ec);
        return to.string() + ": the copy could not be written";
    }
    fs::rename(tmp, to, ec);
    return ec ? to.string() + ": " + ec.message() : std::string{};
}

// rename(2); across filesystems, a copy of `content` and then the original removed (never
// a copy by path: it would follow a link or block on a FIFO).
std::string move_file(const fs::path& from, const fs::path& to, const MailFile* content = nullptr) {
    std::error_code ec;
    fs::rename(from, to, ec);
    if (!ec) return {};
    if (ec != std::errc::cross_device_link) return from.string() + " -> " + to.string() + ": " + ec.message();
    if (!content) return from.string() + " -> " + to.string() + ": not copied across filesystems";
    if (auto err = write_copy(*content, to); !err.empty()) return err;
    fs::remove(from, ec);
    return ec ? from.string() + ": copied to " + to.string() + " but not removed: " + ec.message() : std::string{};
}

// A name in `folder` not taken yet: NAME, NAME.1, NAME.2, ...
fs::path free_name(const fs::path& folder, const std::string& name) {
    fs::path p = folder / name;
    auto taken = [](const fs::path& q) {
        std::error_code ec;
        return fs::exists(fs::symlink_status(q, ec));  // a dangling link is taken too
    };
    for (int i = 1; taken(p) || taken(p.string() + ".reason"); ++i) p = folder / (name + "." + std::to_string(i));
    return p;
}

std::string utc_now() {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace

std::string kind_of(unsigned mode) {
    switch (mode & S_IFMT) {
        case S_IFREG:
            return {};
        case S_IFLNK:
            return "a symbolic link";
        case S_IFIFO:
            return "a FIFO";
        case S_IFDIR:
            return "a directory";
        case S_IFCHR:
            return "a character device";
        case S_IFBLK:
            return "a block device";
        case S_IFSOCK:
            return "a socket";
    }
    return "not a regular file";
}

std::vector<std::string> list_new(const fs::path& maildir) {
    return list_since(maildir, "new", fs::file_time_type::min());
}

std::vector<std::string> list_since(const fs::path& maildir, const char* sub, fs::file_time_type since) {
    std::vector<std::pair<fs::file_time_type, std::string>> files;
    std::error_code ec;
    for (fs::directory_iterator it(maildir / sub, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        std::error_code fec;
        if (name.empty() || name[0] == '.') continue;
        // lstat: a symlink, FIFO or device is listed as itself (and quarantined), never followed.
        struct stat st {};
        if (::lstat(it->path().c_str(), &st) != 0) continue;  // vanished meanwhile
        const auto mtime = std::chrono::file_clock::from_sys(
            std::chrono::system_clock::time_point(std::chrono::duration_cast<std::chrono::system_clock::duration>(
                std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec))));
        if (mtime >= since) files.emplace_back(mtime, name);
    }
    std::sort(files.begin(), files.end());
    std::vector<std::string> names;
    names.reserve(files.size());
    for (auto& f : files) names.push_back(std::move(f.second));
    return names;
}

std::string cur_name(const std::string& name) {
    return name.find(":2,") == std::string::npos ? name + ":2,S" : name;
}

std::string move_to_cur(const fs::path& maildir, const std::string& name) {
    std::error_code ec;
    fs::create_directories(maildir / "cur", ec);
    return move_file(maildir / "new" / name, maildir / "cur" / cur_name(name));
}

std::string quarantine(const fs::path& file, const fs::path& folder, const std::string& reason, Keep keep,
                       const MailFile* content) {
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) return folder.string() + ": cannot create the quarantine folder: " + ec.message();
    // A copy kept from an earlier run (cur/ is scanned again after a restart): once is enough.
    if (keep == Keep::original && fs::exists(folder / (file.filename().string() + ".reason"))) return {};
    const fs::path target = free_name(folder, file.filename().string());
    const fs::path why = target.string() + ".reason";
    {
        std::ofstream out(why.string() + ".tmp", std::ios::trunc);
        out << "reason: " << reason << "\ntime: " << utc_now() << "\nsource: " << file.string() << "\n";
        out.flush();
        if (!out) return why.string() + ": cannot write the reason file";
    }
    fs::rename(why.string() + ".tmp", why, ec);
    if (ec) return why.string() + ": " + ec.message();
    if (keep == Keep::move) return move_file(file, target, content);
    if (!content) return {};  // a client's link or FIFO: the reason is all we keep
    return write_copy(*content, target);
}

fs::path watch_record(const fs::path& state_dir, const fs::path& maildir) {
    std::uint64_t h = 14695981039346656037ULL;  // FNV-1a: stable across builds, unlike std::hash
    for (const unsigned char c : fs::absolute(maildir).lexically_normal().string()) h = (h ^ c) * 1099511628211ULL;
    char name[40];
    std::snprintf(name, sizeof name, "maildir-%016llx.since", static_cast<unsigned long long>(h));
    return state_dir / name;
}

std::optional<fs::file_time_type> watched_since(const fs::path& record, std::string& error) {
    using Sys = std::chrono::system_clock;
    long long seconds = 0;
    if (std::ifstream in(record); in >> seconds)
        return std::chrono::file_clock::from_sys(Sys::time_point(std::chrono::seconds(seconds)));
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(Sys::now());
    std::error_code ec;
    fs::create_directories(record.parent_path(), ec);
    const fs::path tmp = record.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << now.time_since_epoch().count() << "\n";
        out.flush();
        if (!out) {
            error = tmp.string() + ": cannot write";
            return std::nullopt;
        }
    }
    if (int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) ::fsync(fd), ::close(fd);
    fs::rename(tmp, record, ec);
    if (ec) {
        error = record.string() + ": " + ec.message();
        return std::nullopt;
    }
    return std::chrono::file_clock::from_sys(now);
}

std::string not_regular(const fs::path& file) {
    struct stat st {};
    if (::lstat(file.c_str(), &st) != 0) return {};
    return kind_of(st.st_mode);
}

OpenFile::~OpenFile() {
    if (fd_ >= 0) ::close(fd_);
}

OpenFile& OpenFile::operator=(OpenFile&& o) noexcept {
    if (this != &o) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
}

std::optional<MailFile> read_mail(const fs::path& file, std::size_t max_bytes, std::string& error, std::string& kind) {
    // Never blocking: a FIFO or a device opens at once and is refused after fstat.
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        if (errno == ELOOP)
            kind = "a symbolic link";
        else if (errno != ENOENT)
            error = file.string() + ": cannot open: " + std::strerror(errno);
        return std::nullopt;
    }
    MailFile mail;
    mail.file = OpenFile(fd);
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        kind = kind_of(st.st_mode);
        return std::nullopt;
    }
    mail.size = static_cast<std::uint64_t>(st.st_size);
    mail.mtime = std::chrono::system_clock::time_point(std::chrono::duration_cast<std::chrono::system_clock::duration>(
        std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec)));
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            error = file.string() + ": cannot read: " + std::strerror(errno);
            return std::nullopt;
        }
        if (n == 0) {
            mail.whole = true;
            break;
        }
        mail.bytes.append(buf, static_cast<std::size_t>(n));
        if (mail.bytes.size() > max_bytes) break;  // the caller refuses it; the size is what it says
    }
    return mail;
}

}  // namespace ir::daemon::maildir
