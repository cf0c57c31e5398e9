// [routing] and [[agents]]: the roster routing assigns to.
#include "ir/base/text.hpp"
#include "config_routing.hpp"

#include "config_notify.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include "ir/routing/tzdb_local_clock.hpp"

namespace ir::daemon {
namespace {

constexpr std::array<std::string_view, 7> kDays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

std::optional<int> day_of(std::string_view s) {
    for (std::size_t i = 0; i < kDays.size(); ++i)
        if (kDays[i] == s) return static_cast<int>(i);
    return std::nullopt;
}

// "09:00" -> 540; "24:00" is the end of the day.
std::optional<int> minute_of(std::string_view s) {
    if (s.size() != 5 || s[2] != ':') return std::nullopt;
    for (std::size_t i : {0u, 1u, 3u, 4u})
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
    const int h = (s[0] - '0') * 10 + (s[1] - '0');
    const int m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
    return h * 60 + m;
}

const routing::TzdbLocalClock* tz_clock() {
    static const routing::TzdbLocalClock* clock = []() -> const routing::TzdbLocalClock* {
        try {
            return new routing::TzdbLocalClock();  // lives for the process, like the tz database
        } catch (const std::exception&) {
            return nullptr;
        }
    }();
    return clock;
}

// The API role; routing knows agent, senior and supervisor (an admin is never routed to).
void read_role(Reader& r, const toml::table& t, const std::string& prefix, routing::AgentSpec& a,
               access::Role& access_role) {
    std::string role = "agent";
    r.string(t, prefix, "role", role);
    if (auto parsed = access::parse_role(role))
        access_role = *parsed;
    else
        r.problem(t.get("role"), prefix + ".role", "must be agent, senior, supervisor or admin");
    a.role = access_role == access::Role::senior       ? routing::Role::senior
             : access_role == access::Role::supervisor ? routing::Role::supervisor
                                                       : routing::Role::agent;
}

void read_time_zone(Reader& r, const toml::table& t, const std::string& prefix, std::string& zone) {
    r.string(t, prefix, "time_zone", zone);
    if (zone.empty()) return;
    const auto* clock = tz_clock();
    if (!clock)
        r.problem(t.get("time_zone"), prefix + ".time_zone", "the system's tz database cannot be read (tzdata)");
    else if (!clock->knows(zone))
        r.problem(t.get("time_zone"), prefix + ".time_zone",
                  "unknown time zone \"" + zone + "\" (an IANA name such as \"Asia/Shanghai\")");
}

void read_presence(Reader& r, const toml::table& t, const std::string& prefix, routing::Presence& presence) {
    std::string text = "available";
    r.string(t, prefix, "presence", text);
    if (text == "available")
        presence = routing::Presence::available;
    else if (text == "away")
        presence = routing::Presence::away;
    else if (text == "offline")
        presence = routing::Presence::offline;
    else
        r.problem(t.get("presence"), prefix + ".presence", "must be available, away or offline");
}

void read_agent(Reader& r, const toml::table& t, const std::string& prefix, RoutingConfig& c, routing::AgentSpec& a,
                access::Role& access_role) {
    r.only_keys(t, prefix,
                {"id", "name", "role", "accounts", "categories", "languages", "capacity", "time_zone", "hours",
                 "addresses", "presence", "mobile", "language"});
    r.string(t, prefix, "id", a.id);
    r.string(t, prefix, "name", a.name);
    if (a.id.empty()) r.problem(&t, prefix + ".id", "is required");
    if (a.name.empty()) a.name = a.id;
    read_role(r, t, prefix, a, access_role);
    a.accounts = {"*"};
    r.string_list(t, prefix, "accounts", a.accounts);
    if (a.accounts.empty()) r.problem(t.get("accounts"), prefix + ".accounts", "must name an account or \"*\"");
    r.string_list(t, prefix, "categories", a.categories);
    r.string_list(t, prefix, "languages", a.languages);
    r.integer(t, prefix, "capacity", a.capacity, 1, 100'000);
    read_time_zone(r, t, prefix, a.time_zone);
    std::vector<std::string> hours;
    r.string_list(t, prefix, "hours", hours);
    for (const auto& h : hours)
        if (auto e = add_shift(h, a.hours)) r.problem(t.get("hours"), prefix + ".hours", *e);
    std::vector<std::string> addresses;
    r.string_list(t, prefix, "addresses", addresses);
    for (const auto& address : addresses) c.agent_addresses[ascii_lower(address)] = a.id;
    read_presence(r, t, prefix, a.presence);
    read_agent_contact(r, t, prefix, a.id, c);
}

}  // namespace

std::optional<std::string> add_shift(std::string_view text, routing::WeeklyHours& hours) {
    const auto space = text.find(' ');
    const std::string_view days = space == std::string_view::npos ? std::string_view() : text.substr(0, space);
    const std::string_view span = space == std::string_view::npos ? text : text.substr(space + 1);
    const auto why = "\"" + std::string(text) + "\": must be like \"mon-fri 09:00-18:00\"";
    int first = 0, last = 6;  // no days given: every day
    if (!days.empty()) {
        const auto dash = days.find('-');
        auto a = day_of(days.substr(0, dash));
        auto b = dash == std::string_view::npos ? a : day_of(days.substr(dash + 1));
        if (!a || !b || *b < *a) return why;
        first = *a, last = *b;
    }
    const auto dash = span.find('-');
    if (dash == std::string_view::npos) return why;
    auto start = minute_of(span.substr(0, dash));
    auto end = minute_of(span.substr(dash + 1));
    if (!start || !end || *start == *end || *start == 24 * 60) return why;
    for (int d = first; d <= last; ++d) {
        auto& today = hours.days[static_cast<std::size_t>(d)];
        if (*start < *end) {
            today.push_back({static_cast<std::uint16_t>(*start), static_cast<std::uint16_t>(*end)});
        } else {  // past midnight: the rest of today, then the morning of the next day
            today.push_back({static_cast<std::uint16_t>(*start), 24 * 60});
            if (*end > 0)
                hours.days[static_cast<std::size_t>((d + 1) % 7)].push_back({0, static_cast<std::uint16_t>(*end)});
        }
    }
    return std::nullopt;
}

void read_routing(Reader& r, const toml::table& t, RoutingConfig& c) {
    r.only_keys(t, "routing", {"reserve", "min_reserve"});
    r.duration(t, "routing", "reserve", c.policy.reserve);
    r.duration(t, "routing", "min_reserve", c.policy.min_reserve);
    if (c.policy.min_reserve > c.policy.reserve)
        r.problem(t.get("min_reserve"), "routing.min_reserve", "must not be longer than routing.reserve");
}

void read_agents(Reader& r, const toml::node& n, RoutingConfig& c) {
    const auto* arr = n.as_array();
    if (!arr) return r.problem(&n, "agents", "must be an array of tables: [[agents]]");
    std::set<std::string> ids;
    for (std::size_t i = 0; i < arr->size(); ++i) {
        const std::string prefix = "agents[" + std::to_string(i) + "]";
        const auto* t = (*arr)[i].as_table();
        if (!t) {
            r.problem(&(*arr)[i], prefix, "must be a table");
            continue;
        }
        routing::AgentSpec a;
        access::Role role = access::Role::agent;
        read_agent(r, *t, prefix, c, a, role);
        if (!a.id.empty() && !ids.insert(a.id).second)
            r.problem(t->get("id"), prefix + ".id", "\"" + a.id + "\" is used by another agent");
        c.identities.push_back({a.id, role, a.accounts});
        if (role != access::Role::admin) c.agents.push_back(std::move(a));  // admins are never routed to
    }
}

}  // namespace ir::daemon
