#include "access_control.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

namespace ir::daemon {
namespace {

using Steady = std::chrono::steady_clock;
constexpr auto kRecheck = std::chrono::milliseconds(250);  // how soon a revocation is seen
constexpr int kLinesPerSecond = 5;

std::shared_ptr<spdlog::logger> access_logger() {
    if (auto log = spdlog::get("access")) return log;
    return spdlog::stderr_color_mt("access");
}

// What tells a changed file apart: inquiryctl renames a new file over the old one.
struct FileStamp {
    ino_t inode = 0;
    off_t size = -1;
    std::int64_t mtime_ns = 0;
    bool operator==(const FileStamp&) const = default;
};

FileStamp stamp_of(const std::filesystem::path& p) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return {};
    return {st.st_ino, st.st_size, st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec};
}

}  // namespace

struct AccessControl::Loaded {
    FileStamp stamp;
    std::unordered_map<std::string, access::TokenRecord> tokens;  // by id
    std::unordered_map<std::string, std::string> curve;           // public key -> agent
};

AccessControl::AccessControl(const Config& config, metrics::Registry& registry)
    : identities_(config.routing.identities),
      tokens_file_(config.tokens_file()),
      required_(config.access.require),
      registry_(registry),
      log_(access_logger()),
      loaded_(std::make_unique<Loaded>()) {}

AccessControl::~AccessControl() = default;

std::optional<std::string> AccessControl::load() {
    const std::lock_guard lock(mutex_);
    return reload();
}

std::optional<std::string> AccessControl::reload() {
    const FileStamp stamp = stamp_of(tokens_file_);
    auto file = access::read_token_file(tokens_file_);
    if (!file) return file.error().message;
    auto next = std::make_unique<Loaded>();
    next->stamp = stamp;
    for (auto& t : file->tokens) {
        if (!identity(t.agent)) log_->warn("token {} names {}, who is not in [[agents]]: it is refused", t.id, t.agent);
        next->tokens.emplace(t.id, std::move(t));
    }
    for (auto& k : file->curve_keys) next->curve.emplace(k.public_key, k.agent);
    for (const auto& [id, t] : loaded_->tokens)
        if (!next->tokens.contains(id)) log_->info("token {} ({}, {}) revoked", id, t.agent, t.label);
    for (const auto& [id, t] : next->tokens)
        if (!loaded_->tokens.contains(id)) log_->info("token {} ({}, {}) known", id, t.agent, t.label);
    loaded_ = std::move(next);
    return std::nullopt;
}

void AccessControl::maybe_reload(bool now_please) {
    const auto now = Steady::now();
    if (now < next_check_ && !now_please) return;
    next_check_ = now + kRecheck;
    if (stamp_of(tokens_file_) == loaded_->stamp) return;
    if (auto e = reload()) log_->error("{}: keeping the tokens as they were", *e);
}

const access::Identity* AccessControl::identity(std::string_view id) const {
    for (const auto& i : identities_)
        if (i.id == id) return &i;
    return nullptr;
}

std::variant<access::Caller, Unauthenticated> AccessControl::authenticate(std::string_view authorization,
                                                                          sla::TimePoint now) {
    if (authorization.empty()) {
        if (!required_) return access::Caller{nullptr, {}, true};
        return Unauthenticated{"missing", "needs Authorization: Bearer TOKEN"};
    }
    constexpr std::string_view bearer = "Bearer ";
    auto presented =
        authorization.starts_with(bearer) ? access::parse_token(authorization.substr(bearer.size())) : std::nullopt;
    if (!presented) return Unauthenticated{"malformed", "the Authorization header is not Bearer and a token"};
    const std::lock_guard lock(mutex_);
    maybe_reload();
    auto it = loaded_->tokens.find(presented->id);
    if (it == loaded_->tokens.end()) {  // just created? look at the file now
        maybe_reload(true);
        it = loaded_->tokens.find(presented->id);
    }
    if (it == loaded_->tokens.end() ||
        !access::same_digest(it->second.secret_hash, access::hash_secret(presented->secret)))
        return Unauthenticated{"unknown", "unknown or revoked token"};
    if (it->second.expired(now)) return Unauthenticated{"expired", "the token has expired"};
    const auto* who = identity(it->second.agent);
    if (!who) return Unauthenticated{"no_identity", "the token's identity is no longer in [[agents]]"};
    return access::Caller{who, it->second.scopes, false};
}

std::optional<std::string> AccessControl::curve_identity(std::string_view public_key_z85) {
    const std::lock_guard lock(mutex_);
    maybe_reload();
    auto it = loaded_->curve.find(std::string(public_key_z85));
    if (it == loaded_->curve.end()) {  // just registered? look at the file now
        maybe_reload(true);
        it = loaded_->curve.find(std::string(public_key_z85));
    }
    if (it == loaded_->curve.end() || !identity(it->second)) return std::nullopt;
    return it->second;
}

void AccessControl::refused(std::string_view reason, std::string_view what) {
    registry_
        .counter("inquiryd_auth_refused_total", "Requests and subscriptions refused by access control, by reason",
                 {{"reason", std::string(reason)}})
        .inc();
    const auto now = Steady::now();
    if (now >= log_window_) {
        if (unlogged_ > 0) log_->warn("{} more refusals in the last second", unlogged_);
        log_window_ = now + std::chrono::seconds(1);
        logged_in_window_ = 0;
        unlogged_ = 0;
    }
    if (++logged_in_window_ <= kLinesPerSecond)
        log_->warn("refused ({}): {}", reason, what);
    else
        ++unlogged_;
}

}  // namespace ir::daemon
