#include "token_command.hpp"

#include <CLI/CLI.hpp>
#include <zmq.h>

#include <algorithm>
#include <chrono>
#include <iostream>

#include "ir/access/token_file.hpp"
#include "ir/adapters/event_json.hpp"
#include "ir/daemon/config.hpp"
#include "ir/sla/duration.hpp"

namespace ir::cli {
namespace {

sla::TimePoint wall_now() {
    return std::chrono::time_point_cast<sla::Duration>(std::chrono::system_clock::now());
}

// The tokens file and the identities the options name, or what is wrong with them.
struct Target {
    std::filesystem::path tokens_file;
    std::optional<std::vector<access::Identity>> identities;  // known with --config only
};

Expected<Target> target_of(const TokenOptions& o) {
    if (o.config.empty() == o.state_dir.empty()) return Error("give --config FILE or --state-dir DIR");
    if (!o.state_dir.empty()) return Target{std::filesystem::path(o.state_dir) / "tokens", std::nullopt};
    auto loaded = daemon::load_config(o.config);
    if (!loaded.errors.empty()) return Error(loaded.errors.front());
    return Target{loaded.config.tokens_file(), loaded.config.routing.identities};
}

std::string when(std::optional<sla::TimePoint> t) {
    return t ? adapters::format_rfc3339(*t) : "never";
}

int fail(std::ostream& err, const std::string& what) {
    err << "inquiryctl token: " << what << "\n";
    return 2;
}

// Reads, edits and writes the file under its lock.
template <class Edit>
int edit_file(const Target& t, std::ostream& err, Edit edit) {
    auto lock = access::TokenFileLock::acquire(t.tokens_file);
    if (!lock) return fail(err, lock.error().message);
    auto file = access::read_token_file(t.tokens_file);
    if (!file) return fail(err, file.error().message);
    if (auto problem = edit(*file)) return fail(err, *problem);
    if (auto e = access::write_token_file(t.tokens_file, *file)) return fail(err, e->message);
    return 0;
}

std::optional<std::string> check_agent(const Target& t, const std::string& agent, std::ostream& err) {
    if (agent.empty()) return "--agent ID is required";
    if (!t.identities) {
        err << "inquiryctl token: no --config: not checking that " << agent << " is in [[agents]]\n";
        return std::nullopt;
    }
    const auto& ids = *t.identities;
    if (std::none_of(ids.begin(), ids.end(), [&](const auto& i) { return i.id == agent; }))
        return "no [[agents]] entry has id \"" + agent + "\"";
    return std::nullopt;
}

int create(const TokenOptions& o, const Target& t, std::ostream& out, std::ostream& err) {
    if (auto e = check_agent(t, o.agent, err)) return fail(err, *e);
    std::vector<access::Scope> scopes;
    for (const auto& s : o.scopes.empty() ? std::vector<std::string>{"api"} : o.scopes) {
        auto scope = access::parse_scope(s);
        if (!scope) return fail(err, "--scope " + s + ": must be api or ingest");
        scopes.push_back(*scope);
    }
    const auto now = wall_now();
    std::optional<sla::TimePoint> expires;
    if (!o.expires.empty()) {
        auto d = sla::parse_duration(o.expires);
        if (!d || d->count() <= 0) return fail(err, "--expires " + o.expires + ": must be like 90d, 12h or 30m");
        expires = now + *d;
    }
    auto made = access::generate_token(o.agent, scopes, now, expires, o.label);
    const int rc = edit_file(t, err, [&](access::TokenFile& f) -> std::optional<std::string> {
        f.tokens.push_back(made.record);
        return std::nullopt;
    });
    if (rc != 0) return rc;
    out << made.token << "\n";
    out.flush();
    err << "token " << made.record.id << " for " << o.agent << ", expires " << when(expires)
        << ": keep it now, it is not shown again\n";
    return 0;
}

int list(const Target& t, std::ostream& out, std::ostream& err) {
    auto file = access::read_token_file(t.tokens_file);
    if (!file) return fail(err, file.error().message);
    const auto now = wall_now();
    for (const auto& r : file->tokens) {
        std::string scopes;
        for (auto s : r.scopes) scopes += (scopes.empty() ? "" : ",") + std::string(access::to_string(s));
        out << "token " << r.id << "  " << r.agent << "  " << scopes << "  created " << when(r.created) << "  expires "
            << when(r.expires) << (r.expired(now) ? " (expired)" : "") << "  " << r.label << "\n";
    }
    for (const auto& k : file->curve_keys)
        out << "curve " << k.public_key << "  " << k.agent << "  registered " << when(k.created) << "  " << k.label
            << "\n";
    return 0;
}

int revoke(const TokenOptions& o, const Target& t, std::ostream& err) {
    return edit_file(t, err, [&](access::TokenFile& f) -> std::optional<std::string> {
        const auto before = f.tokens.size() + f.curve_keys.size();
        std::erase_if(f.tokens, [&](const auto& r) { return r.id == o.id; });
        std::erase_if(f.curve_keys, [&](const auto& k) { return k.public_key == o.id; });
        if (f.tokens.size() + f.curve_keys.size() == before) return "no token or CURVE key " + o.id;
        err << "revoked " << o.id << "\n";
        return std::nullopt;
    });
}

int curve_key(const TokenOptions& o, const Target& t, std::ostream& err) {
    if (auto e = check_agent(t, o.agent, err)) return fail(err, *e);
    std::uint8_t raw[32];
    if (o.public_key.size() != 40 || zmq_z85_decode(raw, o.public_key.c_str()) == nullptr)
        return fail(err, "PUBLIC_KEY must be a Z85 CURVE public key (40 characters; inquiryctl keygen makes one)");
    return edit_file(t, err, [&](access::TokenFile& f) -> std::optional<std::string> {
        std::erase_if(f.curve_keys, [&](const auto& k) { return k.public_key == o.public_key; });
        f.curve_keys.push_back({o.agent, o.public_key, wall_now(), o.label});
        err << "CURVE key registered for " << o.agent << "\n";
        return std::nullopt;
    });
}

int keygen(std::ostream& out, std::ostream& err) {
    char pub[41] = {}, sec[41] = {};
    if (zmq_curve_keypair(pub, sec) != 0) {
        err << "inquiryctl keygen: this libzmq has no CURVE support\n";
        return 2;
    }
    out << pub << "\n" << sec << "\n";
    err << "line 1: the public key (register it: inquiryctl token curve-key --agent ID " << pub
        << "); line 2: the secret key (keep it; pass the file to inquiryctl tail --curve-key)\n";
    return 0;
}

CLI::App* with_target(CLI::App* cmd, TokenOptions& o) {
    cmd->add_option("--config", o.config, "The daemon's config (names the tokens file and the identities)");
    cmd->add_option("--state-dir", o.state_dir, "The daemon's state folder (its tokens file), without a config");
    return cmd;
}

}  // namespace

TokenCommands add_token_subcommands(CLI::App& app, TokenOptions& o) {
    TokenCommands c;
    auto* token = app.add_subcommand("token", "Create, list and revoke API tokens and CURVE keys");
    token->require_subcommand(1);
    c.create = with_target(token->add_subcommand("create", "Print a new token (once) for an identity"), o);
    c.create->add_option("--agent", o.agent, "The [[agents]] id the token acts as")->required();
    c.create->add_option("--scope", o.scopes, "api (default: act with the identity's role) or ingest (post events)");
    c.create->add_option("--expires", o.expires, "Lifetime, e.g. 90d (default: never)");
    c.create->add_option("--label", o.label, "A note shown by list (who or what holds it)");
    c.list = with_target(token->add_subcommand("list", "Tokens and CURVE keys (never the secrets)"), o);
    c.revoke = with_target(token->add_subcommand("revoke", "Revoke a token (by id) or a CURVE key"), o);
    c.revoke->add_option("ID", o.id, "The token id (list shows it) or a CURVE public key")->required();
    c.curve_key = with_target(token->add_subcommand("curve-key", "Register a CURVE client key for the alert feed"), o);
    c.curve_key->add_option("--agent", o.agent, "The [[agents]] id it identifies")->required();
    c.curve_key->add_option("PUBLIC_KEY", o.public_key, "Z85 public key (inquiryctl keygen)")->required();
    c.curve_key->add_option("--label", o.label, "A note shown by list");
    c.keygen = app.add_subcommand("keygen", "Print a new CURVE key pair (public, then secret)");
    return c;
}

int run_token(const TokenCommands& which, const TokenOptions& o, std::ostream& out, std::ostream& err) {
    if (*which.keygen) return keygen(out, err);
    auto target = target_of(o);
    if (!target) return fail(err, target.error().message);
    if (*which.create) return create(o, *target, out, err);
    if (*which.list) return list(*target, out, err);
    if (*which.revoke) return revoke(o, *target, err);
    if (*which.curve_key) return curve_key(o, *target, err);
    return 2;
}

}  // namespace ir::cli
