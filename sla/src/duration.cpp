#include "ir/sla/duration.hpp"

#include <charconv>

namespace ir::sla {

std::optional<Duration> parse_duration(std::string_view text) {
    std::int64_t value = 0;
    const auto* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || ptr == text.data() || value < 0) return std::nullopt;
    const std::string_view unit(ptr, static_cast<std::size_t>(end - ptr));
    std::int64_t scale = 0;
    if (unit == "ms")
        scale = 1;
    else if (unit == "s")
        scale = 1000;
    else if (unit == "m")
        scale = 60'000;
    else if (unit == "h")
        scale = 3'600'000;
    else if (unit == "d")
        scale = 86'400'000;
    else
        return std::nullopt;
    constexpr std::int64_t max_ms = 100LL * 365 * 86'400'000;  // a century is plenty
    if (value > max_ms / scale) return std::nullopt;
    return Duration{value * scale};
}

std::string format_duration(Duration d) {
    const auto ms = d.count();
    struct Unit {
        std::int64_t scale;
        const char* name;
    };
    for (Unit u : {Unit{86'400'000, "d"}, Unit{3'600'000, "h"}, Unit{60'000, "m"}, Unit{1000, "s"}}) {
        if (ms != 0 && ms % u.scale == 0) return std::to_string(ms / u.scale) + u.name;
    }
    return std::to_string(ms) + "ms";
}

}  // namespace ir::sla
