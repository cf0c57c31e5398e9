#pragma once
// What keeps a browser from being turned against the daemon: a Host header that is not
// one of our names is refused (DNS rebinding), and a request that changes state must be
// JSON (a form cannot post it without a preflight) and come from an allowed Origin, when
// it carries one. Webhooks are exempt: they carry their own signatures.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ir/daemon/config.hpp"
#include "ir/daemon/http_server.hpp"

namespace ir::daemon {

struct BrowserRules {
    std::vector<std::string> hosts;    // accepted Host values, lower-case
    std::vector<std::string> origins;  // accepted Origin values, lower-case
};

// From [http] hosts / allowed_origins; empty lists default to the listen address,
// localhost, 127.0.0.1 and [::1] (with `port` and without), over http or https.
BrowserRules browser_rules(const HttpConfig& http, std::uint16_t port, bool tls);

struct GuardRefusal {
    std::string reason;  // the metric's label
    std::string message;
    std::string field;
};
std::optional<GuardRefusal> check_browser(const BrowserRules& rules, const HttpRequest& req);

}  // namespace ir::daemon
