#pragma once
// Who may do what: the rules every HTTP route and every alert subscription is checked
// against (the route table names one rule per route). Pure: facts in, a decision out.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ir/access/identity.hpp"
#include "ir/access/token.hpp"

namespace ir::access {

enum class Rule : std::uint8_t {
    open,            // no token: /healthz, webhooks (they carry their own signatures)
    ingest,          // a token with the ingest scope, or an admin: POST /v1/events
    caller,          // any identity; the answer shows only what it may see (lists, stats)
    read_inquiry,    // its owner, or anyone with its account
    act_on_inquiry,  // its owner (reply, decline, transfer away, resolve), or who oversees its account
    accept_inquiry,  // anyone with its account (routing decides whether it is theirs to take)
    presence,        // the agent themself, who oversees one of their accounts, an admin
    label_inquiry,   // a supervisor of its account, or an admin: the team's labels the rules learn from
    admin,           // customers and orders, everything else
};
std::string_view to_string(Rule r);

// Who is asking. Without access control (loopback, `require = false`) a request with no
// token is `unrestricted`, as before identities existed.
struct Caller {
    const Identity* identity = nullptr;
    std::vector<Scope> scopes;  // of the token
    bool unrestricted = false;

    bool may_everything() const { return unrestricted || (identity && identity->admin() && has(Scope::api)); }
    bool has(Scope s) const;
};

// What a request about one inquiry is about.
struct InquiryFacts {
    std::string account;
    std::string owner;  // "" while unassigned
};

struct Refused {
    std::string message;  // in words, for the 403 body
    Rule rule;
};

// `inquiry`: for the inquiry rules; `target`: for presence, the agent it is about.
std::optional<Refused> check(Rule rule, const Caller& caller, const InquiryFacts* inquiry = nullptr,
                             const Identity* target = nullptr);

// Alert topics (prefixes) `who` may read: their own agent/ topic, the queues of their
// accounts; who oversees an account also its verification queue, its escalations and the
// agents who share it. `everyone`: every identity (to find those agents).
std::vector<std::string> readable_topics(const Identity& who, const std::vector<Identity>& everyone);
// A subscription or catch-up on `topic` is allowed when it is as narrow as one of them.
bool may_read_topic(const Caller& caller, std::string_view topic, const std::vector<Identity>& everyone);

}  // namespace ir::access
