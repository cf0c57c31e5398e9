#include "ir/adapters/secret.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include <cerrno>
#include <cstring>

namespace ir::adapters {
namespace {

constexpr std::size_t kMaxSecretFileBytes = 64 * 1024;

Error file_error(std::string_view key, const std::string& path, const std::string& what) {
    return Error{"secret file " + path + ": " + what, std::string(key), true};
}

}  // namespace

Secret::~Secret() {
    // The whole buffer, also when empty: a moved-from short string keeps its old bytes.
    OPENSSL_cleanse(value_.data(), value_.capacity());
}

Expected<Secret> load_secret_file(const std::string& path, std::string_view key) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return file_error(key, path, std::strerror(errno));
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0) return file_error(key, path, std::strerror(errno));
    if (!S_ISREG(st.st_mode)) return file_error(key, path, "not a regular file");
    if ((st.st_mode & 077) != 0)
        return file_error(key, path,
                          "permissions are too open (group or others may access it); run: chmod 600 " + path);
    if (static_cast<std::size_t>(st.st_size) > kMaxSecretFileBytes)
        return file_error(key, path, "larger than 64 KiB; is this really a secret?");
    std::string data;
    data.reserve(static_cast<std::size_t>(st.st_size) + 1);  // no reallocation leaves copies behind
    char buf[4096];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int err = errno;
            OPENSSL_cleanse(buf, sizeof buf);
            OPENSSL_cleanse(data.data(), data.capacity());
            return file_error(key, path, std::strerror(err));
        }
        if (n == 0) break;
        data.append(buf, static_cast<std::size_t>(n));
        if (data.size() > kMaxSecretFileBytes) break;
    }
    OPENSSL_cleanse(buf, sizeof buf);
    Secret secret(std::move(data));  // cleansed on every path from here
    std::string_view v = secret.reveal();
    if (v.size() > kMaxSecretFileBytes) return file_error(key, path, "larger than 64 KiB; is this really a secret?");
    if (!v.empty() && v.back() == '\n') {
        v.remove_suffix(1);
        if (!v.empty() && v.back() == '\r') v.remove_suffix(1);
    }
    if (v.empty()) return file_error(key, path, "is empty");
    if (v.size() == secret.reveal().size()) return secret;
    return Secret(std::string(v));
}

Expected<Secret> resolve_secret(std::string_view key, const std::string* inline_value, const std::string* file_path) {
    const std::string file_key = std::string(key) + "_file";
    if (inline_value && file_path)
        return Error{"give either " + std::string(key) + " or " + file_key + ", not both", std::string(key), true};
    if (file_path) return load_secret_file(*file_path, file_key);
    if (!inline_value) return Error{"missing: give " + std::string(key) + " or " + file_key, std::string(key)};
    if (inline_value->empty()) return Error{"must not be empty", std::string(key), true};
    return Secret(*inline_value);
}

}  // namespace ir::adapters
