#pragma once
// inquiryd's configuration: one TOML file, every key with a default, unknown keys are
// errors, and every problem is reported (file:line: key: problem) before anything binds.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ir/access/identity.hpp"
#include "ir/notify/destination.hpp"
#include "ir/notify/message.hpp"
#include "ir/routing/agent.hpp"
#include "ir/routing/policy.hpp"
#include "ir/sla/time.hpp"

namespace ir::daemon {

struct HttpConfig {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;
    std::size_t max_body_bytes = 1 << 20;
    sla::Duration request_timeout{10'000};  // a whole request, once its first byte arrived
    sla::Duration idle_timeout{60'000};     // keep-alive connection with nothing to say
    std::size_t max_connections = 1024;
    // Per client address (behind a proxy, every client is the proxy): 0 = no limit.
    std::size_t max_connections_per_client = 64;
    std::size_t rate_per_client = 1000;  // requests a second, a second's worth at once; beyond: 429
    // Plain HTTP on an address other than loopback (behind a trusted network or proxy).
    bool allow_plaintext = false;
    // Host header values accepted (DNS rebinding): empty = the listen address, localhost,
    // 127.0.0.1 and [::1], each with the port and without.
    std::vector<std::string> hosts;
    // Origins a state-changing request may come from: empty = the daemon's own (the console).
    std::vector<std::string> allowed_origins;
    // A second listener that serves only /v1/webhooks/* (for a public reverse proxy).
    std::optional<std::pair<std::string, std::uint16_t>> webhook_listen;

    // PEM files: with both, the listeners (and webhook_listen) speak only TLS 1.2+.
    // The key must be mode 0600 or stricter; SIGHUP reads both again.
    std::filesystem::path tls_cert;
    std::filesystem::path tls_key;

    bool tls() const { return !tls_cert.empty() && !tls_key.empty(); }
};

// [access]: who may call what (docs/operations.md, "Running for a team").
struct AccessConfig {
    bool require = false;               // false: a request with no token may do everything (loopback only)
    std::filesystem::path tokens_file;  // empty: <state_dir>/tokens
    std::string metrics = "loopback";   // "loopback": open when HTTP binds loopback; "token"; "open"
};

struct SlaDurations {
    std::optional<sla::Duration> fast, timely, fast_warning, timely_warning;
};

struct SlaConfig {
    sla::Duration fast{5 * 60'000};
    sla::Duration timely{24 * 3'600'000};
    sla::Duration fast_warning{2 * 60'000};  // lead time before the fast deadline
    sla::Duration timely_warning{4 * 3'600'000};
    sla::Duration late_tolerance{1000};              // fired later than this after its moment: late
    std::map<std::string, SlaDurations> accounts;    // [sla.accounts."<id>"]
    std::map<int, SlaDurations> tiers;               // [sla.tiers.<1-4>]
    std::map<std::string, std::string> clock_scope;  // account -> "conversation" | "buyer"
};

// A secret given inline (`app_secret = "..."`) or by file (`app_secret_file = "/etc/..."`);
// read at start, never logged.
// A secret as the config names it: inline (`key`), a file (`key_file`), or a systemd
// credential (`key_credential`: a file of that name in $CREDENTIALS_DIRECTORY, which
// LoadCredential= fills; readable by the service whatever its user).
struct SecretRef {
    std::string value;
    std::filesystem::path file;
    std::string credential;
    std::string key;  // the config key, for errors ("adapters.whatsapp.app_secret")
    bool given() const { return !value.empty() || !file.empty() || !credential.empty(); }
};

// [[adapters.email]]: one Maildir per store account.
struct EmailAdapterConfig {
    std::string account;
    std::filesystem::path maildir;       // what the mail fetcher delivers into
    std::filesystem::path sent_maildir;  // optional: our own sent mail stops the clocks
    std::filesystem::path quarantine;    // unparseable mail goes here, with a reason file
    std::vector<std::string> own_addresses;
    std::string trusted_authserv_id;     // inbox mail From an own address with its dmarc=pass is our reply
    sla::Duration poll_interval{30000};  // a full look besides inotify (polling every 1 s without it)
    sla::Duration parse_budget{1000};    // a parse that takes longer moves to the account's slow lane
    sla::Duration parse_timeout{5000};   // the slow lane's time for it; past that: quarantined
    std::size_t slow_parses_per_minute = 6;
    sla::Duration date_skew = std::chrono::minutes(15);        // Date: further than this from Received: is not taken
    sla::Duration cur_lookback = std::chrono::hours(24 * 14);  // mail filed straight into cur/: how far back
    std::size_t max_bytes = 10u << 20;
    std::filesystem::path worker;  // the mail parser process; empty: inquiryd-mailparse beside inquiryd
};

struct WhatsAppAdapterConfig {
    std::string account;
    SecretRef app_secret;                                 // checks X-Hub-Signature-256
    SecretRef verify_token;                               // answers Meta's GET handshake
    std::map<std::string, std::string> phone_number_ids;  // metadata.phone_number_id -> account
};

struct TelegramAdapterConfig {
    std::string account;
    SecretRef secret_token;  // X-Telegram-Bot-Api-Secret-Token
};

struct MarketplaceAdapterConfig {
    std::string platform;  // alibaba, aliexpress, amazon, ebay
    std::string account;
    SecretRef secret;                           // X-Signature-256
    std::map<std::string, std::string> fields;  // field -> JSON pointer, over the defaults
};

struct AdaptersConfig {
    std::vector<EmailAdapterConfig> email;
    std::optional<WhatsAppAdapterConfig> whatsapp;
    std::optional<TelegramAdapterConfig> telegram;
    std::map<std::string, MarketplaceAdapterConfig> marketplace;  // by platform
};

// [routing] and [[agents]]: who answers what, and how long an assignment waits for accept.
struct RoutingConfig {
    routing::RoutingPolicy policy;
    std::vector<routing::AgentSpec> agents;                // routed to (admins are not); empty: routing off
    std::vector<access::Identity> identities;              // every [[agents]] entry, admins included
    std::map<std::string, std::string> agent_addresses;    // lower-case reply address -> agent id
    std::map<std::string, notify::AgentContact> contacts;  // agent id -> mobile, language (notifications)
};

// [notify] and its [[notify.destinations]]: where alerts are delivered besides ZeroMQ.
struct NotifyTarget {
    notify::DestinationSpec spec;
    SecretRef secret;  // dingtalk/feishu signing secret, telegram bot token
};

struct NotifyConfig {
    std::string console_url;  // links in messages: <console_url>/inquiries/<id>
    sla::Duration poll_interval{1000};
    std::vector<NotifyTarget> destinations;
};

// [retention]: what is kept of inquiries resolved long ago (docs/operations.md, "Retention").
struct RetentionConfig {
    // Resolved longer ago than this: journal payloads, details and customer identities are
    // erased; the reply-time ranking keeps them as aggregates. None: everything is kept.
    std::optional<sla::Duration> resolved_after;
};

// [store]: the disk the store may use; beyond, events are refused (503) before SQLite fails.
struct StoreConfig {
    std::uint64_t max_bytes = 0;                // inquiryd.db with its -wal and -shm; 0 = no limit
    std::uint64_t min_free_bytes = 128u << 20;  // free space the state folder's filesystem keeps
};

// min(RAM / 8, 256 MiB), RAM being the cgroup's memory.max when that is smaller.
std::size_t default_max_queued_bytes();

struct Config {
    std::string source = "(built-in defaults)";
    std::filesystem::path state_dir = "state";
    std::string catalog_path;  // empty: no catalogue, every account is accepted
    std::string rules_path;    // empty: the compiled-in rules
    HttpConfig http;
    std::string pub_endpoint = "tcp://127.0.0.1:5556";
    std::string log_level = "info";
    std::size_t ingest_queue = 8192;  // events waiting for their commit; beyond it: 503
    std::size_t commit_batch = 512;   // events at most per transaction (group commit)
    // Request bodies and events held in memory until answered; unset: default_max_queued_bytes().
    std::optional<std::size_t> max_queued_bytes;
    StoreConfig store;
    SlaConfig sla;
    AdaptersConfig adapters;
    RoutingConfig routing;
    NotifyConfig notify;
    AccessConfig access;
    RetentionConfig retention;

    std::size_t queued_bytes() const { return max_queued_bytes.value_or(default_max_queued_bytes()); }
    std::filesystem::path tokens_file() const {
        return access.tokens_file.empty() ? state_dir / "tokens" : access.tokens_file;
    }
};

struct ConfigResult {
    Config config;
    std::vector<std::string> errors;  // empty when the config is good
};

// Parses TOML text; `source` names the file in the errors.
ConfigResult parse_config(std::string_view toml_text, std::string source);
// Reads and parses a file (errors name it when it cannot be read).
ConfigResult load_config(const std::filesystem::path& path);

// "127.0.0.1:8080" -> host and port; nullopt if malformed.
std::optional<std::pair<std::string, std::uint16_t>> parse_listen(std::string_view text);

// A complete, commented config with every default: what --print-default-config prints.
std::string_view default_config_toml();

}  // namespace ir::daemon
