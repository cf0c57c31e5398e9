#pragma once
// `inquiryctl tail`: follow the daemon's alerts on one topic prefix (ZeroMQ SUB), with
// back-fill and gap repair over the HTTP API (GET /v1/alerts), printed in seq order.
#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "client_auth.hpp"
#include "ir/base/expected.hpp"

namespace CLI {
class App;
}

namespace ir::cli {

struct TailOptions {
    std::string agent;                   // --agent ID: topic agent/<ID>/
    bool escalations = false;            // --escalations: topic escalation/ (all accounts) ...
    std::string account;                 // ... or escalation/<ID>/ with --account ID
    std::string queue;                   // --queue NAME: topic queue/<NAME>/
    std::optional<std::uint64_t> since;  // back-fill everything after it; none: only new alerts
    bool json = false;                   // one JSON object per alert instead of a readable line
    bool notify = false;                 // --notify: a desktop notification per alert too
    std::string http = "127.0.0.1:8080";
    std::string sub = "tcp://127.0.0.1:5556";
    std::optional<double> for_seconds;  // stop after this long; none: until SIGINT/SIGTERM
    ClientAuth auth;
    std::string curve_key;   // --curve-key FILE: our CURVE key pair (inquiryctl keygen's output)
    std::string server_key;  // --server-key KEY|FILE: the daemon's public key (<state_dir>/curve.pub)
    // Not on the command line:
    std::chrono::milliseconds http_timeout{5000};
    std::chrono::milliseconds quiet_check{5000};  // with no live alert for this long, ask the API
};

// Registers `tail` and its options on `app`, filling `options` when it is parsed.
CLI::App* add_tail_subcommand(CLI::App& app, TailOptions& options);

// The topic prefix the options select, or what is wrong with them.
Expected<std::string> tail_topic(const TailOptions& options);

// Runs until --for elapses or SIGINT/SIGTERM; one line per alert on `out`, diagnostics on
// `err`. Returns 0, or 2 when it cannot start (bad options or endpoint, HTTP API not reachable).
int run_tail(const TailOptions& options, std::ostream& out, std::ostream& err);

}  // namespace ir::cli
