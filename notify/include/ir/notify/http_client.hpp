#pragma once
// One HTTP(S) POST at a time, from the calling thread: Boost.Beast over OpenSSL with the
// system's CA store, host name verification and SNI, and one deadline for the whole
// exchange (resolve, connect, TLS handshake, request, answer).
#include <atomic>
#include <memory>
#include <string>

#include "ir/notify/outgoing.hpp"
#include "ir/base/expected.hpp"

namespace ir::notify {

struct HttpAnswer {
    unsigned status = 0;
    Headers headers;
    std::string body;
    std::string header(std::string_view name) const;  // case-insensitive; empty when absent
};

class HttpClient {
public:
    // Loads the system's trusted certificates (OpenSSL's default paths, Debian's
    // ca-certificates). `ca_file` replaces them (tests with their own CA).
    explicit HttpClient(std::string ca_file = {});
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // The answer, whatever its status; an error when no complete answer came back in time
    // (refused, reset, TLS or certificate failure, timeout, malformed). `cancel` set from
    // another thread ends the exchange within 100 ms (shutdown).
    Expected<HttpAnswer> post(const HttpPost& request, std::chrono::milliseconds timeout,
                              const std::atomic<bool>* cancel = nullptr);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ir::notify
