#pragma once
// A destination's rate limits as sliding windows: how many messages may go now, and when
// the next one may. Time is passed in (steady clock), so tests drive it.
#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>
#include <vector>

#include "ir/notify/destination.hpp"

namespace ir::notify {

class RateLimiter {
public:
    using TimePoint = std::chrono::steady_clock::time_point;
    explicit RateLimiter(std::vector<RateLimit> limits);

    // Messages that may go at `now` without breaking any limit (SIZE_MAX: no limit).
    std::size_t available(TimePoint now);
    // When one more may go (now when available() > 0).
    TimePoint next_free(TimePoint now);
    void record(TimePoint now);

private:
    void forget_before(TimePoint now);
    std::vector<RateLimit> limits_;
    std::deque<TimePoint> sent_;  // oldest first, kept for the longest window
};

// Exponential backoff with jitter: attempt n waits a random time in [d/2, d], where
// d = min(max, initial * 2^n), so retrying senders do not move in step.
class Backoff {
public:
    Backoff(Millis initial, Millis max, std::uint64_t seed);
    Millis next();
    void reset() { attempt_ = 0; }
    unsigned attempts() const { return attempt_; }

private:
    Millis initial_, max_;
    unsigned attempt_ = 0;
    std::uint64_t state_;
};

}  // namespace ir::notify
