#pragma once
// Counts what the core did during a replay, step by step, into a PolicyReport: waits and
// how they ended, breaches, escalations, follow-ups, assignments, queue waits, replies.
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "ir/router/engine.hpp"
#include "ir/simulate/report.hpp"

namespace ir::simulate {

class Tally {
public:
    explicit Tally(const std::vector<routing::AgentSpec>& roster);

    void observe(const router::StepResult& step, const router::Engine& engine, sla::TimePoint now);
    // True while a buyer waits for a reply somewhere.
    bool waiting() const { return !open_waits_.empty(); }
    // Closes what is still open at `end` (unanswered waits count as missed) into `out`.
    void finish(sla::TimePoint end, PolicyReport& out);

private:
    struct Wait {
        int tier = 4;
    };
    struct Reply {
        std::uint32_t agent = 0;  // into names_
        std::uint32_t account = 0;
        sla::TimePoint buyer_at, replied_at;
    };

    void on_effect(const sla::Effect& e);
    void on_alert(const router::Alert& a, sla::TimePoint now);
    void close_wait(std::uint64_t clock, int tier, bool fast, bool timely);
    Counts& tier(int t) { return report_.tiers[static_cast<std::size_t>(std::clamp(t, 1, 4) - 1)]; }
    std::uint32_t name(const std::string& s);

    PolicyReport report_;
    std::unordered_map<std::uint64_t, Wait> open_waits_;        // by clock id
    std::unordered_map<std::uint64_t, int> open_inquiries_;     // inquiry -> its tier now
    std::unordered_map<std::uint64_t, sla::TimePoint> queued_;  // inquiry -> waiting in a queue since
    std::vector<Reply> replies_;
    std::vector<std::string> names_;
    std::unordered_map<std::string, std::uint32_t> name_ids_;
};

}  // namespace ir::simulate
