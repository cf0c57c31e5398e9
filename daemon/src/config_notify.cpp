// [notify]: destinations for alerts (docs/notify.md).
#include "config_notify.hpp"

#include "config_adapters.hpp"

#include <set>

namespace ir::daemon {
namespace {

void read_duration_ms(Reader& r, const toml::table& t, const std::string& prefix, std::string_view key,
                      notify::Millis& out) {
    sla::Duration d = out;
    r.duration(t, prefix, key, d);
    out = d;
}

void read_rate_limit(Reader& r, const toml::table& t, const std::string& prefix, notify::DestinationSpec& d) {
    const auto* n = t.get("rate_limit");
    if (!n) return;
    std::vector<std::string> texts;
    if (n->is_string())
        texts.push_back(*n->value<std::string>());
    else
        r.string_list(t, prefix, "rate_limit", texts);
    for (const auto& text : texts) {
        if (text == "off") {
            d.unlimited = true;
            continue;
        }
        if (auto l = notify::parse_rate_limit(text))
            d.rate_limits.push_back(*l);
        else
            r.problem(n, prefix + ".rate_limit", "\"" + text + "\": must be like \"20/1m\" (or \"off\")");
    }
}

void read_filter(Reader& r, const toml::table& t, const std::string& prefix, notify::Filter& f) {
    r.string_list(t, prefix, "topics", f.topics);
    r.string_list(t, prefix, "kinds", f.kinds);
    r.string_list(t, prefix, "accounts", f.accounts);
    if (const auto* n = t.get("tiers")) {
        const auto* arr = n->as_array();
        if (!arr) return r.problem(n, prefix + ".tiers", "must be an array of tiers, such as [1, 2]");
        for (const auto& e : *arr) {
            auto v = e.value<std::int64_t>();
            if (!e.is_integer() || !v || *v < 1 || *v > 4)
                r.problem(&e, prefix + ".tiers", "must be whole numbers from 1 to 4");
            else
                f.tiers.push_back(static_cast<std::uint32_t>(*v));
        }
    }
}

void read_kind(Reader& r, const toml::table& t, const std::string& prefix, notify::DestinationSpec& d, bool& known) {
    std::string kind;
    r.string(t, prefix, "kind", kind);
    const auto k = notify::kind_from_string(kind);
    known = k.has_value();
    if (k)
        d.kind = *k;
    else
        r.problem(t.get("kind") ? t.get("kind") : &t, prefix + ".kind",
                  "must be one of dingtalk, wecom, feishu, slack, telegram, email, exec");
}

// How hard to try: the rate limits, timeouts, backoff and digest size.
void read_delivery(Reader& r, const toml::table& t, const std::string& prefix, notify::DestinationSpec& d) {
    if (const auto* n = t.get("allow_plain_http")) {
        if (auto v = n->value<bool>(); v && n->is_boolean())
            d.allow_plain_http = *v;
        else
            r.problem(n, prefix + ".allow_plain_http", "must be true or false");
    }
    read_rate_limit(r, t, prefix, d);
    read_duration_ms(r, t, prefix, "timeout", d.timeout);
    read_duration_ms(r, t, prefix, "retry_initial", d.retry_initial);
    read_duration_ms(r, t, prefix, "retry_max", d.retry_max);
    r.integer(t, prefix, "digest_max", d.digest_max, 2, 100'000);
}

// `secret`, `secret_file` or `secret_credential`, as the webhook secrets; required by the
// kinds that sign (and telegram's bot token), refused by the others.
void read_destination_secret(Reader& r, const toml::table& t, const std::string& prefix, NotifyTarget& target,
                             bool kind_known) {
    read_secret(r, t, prefix, "secret", target.secret);
    if (!kind_known) return;
    const auto kind = std::string(notify::to_string(target.spec.kind));
    if (notify::needs_secret(target.spec.kind) && !target.secret.given())
        r.problem(&t, prefix + ".secret", "is required for kind " + kind + " (or secret_file, secret_credential)");
    if (!notify::needs_secret(target.spec.kind) && target.secret.given())
        r.problem(&t, prefix + ".secret", "is not used by kind " + kind + " (its URL carries the key)");
}

void read_destination(Reader& r, const toml::table& t, const std::string& prefix, NotifyTarget& target) {
    r.only_keys(t, prefix,
                {"name",  "kind",  "url",      "secret",  "secret_file",   "secret_credential", "format",     "chat_id",
                 "to",    "from",  "sendmail", "command", "language",      "allow_plain_http",  "rate_limit", "topics",
                 "kinds", "tiers", "accounts", "timeout", "retry_initial", "retry_max",         "digest_max"});
    auto& d = target.spec;
    r.string(t, prefix, "name", d.name);
    bool kind_known = false;
    read_kind(r, t, prefix, d, kind_known);
    r.string(t, prefix, "url", d.url);
    r.string(t, prefix, "format", d.format);
    r.string(t, prefix, "chat_id", d.chat_id);
    r.string_list(t, prefix, "to", d.to);
    r.string(t, prefix, "from", d.from);
    r.string_list(t, prefix, "sendmail", d.sendmail);
    r.string_list(t, prefix, "command", d.command);
    r.string(t, prefix, "language", d.language);
    read_delivery(r, t, prefix, d);
    read_filter(r, t, prefix, d.filter);
    read_destination_secret(r, t, prefix, target, kind_known);
    if (kind_known)
        for (const auto& [key, what] : notify::check_destination(d))
            r.problem(t.get(key) ? t.get(key) : &t, prefix + "." + key, what);
}

}  // namespace

void read_notify(Reader& r, const toml::table& t, NotifyConfig& n) {
    r.only_keys(t, "notify", {"console_url", "poll_interval", "destinations"});
    r.string(t, "notify", "console_url", n.console_url);
    if (!n.console_url.empty() && !n.console_url.starts_with("https://") && !n.console_url.starts_with("http://"))
        r.problem(t.get("console_url"), "notify.console_url", "must be an http:// or https:// URL");
    r.duration(t, "notify", "poll_interval", n.poll_interval);
    const auto* node = t.get("destinations");
    if (!node) return;
    const auto* arr = node->as_array();
    if (!arr) return r.problem(node, "notify.destinations", "must be an array of tables: [[notify.destinations]]");
    std::set<std::string> names;
    for (std::size_t i = 0; i < arr->size(); ++i) {
        const std::string prefix = "notify.destinations[" + std::to_string(i) + "]";
        const auto* dt = (*arr)[i].as_table();
        if (!dt) {
            r.problem(&(*arr)[i], prefix, "must be a table");
            continue;
        }
        NotifyTarget target;
        read_destination(r, *dt, prefix, target);
        if (!target.spec.name.empty() && !names.insert(target.spec.name).second)
            r.problem(dt->get("name"), prefix + ".name", "\"" + target.spec.name + "\" names another destination");
        n.destinations.push_back(std::move(target));
    }
}

void read_agent_contact(Reader& r, const toml::table& t, const std::string& prefix, const std::string& agent,
                        RoutingConfig& c) {
    notify::AgentContact contact;
    r.string(t, prefix, "mobile", contact.mobile);
    r.string(t, prefix, "language", contact.language);
    if (contact.language != "en" && contact.language != "zh")
        r.problem(t.get("language"), prefix + ".language", "must be \"en\" or \"zh\" (the language of notifications)");
    if (contact.mobile.find_first_not_of("+0123456789- ") != std::string::npos)
        r.problem(t.get("mobile"), prefix + ".mobile", "must be a phone number such as \"13800001111\"");
    if (!agent.empty() && (t.get("mobile") || t.get("language"))) c.contacts[agent] = contact;
}

}  // namespace ir::daemon
