#include <catch2/catch.hpp>

#include "ir/notify/rate_limiter.hpp"

using namespace ir::notify;
using namespace std::chrono_literals;

TEST_CASE("a sliding window lets count messages through, then says when the next may go") {
    RateLimiter l({{20, 60s}});
    const auto t0 = std::chrono::steady_clock::time_point{} + 1000s;
    CHECK(l.available(t0) == 20);
    for (int i = 0; i < 20; ++i) l.record(t0 + std::chrono::seconds(i));
    CHECK(l.available(t0 + 19s) == 0);
    CHECK(l.next_free(t0 + 19s) == t0 + 60s);  // when the first leaves the window
    CHECK(l.available(t0 + 60s) == 1);
    CHECK(l.available(t0 + 200s) == 20);
}

TEST_CASE("several limits: the tightest decides") {
    RateLimiter l({{5, 1s}, {100, 60s}});
    const auto t0 = std::chrono::steady_clock::time_point{} + 10s;
    for (int i = 0; i < 5; ++i) l.record(t0);
    CHECK(l.available(t0) == 0);
    CHECK(l.next_free(t0) == t0 + 1s);
    CHECK(l.available(t0 + 1s) == 5);
}

TEST_CASE("no limits: always room") {
    RateLimiter l({});
    l.record({});
    CHECK(l.available({}) == std::numeric_limits<std::size_t>::max());
}

TEST_CASE("backoff doubles up to its ceiling, with jitter in [d/2, d]") {
    Backoff b(500ms, 4000ms, 42);
    const Millis ceilings[] = {500ms, 1000ms, 2000ms, 4000ms, 4000ms, 4000ms};
    for (auto d : ceilings) {
        const auto got = b.next();
        CHECK(got >= d / 2);
        CHECK(got <= d);
    }
    b.reset();
    CHECK(b.next() <= 500ms);
}

TEST_CASE("rate limits parse as N/DURATION") {
    CHECK(parse_rate_limit("20/1m") == RateLimit{20, 60s});
    CHECK(parse_rate_limit("5/1s") == RateLimit{5, 1s});
    CHECK_FALSE(parse_rate_limit("0/1m"));
    CHECK_FALSE(parse_rate_limit("20"));
    CHECK_FALSE(parse_rate_limit("x/1m"));
    CHECK(default_rate_limits(Kind::dingtalk) == std::vector<RateLimit>{{20, 60s}});
}
