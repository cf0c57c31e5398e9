#pragma once
// The moments a conversation can have an alarm at: two deadlines, a warning before each,
// and the next follow-up reminder. The order of the enumerators breaks ties between
// alarms of one clock at the same instant.
#include <cstdint>
#include <string_view>

namespace ir::sla {

enum class DeadlineKind : std::uint8_t { fast, timely };

enum class Stage : std::uint8_t { fast_warning, fast_breach, timely_warning, timely_breach, follow_up };

inline constexpr Stage deadline_stages[] = {Stage::fast_warning, Stage::fast_breach, Stage::timely_warning,
                                            Stage::timely_breach};

constexpr bool is_warning(Stage s) {
    return s == Stage::fast_warning || s == Stage::timely_warning;
}
constexpr DeadlineKind kind_of(Stage s) {
    return (s == Stage::fast_warning || s == Stage::fast_breach) ? DeadlineKind::fast : DeadlineKind::timely;
}

std::string_view to_string(DeadlineKind k);
std::string_view to_string(Stage s);

}  // namespace ir::sla
