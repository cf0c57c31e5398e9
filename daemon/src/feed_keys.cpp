#include "feed_keys.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace ir::daemon {
namespace {

std::optional<Error> write_file(const std::filesystem::path& path, const std::string& text, mode_t mode) {
    const auto tmp = path.string() + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) return Error{tmp + ": cannot write: " + std::strerror(errno)};
    const bool ok = ::fchmod(fd, mode) == 0 &&
                    ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) return Error{path.string() + ": cannot write"};
    return std::nullopt;
}

}  // namespace

Expected<CurveKeyPair> load_or_create_feed_keys(const std::filesystem::path& state_dir) {
    const auto secret_file = state_dir / "curve.key";
    struct stat st {};
    if (::stat(secret_file.c_str(), &st) == 0) {
        if ((st.st_mode & 077) != 0)
            return Error{secret_file.string() + ": group or others may read it; run chmod 600 " + secret_file.string()};
        std::ifstream in(secret_file);
        CurveKeyPair keys;
        if (!std::getline(in, keys.public_key) || !std::getline(in, keys.secret_key) || keys.public_key.size() != 40 ||
            keys.secret_key.size() != 40)
            return Error{secret_file.string() + ": not a CURVE key pair (two lines of Z85)"};
        return keys;
    }
    CurveKeyPair keys;
    try {
        keys = new_curve_key_pair();
    } catch (const std::exception& e) {
        return Error{std::string("cannot make a CURVE key pair: ") + e.what()};
    }
    if (auto e = write_file(secret_file, keys.public_key + "\n" + keys.secret_key + "\n", 0600)) return *e;
    if (auto e = write_file(state_dir / "curve.pub", keys.public_key + "\n", 0644)) return *e;
    return keys;
}

}  // namespace ir::daemon
