#include "ir/notify/rate_limiter.hpp"

#include <algorithm>
#include <limits>

namespace ir::notify {

RateLimiter::RateLimiter(std::vector<RateLimit> limits) : limits_(std::move(limits)) {
    std::erase_if(limits_, [](const RateLimit& l) { return l.count == 0 || l.window.count() <= 0; });
}

void RateLimiter::forget_before(TimePoint now) {
    Millis longest{0};
    for (const auto& l : limits_) longest = std::max(longest, l.window);
    while (!sent_.empty() && sent_.front() <= now - longest) sent_.pop_front();
}

std::size_t RateLimiter::available(TimePoint now) {
    if (limits_.empty()) return std::numeric_limits<std::size_t>::max();
    forget_before(now);
    std::size_t room = std::numeric_limits<std::size_t>::max();
    for (const auto& l : limits_) {
        const auto since = now - l.window;
        const auto used = static_cast<std::size_t>(sent_.end() - std::upper_bound(sent_.begin(), sent_.end(), since));
        room = std::min(room, used >= l.count ? 0 : l.count - used);
    }
    return room;
}

RateLimiter::TimePoint RateLimiter::next_free(TimePoint now) {
    forget_before(now);
    TimePoint at = now;
    for (const auto& l : limits_) {
        const auto first = std::upper_bound(sent_.begin(), sent_.end(), now - l.window);
        const auto used = static_cast<std::size_t>(sent_.end() - first);
        if (used < l.count) continue;
        // The message that must leave the window before one more fits.
        at = std::max(at, *(first + static_cast<std::ptrdiff_t>(used - l.count)) + l.window);
    }
    return at;
}

void RateLimiter::record(TimePoint now) {
    if (!limits_.empty()) sent_.push_back(std::max(now, sent_.empty() ? now : sent_.back()));
}

Backoff::Backoff(Millis initial, Millis max, std::uint64_t seed) : initial_(initial), max_(max), state_(seed | 1) {}

Millis Backoff::next() {
    const unsigned shift = std::min(attempt_, 30u);
    ++attempt_;
    const auto scaled = std::min<std::int64_t>(max_.count(), initial_.count() << std::min(shift, 20u));
    state_ ^= state_ << 13, state_ ^= state_ >> 7, state_ ^= state_ << 17;  // xorshift64
    const std::int64_t half = scaled / 2;
    return Millis(half + static_cast<std::int64_t>(state_ % static_cast<std::uint64_t>(scaled - half + 1)));
}

}  // namespace ir::notify
