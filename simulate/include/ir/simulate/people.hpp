#pragma once
// The simulated team: each agent of the roster as a person who works their hours, accepts
// an offer after a drawn delay (or misses it, so it times out to the next agent), writes
// replies one at a time (`parallel`), best first (tier, then the earliest fast deadline), and
// takes a log-normal time per reply around their role's median, longer in a language they
// do not speak or on a product line they do not cover. They see only what a real agent sees:
// the alerts of each step (ASSIGNED, UNASSIGNED, RESOLVED, what waits in a queue).
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ir/router/engine.hpp"
#include "ir/routing/local_clock.hpp"
#include "ir/routing/policy.hpp"
#include "ir/simulate/agenda.hpp"
#include "ir/simulate/people_config.hpp"
#include "ir/simulate/random.hpp"

namespace ir::simulate {

class People {
public:
    // `roster`, `clock`, `random` and `agenda` must outlive this object.
    People(const PeopleConfig& config, const std::vector<routing::AgentSpec>& roster, const routing::LocalClock& clock,
           routing::Strategy strategy, Random& random, Agenda& agenda);

    // What a step told the team; plans their next actions on the agenda.
    void observe(const router::StepResult& step, const router::Engine& engine, sla::TimePoint now);
    // Carries out an action that came due: the step it made, to be observed like any other.
    std::optional<router::StepResult> act(const Action& a, router::Engine& engine, sla::TimePoint now);

    std::size_t missed_offers() const { return missed_; }

private:
    struct Person {
        const routing::AgentSpec* spec = nullptr;
        std::vector<std::uint64_t> work;     // accepted and unanswered: to be written
        std::vector<std::uint64_t> writing;  // being written now
        bool wake_planned = false;
        bool look_planned = false;
        bool on_shift = true;
        std::optional<sla::TimePoint> shift_until;  // when on_shift may change; nullopt: never
        bool idle() const { return work.empty() && writing.empty(); }
    };
    struct Holding {
        std::uint32_t person = 0;
        std::uint32_t generation = 0;
    };

    void on_assigned(std::uint32_t person, std::uint64_t inquiry, bool reserved, sla::TimePoint now,
                     const router::Engine& engine);
    void on_queued(const std::string& account, sla::TimePoint now);
    void release(std::uint64_t inquiry, sla::TimePoint now, const router::Engine& engine);
    void start_work(std::uint32_t person, sla::TimePoint now, const router::Engine& engine);
    std::uint64_t take_best(Person& p, const router::Engine& engine);
    sla::Duration reply_time(const Person& p, std::uint64_t inquiry, const router::Engine& engine);
    bool on_shift(std::uint32_t person, sla::TimePoint t);
    void plan_wake(std::uint32_t person, sla::TimePoint now);
    std::optional<std::uint32_t> person_of(const std::string& agent) const;
    const Holding* holding(const Action& a) const;

    const PeopleConfig& config_;
    const routing::LocalClock& clock_;
    routing::Strategy strategy_;
    Random& random_;
    Agenda& agenda_;
    std::vector<Person> people_;
    std::unordered_map<std::string, std::uint32_t> index_;
    std::unordered_map<std::uint64_t, Holding> held_;  // inquiry -> the person holding it
    std::uint32_t next_generation_ = 1;
    std::size_t missed_ = 0;
};

}  // namespace ir::simulate
