#pragma once
// How much parsing one account's mail may cost, so that slow mail cannot starve the rest.
// The account's fast lane (the Maildir source's thread) gives each mail `budget`; a mail
// that takes longer is set aside for the slow lane (a second thread with a parser process
// of its own), which gives it `timeout` and quarantines it past that. The slow lane starts
// at most `per_minute` parses a minute, so a flood of crafted mail costs a bounded share of
// a core; and once `per_minute` mails were set aside within a minute, the fast lane gives
// each mail only a tenth of `budget` (at least 100 ms) until the minute has passed, so that
// such a flood delays a buyer's mail by about per_minute x budget + the rest x budget / 10.
// Plain bookkeeping: the steady time is passed in; the caller locks.
#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>

namespace ir::daemon {

class ParseBudget {
public:
    using Clock = std::chrono::steady_clock;
    using Ms = std::chrono::milliseconds;
    struct Limits {
        Ms budget{1000};
        Ms timeout{5000};
        std::size_t per_minute = 6;
    };
    static constexpr Ms kStrictFloor{100};
    static constexpr std::chrono::minutes kWindow{1};

    explicit ParseBudget(Limits limits) : limits_(limits) {}

    // The fast lane's time for its next mail; never more than `timeout`.
    Ms fast_budget(Clock::time_point now);
    // A mail that overran `given` in the fast lane: worth the slow lane only if it gets
    // more time there; otherwise it is quarantined at once.
    bool worth_slow_lane(Ms given) const { return given < limits_.timeout; }
    void set_aside(Clock::time_point now);
    // nullopt: the slow lane may start a parse now; else the time it may.
    std::optional<Clock::time_point> slow_wait(Clock::time_point now);
    void slow_started(Clock::time_point now);
    const Limits& limits() const { return limits_; }

private:
    static void forget_before(std::deque<Clock::time_point>& times, Clock::time_point now);

    Limits limits_;
    std::deque<Clock::time_point> set_asides_, slow_starts_;  // within the last kWindow
};

}  // namespace ir::daemon
