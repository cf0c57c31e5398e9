#include "ir/daemon/config.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <initializer_list>
#include <sstream>

#include "config_adapters.hpp"
#include "config_notify.hpp"
#include "config_reader.hpp"
#include "config_routing.hpp"

namespace ir::daemon {
namespace {

void read_tls(Reader& r, const toml::table& t, HttpConfig& http) {
    std::string cert, key;
    r.string(t, "http", "tls_cert", cert);
    r.string(t, "http", "tls_key", key);
    http.tls_cert = cert;
    http.tls_key = key;
    if (cert.empty() != key.empty()) {
        r.problem(t.get(cert.empty() ? "tls_key" : "tls_cert"), "http.tls_cert",
                  "tls_cert and tls_key go together: give both PEM files, or neither");
    }
}

void read_http(Reader& r, const toml::table& t, HttpConfig& http) {
    r.only_keys(
        t, "http",
        {"listen", "max_body_bytes", "request_timeout", "idle_timeout", "max_connections", "max_connections_per_client",
         "rate_per_client", "allow_plaintext", "hosts", "allowed_origins", "webhook_listen", "tls_cert", "tls_key"});
    if (const auto* n = t.get("listen")) {
        auto v = n->value<std::string>();
        auto hp = v ? parse_listen(*v) : std::nullopt;
        if (!hp)
            r.problem(n, "http.listen", "must be HOST:PORT, such as \"127.0.0.1:8080\"");
        else
            std::tie(http.host, http.port) = *hp;
    }
    r.integer(t, "http", "max_body_bytes", http.max_body_bytes, 1024, std::int64_t{1} << 30);
    r.duration(t, "http", "request_timeout", http.request_timeout);
    r.duration(t, "http", "idle_timeout", http.idle_timeout);
    r.integer(t, "http", "max_connections", http.max_connections, 1, 1'000'000);
    r.integer(t, "http", "max_connections_per_client", http.max_connections_per_client, 0, 1'000'000);
    r.integer(t, "http", "rate_per_client", http.rate_per_client, 0, 100'000'000);
    r.boolean(t, "http", "allow_plaintext", http.allow_plaintext);
    r.string_list(t, "http", "hosts", http.hosts);
    r.string_list(t, "http", "allowed_origins", http.allowed_origins);
    if (const auto* n = t.get("webhook_listen")) {
        auto v = n->value<std::string>();
        http.webhook_listen = v ? parse_listen(*v) : std::nullopt;
        if (!http.webhook_listen) r.problem(n, "http.webhook_listen", "must be HOST:PORT, such as \"127.0.0.1:8081\"");
    }
    read_tls(r, t, http);
}

void read_access(Reader& r, const toml::table& t, AccessConfig& a) {
    r.only_keys(t, "access", {"require", "tokens_file", "metrics"});
    r.boolean(t, "access", "require", a.require);
    std::string file;
    r.string(t, "access", "tokens_file", file);
    a.tokens_file = file;
    r.string(t, "access", "metrics", a.metrics);
    if (a.metrics != "loopback" && a.metrics != "token" && a.metrics != "open")
        r.problem(t.get("metrics"), "access.metrics", "must be \"loopback\", \"token\" or \"open\"");
}

void read_retention(Reader& r, const toml::table& t, RetentionConfig& retention) {
    r.only_keys(t, "retention", {"resolved_after"});
    r.duration(t, "retention", "resolved_after", retention.resolved_after);
    if (retention.resolved_after && *retention.resolved_after < std::chrono::hours(24))
        r.problem(t.get("resolved_after"), "retention.resolved_after",
                  "must be a day or more, such as \"180d\" (leave it out to keep everything)");
}

void read_sla_durations(Reader& r, const toml::table& t, const std::string& prefix, SlaDurations& d) {
    r.only_keys(t, prefix, {"fast", "timely", "fast_warning", "timely_warning", "scope"});
    r.duration(t, prefix, "fast", d.fast);
    r.duration(t, prefix, "timely", d.timely);
    r.duration(t, prefix, "fast_warning", d.fast_warning);
    r.duration(t, prefix, "timely_warning", d.timely_warning);
}

void read_sla(Reader& r, const toml::table& t, SlaConfig& sla) {
    r.only_keys(t, "sla", {"fast", "timely", "fast_warning", "timely_warning", "late_tolerance", "accounts", "tiers"});
    r.duration(t, "sla", "fast", sla.fast);
    r.duration(t, "sla", "timely", sla.timely);
    r.duration(t, "sla", "fast_warning", sla.fast_warning);
    r.duration(t, "sla", "timely_warning", sla.timely_warning);
    r.duration(t, "sla", "late_tolerance", sla.late_tolerance);
    if (const auto* accounts = t["accounts"].as_table()) {
        for (const auto& [id, node] : *accounts) {
            const std::string prefix = "sla.accounts." + std::string(id.str());
            const auto* at = node.as_table();
            if (!at) {
                r.problem(&node, prefix, "must be a table");
                continue;
            }
            read_sla_durations(r, *at, prefix, sla.accounts[std::string(id.str())]);
            if (const auto* scope = at->get("scope")) {
                auto v = scope->value<std::string>();
                if (!v || (*v != "conversation" && *v != "buyer"))
                    r.problem(scope, prefix + ".scope", "must be \"conversation\" or \"buyer\"");
                else
                    sla.clock_scope[std::string(id.str())] = *v;
            }
        }
    }
    if (const auto* tiers = t["tiers"].as_table()) {
        for (const auto& [key, node] : *tiers) {
            const std::string prefix = "sla.tiers." + std::string(key.str());
            const int tier = key.str().size() == 1 ? key.str()[0] - '0' : 0;
            const auto* tt = node.as_table();
            if (tier < 1 || tier > 4 || !tt) {
                r.problem(&node, prefix, "must be a table named 1 to 4");
                continue;
            }
            read_sla_durations(r, *tt, prefix, sla.tiers[tier]);
        }
    }
    if (sla.fast_warning >= sla.fast)
        r.problem(t.get("fast_warning"), "sla.fast_warning", "must be shorter than sla.fast");
    if (sla.timely_warning >= sla.timely)
        r.problem(t.get("timely_warning"), "sla.timely_warning", "must be shorter than sla.timely");
}

// [ingest] and [store]: what may wait in memory, and what the disk may take.
void read_ingest_and_store(Reader& r, const toml::table& root, Config& c) {
    if (const auto* t = root["ingest"].as_table()) {
        r.only_keys(*t, "ingest", {"queue", "commit_batch", "max_queued_bytes"});
        r.integer(*t, "ingest", "queue", c.ingest_queue, 1, 10'000'000);
        r.integer(*t, "ingest", "commit_batch", c.commit_batch, 1, 100'000);
        if (t->contains("max_queued_bytes")) {
            std::size_t bytes = 64 * 1024;
            r.integer(*t, "ingest", "max_queued_bytes", bytes, 64 * 1024, std::int64_t{1} << 40);
            c.max_queued_bytes = bytes;
        }
    }
    if (const auto* t = r.table(root, "", "store")) {
        r.only_keys(*t, "store", {"max_bytes", "min_free_bytes"});
        r.integer(*t, "store", "max_bytes", c.store.max_bytes, 0, std::int64_t{1} << 50);
        r.integer(*t, "store", "min_free_bytes", c.store.min_free_bytes, 0, std::int64_t{1} << 50);
        if (c.store.max_bytes != 0 && c.store.max_bytes < (1u << 20))
            r.problem(t->get("max_bytes"), "store.max_bytes", "must be 0 (no limit) or at least 1048576 (1 MiB)");
    }
}

void read_root(Reader& r, const toml::table& root, Config& c) {
    r.only_keys(root, "",
                {"state_dir", "catalog", "rules", "http", "zmq", "log", "ingest", "store", "sla", "adapters", "routing",
                 "agents", "access", "notify", "simulate", "retention"});
    std::string state_dir = c.state_dir.string();
    r.string(root, "", "state_dir", state_dir);
    c.state_dir = state_dir;
    r.string(root, "", "catalog", c.catalog_path);
    r.string(root, "", "rules", c.rules_path);
    if (const auto* t = root["http"].as_table()) read_http(r, *t, c.http);
    if (const auto* t = root["zmq"].as_table()) {
        r.only_keys(*t, "zmq", {"pub_endpoint"});
        r.string(*t, "zmq", "pub_endpoint", c.pub_endpoint);
    }
    if (const auto* t = root["log"].as_table()) {
        r.only_keys(*t, "log", {"level"});
        r.string(*t, "log", "level", c.log_level);
        static constexpr std::string_view levels[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
        if (std::find(std::begin(levels), std::end(levels), c.log_level) == std::end(levels))
            r.problem(t->get("level"), "log.level", "must be one of trace, debug, info, warn, error, critical, off");
    }
    read_ingest_and_store(r, root, c);
    if (const auto* t = root["sla"].as_table()) read_sla(r, *t, c.sla);
    if (const auto* t = r.table(root, "", "adapters")) read_adapters(r, *t, c.adapters);
    if (const auto* t = r.table(root, "", "routing")) read_routing(r, *t, c.routing);
    if (const auto* n = root.get("agents")) read_agents(r, *n, c.routing);
    if (const auto* t = r.table(root, "", "notify")) read_notify(r, *t, c.notify);
    if (const auto* t = r.table(root, "", "access")) read_access(r, *t, c.access);
    if (const auto* t = r.table(root, "", "retention")) read_retention(r, *t, c.retention);
    (void)r.table(root, "", "simulate");  // simulated people for `inquiryctl simulate`: read there, not here
}

}  // namespace

std::optional<std::pair<std::string, std::uint16_t>> parse_listen(std::string_view text) {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return std::nullopt;
    unsigned port = 0;
    const auto digits = text.substr(colon + 1);
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec != std::errc{} || ptr != digits.data() + digits.size() || port > 65535) return std::nullopt;
    std::string host(text.substr(0, colon));
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    return std::pair{host, static_cast<std::uint16_t>(port)};
}

ConfigResult parse_config(std::string_view toml_text, std::string source) {
    ConfigResult result;
    result.config.source = source;
    Reader r(source, result.errors);
    try {
        const toml::table root = toml::parse(toml_text, source);
        read_root(r, root, result.config);
    } catch (const toml::parse_error& e) {
        result.errors.push_back(source + ":" + std::to_string(e.source().begin.line) + ": " +
                                std::string(e.description()));
    }
    return result;
}

namespace {

// The config keys holding a secret inline.
std::vector<std::string> inline_secrets(const AdaptersConfig& a, const NotifyConfig& n) {
    std::vector<const SecretRef*> refs;
    for (const auto& d : n.destinations) refs.push_back(&d.secret);
    if (a.whatsapp) refs.insert(refs.end(), {&a.whatsapp->app_secret, &a.whatsapp->verify_token});
    if (a.telegram) refs.push_back(&a.telegram->secret_token);
    for (const auto& [platform, m] : a.marketplace) refs.push_back(&m.secret);
    std::vector<std::string> keys;
    for (const auto* ref : refs)
        if (!ref->value.empty()) keys.push_back(ref->key);
    return keys;
}

}  // namespace

ConfigResult load_config(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        ConfigResult r;
        r.errors.push_back(path.string() + ": cannot read the config file");
        return r;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    auto result = parse_config(ss.str(), path.string());
    // A secret inline is only as private as the file: one everybody may read is refused.
    struct stat st {};
    const auto secrets = inline_secrets(result.config.adapters, result.config.notify);
    if (!secrets.empty() && ::stat(path.c_str(), &st) == 0 && (st.st_mode & (S_IROTH | S_IWOTH)) != 0)
        result.errors.push_back(path.string() + ": holds " + secrets.front() +
                                (secrets.size() > 1 ? " and other secrets" : "") +
                                " inline, but every user may read the file: run chmod o-rw " + path.string() +
                                ", or give the secret as a _file or _credential");
    return result;
}

}  // namespace ir::daemon
