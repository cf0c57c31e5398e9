#include "ir/access/rules.hpp"

#include <algorithm>

namespace ir::access {

std::string_view to_string(Rule r) {
    switch (r) {
        case Rule::open:
            return "open";
        case Rule::ingest:
            return "ingest";
        case Rule::caller:
            return "caller";
        case Rule::read_inquiry:
            return "read_inquiry";
        case Rule::act_on_inquiry:
            return "act_on_inquiry";
        case Rule::accept_inquiry:
            return "accept_inquiry";
        case Rule::presence:
            return "presence";
        case Rule::label_inquiry:
            return "label_inquiry";
        case Rule::admin:
            return "admin";
    }
    return "admin";
}

bool Caller::has(Scope s) const {
    return unrestricted || std::find(scopes.begin(), scopes.end(), s) != scopes.end();
}

namespace {

bool shares_account(const Identity& a, const Identity& b) {
    if (a.all_accounts() || b.all_accounts()) return true;
    return std::any_of(a.accounts.begin(), a.accounts.end(), [&](const auto& x) { return b.has_account(x); });
}

std::optional<Refused> refuse(Rule rule, std::string message) {
    return Refused{std::move(message), rule};
}

std::optional<Refused> check_inquiry(Rule rule, const Identity& who, const InquiryFacts& q) {
    const bool owner = !q.owner.empty() && q.owner == who.id;
    if (owner || who.oversees(q.account)) return std::nullopt;
    switch (rule) {
        case Rule::read_inquiry:
        case Rule::accept_inquiry:
            if (who.has_account(q.account)) return std::nullopt;
            return refuse(rule, "account " + q.account + " is not one of " + who.id + "'s");
        default:
            return refuse(rule, "inquiry held by " + (q.owner.empty() ? std::string("nobody") : q.owner) +
                                    ": only its owner, or who oversees account " + q.account + ", may do that");
    }
}

}  // namespace

std::optional<Refused> check(Rule rule, const Caller& caller, const InquiryFacts* inquiry, const Identity* target) {
    if (rule == Rule::open || caller.unrestricted) return std::nullopt;
    if (!caller.identity) return refuse(rule, "needs a token");
    const Identity& who = *caller.identity;
    if (rule == Rule::ingest) {
        if (caller.has(Scope::ingest) || caller.may_everything()) return std::nullopt;
        return refuse(rule, "posting events needs a token with the ingest scope");
    }
    if (!caller.has(Scope::api)) return refuse(rule, "an ingest token may only post events");
    if (who.admin()) return std::nullopt;
    switch (rule) {
        case Rule::caller:
            return std::nullopt;
        case Rule::read_inquiry:
        case Rule::act_on_inquiry:
        case Rule::accept_inquiry:
            if (!inquiry) return refuse(rule, "no such inquiry");
            return check_inquiry(rule, who, *inquiry);
        case Rule::presence:
            if (target && (target->id == who.id || (who.role != Role::agent && shares_account(who, *target))))
                return std::nullopt;
            return refuse(rule, "only the agent themself, or who oversees one of their accounts, may set it");
        case Rule::label_inquiry:
            if (!inquiry) return refuse(rule, "no such inquiry");
            if (who.role == Role::supervisor && who.has_account(inquiry->account)) return std::nullopt;
            return refuse(rule, "only a supervisor of account " + inquiry->account + ", or an admin, may label it");
        default:
            return refuse(rule, "only an admin may do that");
    }
}

std::vector<std::string> readable_topics(const Identity& who, const std::vector<Identity>& everyone) {
    if (who.admin()) return {""};
    std::vector<std::string> out{"agent/" + who.id + "/"};
    const bool overseer = who.role != Role::agent;
    if (who.all_accounts()) {
        out.emplace_back("queue/");
        if (overseer) out.emplace_back("escalation/");
    } else {
        for (const auto& a : who.accounts) {
            out.push_back("queue/" + a + "/");
            if (!overseer) continue;
            out.push_back("queue/verify/" + a + "/");
            out.push_back("escalation/" + a + "/");
        }
    }
    if (overseer)
        for (const auto& other : everyone)
            if (other.id != who.id && shares_account(who, other)) out.push_back("agent/" + other.id + "/");
    return out;
}

bool may_read_topic(const Caller& caller, std::string_view topic, const std::vector<Identity>& everyone) {
    if (caller.may_everything()) return true;
    if (!caller.identity || !caller.has(Scope::api)) return false;
    const auto topics = readable_topics(*caller.identity, everyone);
    return std::any_of(topics.begin(), topics.end(), [&](const std::string& t) { return topic.starts_with(t); });
}

}  // namespace ir::access
