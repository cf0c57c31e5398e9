#pragma once
// The HTTP listener's TLS server context, loaded from PEM files and reloadable while
// serving: each new connection takes the context current at its accept, connections
// already open keep theirs. TLS 1.2 and 1.3 only, forward-secret AEAD ciphers only.

#include <boost/asio/ssl/context.hpp>
#include <ir/base/expected.hpp>

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>

namespace ir::daemon {

// A certificate or key that cannot be used; the message names the file.
class TlsError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class TlsContext {
public:
    struct Files {
        std::filesystem::path cert;  // PEM: the leaf certificate, then any intermediates
        std::filesystem::path key;   // PEM: its private key, unencrypted
    };

    // Loads and checks both files (the key must match the certificate and be readable by
    // its owner only); throws TlsError.
    explicit TlsContext(Files files);
    // The same, with the problem as an Error; logs the certificate loaded.
    static Expected<std::shared_ptr<TlsContext>> open(Files files);

    // Reads the files again, e.g. after a renewal (SIGHUP), and logs the outcome. On
    // success new connections use the new certificate; on failure the current one stays
    // in use and the problem is returned. Any thread.
    std::optional<std::string> reload();

    // The context for a new connection; the connection holds it for its life. Any thread.
    [[nodiscard]] std::shared_ptr<boost::asio::ssl::context> current() const;

    // The current certificate's subject and expiry, for the log: "CN=host, until <date>".
    [[nodiscard]] std::string describe() const;

    [[nodiscard]] const Files& files() const noexcept { return files_; }

private:
    static std::shared_ptr<boost::asio::ssl::context> load(const Files& files);

    const Files files_;
    mutable std::mutex mutex_;
    std::shared_ptr<boost::asio::ssl::context> current_;
};

}  // namespace ir::daemon
