#include "ir/simulate/traffic_reader.hpp"

#include <boost/json.hpp>

#include "ir/adapters/event_json.hpp"

namespace ir::simulate {
namespace json = boost::json;

Expected<Input> parse_traffic_line(std::string_view line) {
    boost::system::error_code ec;
    // The parsed line lives only until the event is copied out: one arena, freed at once.
    unsigned char arena[8192];
    json::monotonic_resource memory(arena, sizeof arena);
    const json::value v = json::parse(line, ec, &memory);
    if (ec) return Error{"not valid JSON: " + ec.message()};
    if (!v.is_object()) return Error{"must be a JSON object"};
    const auto& o = v.get_object();
    const json::value* event_v = o.if_contains("event");
    const bool fixture = event_v != nullptr;
    auto event = adapters::parse_event(fixture ? *event_v : v);
    if (!event) {
        const std::string& field = event.error().field;
        return Error{event.error().message, fixture ? (field.empty() ? "event" : "event." + field) : field};
    }
    Input in;
    in.at = event->received_at;
    in.event = std::move(*event);
    if (const json::value* ctx = fixture ? o.if_contains("context") : nullptr) {
        auto context = adapters::parse_context(*ctx);
        if (!context) return Error{context.error().message, "context." + context.error().field};
        in.context = *context;
    }
    return in;
}

TrafficReader::TrafficReader(std::istream& in, std::string name) : in_(in), name_(std::move(name)) {}

std::optional<Input> TrafficReader::read() {
    std::string text;
    while (!fatal_ && std::getline(in_, text)) {
        ++line_;
        if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
        auto parsed = parse_traffic_line(text);
        const std::string where = name_ + ":" + std::to_string(line_) + ": ";
        if (!parsed) {
            const auto& e = parsed.error();
            skipped_.push_back(where + (e.field.empty() ? "" : e.field + ": ") + e.message + " (line skipped)");
            continue;
        }
        if (last_ && parsed->at < *last_) {
            fatal_ = where + "received_at " + adapters::format_rfc3339(parsed->at) + " is earlier than line " +
                     std::to_string(last_line_) + "'s " + adapters::format_rfc3339(*last_) +
                     ": the traffic must be in received_at order (sort it first)";
            return std::nullopt;
        }
        last_ = parsed->at;
        last_line_ = line_;
        parsed->line = line_;
        return std::move(*parsed);
    }
    return std::nullopt;
}

}  // namespace ir::simulate
