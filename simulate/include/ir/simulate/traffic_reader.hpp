#pragma once
// A traffic file: one JSON object a line, in received_at order. Either a fixture line
// ({"id", "event": {...}, "context": {...}, "expect": ...}; fixtures/FORMAT.md) or a bare
// event object. A line that is not an event is reported with its number and skipped; a
// received_at earlier than the line before it stops the reading (the replay would not be
// what happened).
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "ir/base/expected.hpp"
#include "ir/simulate/input.hpp"

namespace ir::simulate {

class TrafficReader final : public InputSource {
public:
    // `name` is how messages name the file.
    TrafficReader(std::istream& in, std::string name);

    // "name:line: problem (line skipped)", in file order.
    const std::vector<std::string>& skipped() const { return skipped_; }
    // "name:line: ..." when the reading stopped at an out-of-order line.
    const std::optional<std::string>& fatal() const { return fatal_; }
    std::size_t lines_read() const { return line_; }

protected:
    std::optional<Input> read() override;

private:
    std::istream& in_;
    std::string name_;
    std::size_t line_ = 0;
    std::optional<sla::TimePoint> last_;
    std::size_t last_line_ = 0;
    std::vector<std::string> skipped_;
    std::optional<std::string> fatal_;
};

// One line's input, or why it is not one.
Expected<Input> parse_traffic_line(std::string_view line);

}  // namespace ir::simulate
