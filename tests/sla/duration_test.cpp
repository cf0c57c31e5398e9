#include <catch2/catch.hpp>

#include "ir/sla/duration.hpp"

using ir::sla::Duration;
using ir::sla::parse_duration;

TEST_CASE("durations parse as people write them in the config") {
    CHECK(parse_duration("90s") == Duration{90'000});
    CHECK(parse_duration("5m") == Duration{300'000});
    CHECK(parse_duration("24h") == Duration{86'400'000});
    CHECK(parse_duration("3d") == Duration{3 * 86'400'000LL});
    CHECK(parse_duration("250ms") == Duration{250});
}

TEST_CASE("malformed durations are refused, not guessed") {
    for (const char* bad : {"", "5", "m", "-5m", "5 m", "5min", "1.5h", "99999999999999999d"}) {
        INFO(bad);
        CHECK_FALSE(parse_duration(bad).has_value());
    }
}

TEST_CASE("durations print in their shortest exact unit") {
    CHECK(ir::sla::format_duration(Duration{300'000}) == "5m");
    CHECK(ir::sla::format_duration(Duration{90'000}) == "90s");
    CHECK(ir::sla::format_duration(Duration{1500}) == "1500ms");
}
