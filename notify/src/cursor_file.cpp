#include "ir/notify/cursor_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

namespace ir::notify {
namespace {

bool sync_path(const std::filesystem::path& p, int flags) {
    const int fd = ::open(p.c_str(), flags | O_CLOEXEC);
    if (fd < 0) return false;
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

}  // namespace

CursorFile::CursorFile(std::filesystem::path path, std::chrono::milliseconds sync_every)
    : path_(std::move(path)), sync_every_(sync_every) {}

Expected<std::optional<std::int64_t>> CursorFile::load() const {
    std::ifstream in(path_);
    if (!in) {
        std::error_code ec;
        if (!std::filesystem::exists(path_, ec)) return std::optional<std::int64_t>();
        return Error(path_.string() + ": cannot read", "cursor");
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    std::int64_t seq = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), seq);
    if (ec != std::errc{} || ptr != text.data() + text.size() || seq < 0)
        return Error(path_.string() + ": not a sequence number", "cursor");
    return std::optional<std::int64_t>(seq);
}

std::optional<Error> CursorFile::store(std::int64_t seq) {
    std::error_code ec;
    std::filesystem::create_directories(path_.parent_path(), ec);
    const auto tmp = path_.string() + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return Error(tmp + ": " + std::strerror(errno), "cursor");
    const std::string text = std::to_string(seq) + "\n";
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    const auto now = std::chrono::steady_clock::now();
    const bool sync = now - last_sync_ >= sync_every_;
    const bool synced = !sync || ::fsync(fd) == 0;
    ::close(fd);
    if (!written || !synced) return Error(tmp + ": cannot write", "cursor");
    if (::rename(tmp.c_str(), path_.c_str()) != 0) return Error(path_.string() + ": " + std::strerror(errno), "cursor");
    if (sync) {
        sync_path(path_.parent_path(), O_RDONLY | O_DIRECTORY);
        last_sync_ = now;
    }
    return std::nullopt;
}

}  // namespace ir::notify
