#pragma once
// A tiny synchronous HTTP/1.1 GET client (Boost.Beast) with a deadline on every request:
// resolve, connect, write and read together must finish within `timeout`.
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "ir/base/expected.hpp"

namespace ir::cli {

struct HostPort {
    std::string host;
    std::string port;
    bool tls = false;  // https://
    bool operator==(const HostPort&) const = default;
};

// "127.0.0.1:8080", "localhost:8080", "[::1]:8080", with "http://" or "https://" in front
// or not (plain HTTP). The port is required.
Expected<HostPort> parse_host_port(std::string_view text);

// Percent-encodes a query value (everything but unreserved characters and '/').
std::string url_encode(std::string_view value);

struct HttpReply {
    unsigned status = 0;
    std::string body;
};

struct HttpClientOptions {
    std::chrono::milliseconds timeout{5000};
    std::string token;    // sent as Authorization: Bearer TOKEN
    std::string ca_file;  // https: the CA to trust (PEM); empty: the system's store
};

class HttpGetClient {
public:
    HttpGetClient(HostPort server, std::chrono::milliseconds timeout);
    HttpGetClient(HostPort server, HttpClientOptions options);

    // One GET on a fresh connection. An error means no HTTP answer came at all (refused,
    // timed out, malformed); any HTTP status is a reply.
    Expected<HttpReply> get(std::string_view target) const;

    const HostPort& server() const { return server_; }

private:
    HostPort server_;
    HttpClientOptions options_;
};

}  // namespace ir::cli
