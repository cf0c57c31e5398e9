#pragma once
// A tiny synchronous HTTP/1.1 GET client (Boost.Beast) with a deadline on every request:
// resolve, connect, write and read together must finish within `timeout`.
#include <chrono>
#include <string>
#include <string_view>

#include "ir/base/expected.hpp"

namespace ir::cli {

struct HostPort {
    std::string host;
    std::string port;
    bool operator==(const HostPort&) const = default;
};

// "127.0.0.1:8080", "localhost:8080", "[::1]:8080". The port is required.
Expected<HostPort> parse_host_port(std::string_view text);

// Percent-encodes a query value (everything but unreserved characters and '/').
std::string url_encode(std::string_view value);

struct HttpReply {
    unsigned status = 0;
    std::string body;
};

class HttpGetClient {
public:
    HttpGetClient(HostPort server, std::chrono::milliseconds timeout);

    // One GET on a fresh connection. An error means no HTTP answer came at all (refused,
    // timed out, malformed); any HTTP status is a reply.
    Expected<HttpReply> get(std::string_view target) const;

    const HostPort& server() const { return server_; }

private:
    HostPort server_;
    std::chrono::milliseconds timeout_;
};

}  // namespace ir::cli
