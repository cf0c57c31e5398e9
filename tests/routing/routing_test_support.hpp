#pragma once
// A small roster, items and time for the routing tests: plain TimePoints, no clock.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "ir/routing/dispatcher.hpp"

namespace routing_test {

using namespace std::chrono_literals;
using namespace ir::routing;
using ir::sla::TimePoint;

// Monday 23 November 2026, 10:00 UTC.
inline const TimePoint T0 = TimePoint{std::chrono::sys_days{std::chrono::year{2026} / 11 / 23}} + 10h;

inline AgentSpec agent(std::string id, Role role = Role::agent, std::vector<std::string> accounts = {"acme"},
                       std::uint32_t capacity = 10) {
    AgentSpec a;
    a.name = "Agent " + id;
    a.id = std::move(id);
    a.role = role;
    a.accounts = std::move(accounts);
    a.capacity = capacity;
    return a;
}

inline Item item(std::uint64_t inquiry, int tier = 3, TimePoint deadline = T0 + 5min, std::string account = "acme",
                 std::string category = "apparel") {
    Item i;
    i.inquiry = inquiry;
    i.account = std::move(account);
    i.category = std::move(category);
    i.tier = tier;
    i.fast_deadline = deadline;
    return i;
}

// The agents the inquiries went to, in order (Assigned decisions only).
inline std::vector<std::string> assignees(const Decisions& ds) {
    std::vector<std::string> out;
    for (const Decision& d : ds) {
        if (const auto* a = std::get_if<Assigned>(&d)) out.push_back(a->agent);
    }
    return out;
}

inline std::string assignee(const Decisions& ds) {
    const auto all = assignees(ds);
    return all.empty() ? "" : all.front();
}

inline bool queued(const Decisions& ds) {
    return ds.size() >= 1 && std::holds_alternative<Queued>(ds.front());
}

}  // namespace routing_test

namespace Catch {
template <>
struct StringMaker<ir::routing::Decision> {
    static std::string convert(const ir::routing::Decision& d) { return ir::routing::to_string(d); }
};
}  // namespace Catch
