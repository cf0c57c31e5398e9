// [adapters]: the channels that feed inquiryd besides POST /v1/events.
#include "config_adapters.hpp"

namespace ir::daemon {

// `<name>` inline, `<name>_file` or `<name>_credential`: one of them.
void read_secret(Reader& r, const toml::table& t, const std::string& prefix, const std::string& name, SecretRef& out) {
    out.key = prefix + "." + name;
    r.string(t, prefix, name, out.value);
    std::string file;
    r.string(t, prefix, name + "_file", file);
    out.file = file;
    r.string(t, prefix, name + "_credential", out.credential);
    if (out.credential.find('/') != std::string::npos)
        r.problem(t.get(name + "_credential"), out.key + "_credential",
                  "is a credential's name (LoadCredential=NAME:PATH), not a path");
    const int given = !out.value.empty() + !file.empty() + !out.credential.empty();
    if (given > 1) r.problem(&t, out.key, "give one of " + name + ", " + name + "_file or " + name + "_credential");
}

namespace {

void require(Reader& r, const toml::table& t, const std::string& prefix, std::string_view key, bool present) {
    if (!present) r.problem(&t, Reader::join(prefix, key), "is required");
}

void read_email(Reader& r, const toml::table& t, const std::string& prefix, EmailAdapterConfig& e) {
    r.only_keys(t, prefix,
                {"account", "maildir", "sent_maildir", "quarantine", "own_addresses", "poll_interval", "parse_timeout",
                 "cur_lookback", "max_bytes", "worker", "trusted_authserv_id", "date_skew", "parse_budget",
                 "slow_parses_per_minute"});
    std::string maildir, sent, quarantine;
    r.string(t, prefix, "account", e.account);
    r.string(t, prefix, "maildir", maildir);
    r.string(t, prefix, "sent_maildir", sent);
    r.string(t, prefix, "quarantine", quarantine);
    e.maildir = maildir;
    e.sent_maildir = sent;
    e.quarantine =
        quarantine.empty() && !maildir.empty() ? e.maildir / "quarantine" : std::filesystem::path(quarantine);
    r.string_list(t, prefix, "own_addresses", e.own_addresses);
    r.string(t, prefix, "trusted_authserv_id", e.trusted_authserv_id);
    r.duration(t, prefix, "poll_interval", e.poll_interval);
    r.duration(t, prefix, "parse_budget", e.parse_budget);
    r.duration(t, prefix, "parse_timeout", e.parse_timeout);
    r.integer(t, prefix, "slow_parses_per_minute", e.slow_parses_per_minute, 1, 1000);
    r.duration(t, prefix, "cur_lookback", e.cur_lookback);
    r.duration(t, prefix, "date_skew", e.date_skew);
    r.integer(t, prefix, "max_bytes", e.max_bytes, 1024, std::int64_t{1} << 30);
    std::string worker;
    r.string(t, prefix, "worker", worker);
    e.worker = worker;
    require(r, t, prefix, "account", !e.account.empty());
    require(r, t, prefix, "maildir", !maildir.empty());
}

void read_string_map(Reader& r, const toml::table& t, const std::string& prefix, std::string_view key,
                     std::map<std::string, std::string>& out) {
    const auto* m = r.table(t, prefix, key);
    if (!m) return;
    for (const auto& [k, v] : *m) {
        if (auto s = v.value<std::string>(); s && v.is_string())
            out[std::string(k.str())] = *s;
        else
            r.problem(&v, Reader::join(prefix, key) + "." + std::string(k.str()), "must be a string");
    }
}

void read_email_list(Reader& r, const toml::node& n, std::vector<EmailAdapterConfig>& out) {
    const auto* arr = n.as_array();
    if (!arr) return r.problem(&n, "adapters.email", "must be an array of tables: [[adapters.email]]");
    for (std::size_t i = 0; i < arr->size(); ++i) {
        const std::string prefix = "adapters.email[" + std::to_string(i) + "]";
        const auto* et = (*arr)[i].as_table();
        if (!et) {
            r.problem(&(*arr)[i], prefix, "must be a table");
            continue;
        }
        read_email(r, *et, prefix, out.emplace_back());
    }
}

void read_whatsapp(Reader& r, const toml::table& w, WhatsAppAdapterConfig& c) {
    const std::string prefix = "adapters.whatsapp";
    r.only_keys(w, prefix,
                {"account", "app_secret", "app_secret_file", "app_secret_credential", "verify_token",
                 "verify_token_file", "verify_token_credential", "phone_number_ids"});
    r.string(w, prefix, "account", c.account);
    read_secret(r, w, prefix, "app_secret", c.app_secret);
    read_secret(r, w, prefix, "verify_token", c.verify_token);
    read_string_map(r, w, prefix, "phone_number_ids", c.phone_number_ids);
    require(r, w, prefix, "account", !c.account.empty() || !c.phone_number_ids.empty());
    require(r, w, prefix, "app_secret", c.app_secret.given());
    require(r, w, prefix, "verify_token", c.verify_token.given());
}

void read_telegram(Reader& r, const toml::table& tg, TelegramAdapterConfig& c) {
    const std::string prefix = "adapters.telegram";
    r.only_keys(tg, prefix, {"account", "secret_token", "secret_token_file", "secret_token_credential"});
    r.string(tg, prefix, "account", c.account);
    read_secret(r, tg, prefix, "secret_token", c.secret_token);
    require(r, tg, prefix, "account", !c.account.empty());
    require(r, tg, prefix, "secret_token", c.secret_token.given());
}

void read_marketplaces(Reader& r, const toml::table& m, AdaptersConfig& a) {
    for (const auto& [platform, node] : m) {
        const std::string prefix = "adapters.marketplace." + std::string(platform.str());
        const auto* pt = node.as_table();
        if (!pt) {
            r.problem(&node, prefix, "must be a table");
            continue;
        }
        r.only_keys(*pt, prefix, {"account", "secret", "secret_file", "secret_credential", "fields"});
        auto& c = a.marketplace[std::string(platform.str())];
        c.platform = platform.str();
        r.string(*pt, prefix, "account", c.account);
        read_secret(r, *pt, prefix, "secret", c.secret);
        read_string_map(r, *pt, prefix, "fields", c.fields);
        require(r, *pt, prefix, "account", !c.account.empty());
        require(r, *pt, prefix, "secret", c.secret.given());
    }
}

}  // namespace

void read_adapters(Reader& r, const toml::table& t, AdaptersConfig& a) {
    r.only_keys(t, "adapters", {"email", "whatsapp", "telegram", "marketplace"});
    if (const auto* n = t.get("email")) read_email_list(r, *n, a.email);
    if (const auto* w = r.table(t, "adapters", "whatsapp")) read_whatsapp(r, *w, a.whatsapp.emplace());
    if (const auto* tg = r.table(t, "adapters", "telegram")) read_telegram(r, *tg, a.telegram.emplace());
    if (const auto* m = r.table(t, "adapters", "marketplace")) read_marketplaces(r, *m, a);
}

}  // namespace ir::daemon
