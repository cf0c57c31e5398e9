#pragma once
// Who is calling: the identities of the config, the tokens file (re-read when it changes,
// so a revocation takes effect without a restart), and the CURVE keys registered for the
// alert feed. Refusals are counted (inquiryd_auth_refused_total{reason}) and logged,
// never with the token. Thread-safe: the HTTP handlers and the ZAP thread both ask.
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "ir/access/rules.hpp"
#include "ir/access/token_file.hpp"
#include "ir/daemon/config.hpp"
#include "ir/daemon/metrics.hpp"

namespace spdlog {
class logger;
}

namespace ir::daemon {

// Why a request carries no usable identity (HTTP 401).
struct Unauthenticated {
    std::string reason;   // the metric's label: missing, malformed, unknown, expired, no_identity
    std::string message;  // for the 401 body
};

class AccessControl {
public:
    AccessControl(const Config& config, metrics::Registry& registry);
    ~AccessControl();

    // Reads the tokens file (start-up: an unreadable or group-readable file is an error).
    std::optional<std::string> load();
    bool required() const { return required_; }

    // The caller an `Authorization` header value names ("" when there is none).
    std::variant<access::Caller, Unauthenticated> authenticate(std::string_view authorization, sla::TimePoint now);
    const std::vector<access::Identity>& identities() const { return identities_; }
    const access::Identity* identity(std::string_view id) const;
    // The identity a CURVE client key was registered for (the ZAP handler's question).
    std::optional<std::string> curve_identity(std::string_view public_key_z85);

    // Counted by reason, logged (at most a few lines a second, then a count).
    void refused(std::string_view reason, std::string_view what);

private:
    struct Loaded;
    // With mutex_ held: re-reads the file if it changed, looking at most every 250 ms
    // unless `now_please` (an unknown token or key: it may have been added just now).
    void maybe_reload(bool now_please = false);
    std::optional<std::string> reload();

    std::vector<access::Identity> identities_;
    std::filesystem::path tokens_file_;
    bool required_ = false;
    metrics::Registry& registry_;
    std::shared_ptr<spdlog::logger> log_;
    std::mutex mutex_;
    std::unique_ptr<Loaded> loaded_;
    std::chrono::steady_clock::time_point next_check_{};
    std::chrono::steady_clock::time_point log_window_{};
    int logged_in_window_ = 0;
    int unlogged_ = 0;
};

}  // namespace ir::daemon
