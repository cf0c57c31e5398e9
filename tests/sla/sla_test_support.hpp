#pragma once
// Shared by the sla tests: fake time, subjects, and readable failure messages for effects.
#include <catch2/catch.hpp>

#include <chrono>

#include "ir/sla/engine.hpp"

namespace Catch {
template <>
struct StringMaker<ir::sla::Effect> {
    static std::string convert(const ir::sla::Effect& e) { return ir::sla::to_string(e); }
};
template <>
struct StringMaker<ir::sla::ClockState> {
    static std::string convert(const ir::sla::ClockState& c) {
        return "ClockState{clock=" + std::to_string(ir::sla::raw(c.subject.clock)) + "}";
    }
};
}  // namespace Catch

namespace sla_test {

using namespace std::chrono_literals;
using namespace ir::sla;
using std::chrono::days;

// 2023-11-14T22:13:20Z: a plain instant; nothing ever reads a real clock.
inline const TimePoint T0 = from_unix_ms(1'700'000'000'000);

inline Subject subject(std::uint64_t clock, Tier tier = Tier::three, std::uint32_t account = 1) {
    return Subject{ClockId{clock}, InquiryId{clock * 100}, AccountId{account}, tier, false};
}

inline BuyerMessage message(const Subject& s, TimePoint at) {
    return BuyerMessage{s, at};
}
inline Reply reply(const Subject& s, TimePoint at, std::uint64_t agent = 7) {
    return Reply{s.clock, AgentId{agent}, at};
}

// A policy with no escalations and no follow-ups, so clock tests see only clock effects.
inline SlaPolicy quiet_policy() {
    SlaPolicy p;
    p.tiers.clear();
    p.defaults.escalate_on = EscalateOn{false, false, false, false};
    p.defaults.weak_large_buyer_follow_up = FollowUpPlan{};
    return p;
}

// Only the effects of one type, in order.
template <class T>
std::vector<T> only(const Effects& fx) {
    std::vector<T> out;
    for (const Effect& e : fx) {
        if (const T* x = std::get_if<T>(&e)) out.push_back(*x);
    }
    return out;
}

}  // namespace sla_test
