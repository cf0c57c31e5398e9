// Decisions and refusals as readable text.
#include "ir/routing/decisions.hpp"

namespace ir::routing {
namespace {

std::string ms(sla::TimePoint t) {
    return std::to_string(sla::to_unix_ms(t));
}

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const std::string& s : v) out += (out.empty() ? "" : ",") + s;
    return out;
}

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

std::string_view to_string(Unassigned::Why why) {
    switch (why) {
        case Unassigned::Why::reservation_expired:
            return "reservation_expired";
        case Unassigned::Why::agent_offline:
            return "agent_offline";
        case Unassigned::Why::transferred:
            return "transferred";
        case Unassigned::Why::released:
            return "released";
        case Unassigned::Why::owner_unavailable:
            return "owner_unavailable";
        case Unassigned::Why::needs_senior:
            return "needs_senior";
    }
    return "released";
}

std::string_view to_string(Refusal r) {
    switch (r) {
        case Refusal::unknown_inquiry:
            return "unknown inquiry";
        case Refusal::unknown_agent:
            return "unknown agent";
        case Refusal::not_theirs:
            return "the inquiry is not assigned to this agent";
        case Refusal::agent_unavailable:
            return "the agent is offline or at capacity";
    }
    return "refused";
}

std::string to_string(const Decision& d) {
    return std::visit(Overloaded{
                          [](const Assigned& a) {
                              return "Assigned{inquiry=" + std::to_string(a.inquiry) + " agent=" + a.agent +
                                     " previous=" + a.previous + " reserved_until=" +
                                     (a.reserved_until ? ms(*a.reserved_until) : std::string("-")) +
                                     " sticky=" + (a.sticky ? "true" : "false") + " reason=" + a.reason + "}";
                          },
                          [](const Unassigned& u) {
                              return "Unassigned{inquiry=" + std::to_string(u.inquiry) + " agent=" + u.agent +
                                     " why=" + std::string(to_string(u.why)) + "}";
                          },
                          [](const Queued& q) {
                              return "Queued{inquiry=" + std::to_string(q.inquiry) + " queue=" + q.queue +
                                     " reasons=" + join(q.reasons) + "}";
                          },
                          [](const SupervisorsNotified& s) {
                              return "SupervisorsNotified{inquiry=" + std::to_string(s.inquiry) +
                                     " supervisors=" + join(s.supervisors) + "}";
                          },
                      },
                      d);
}

}  // namespace ir::routing
