#include "line_scan.hpp"

#include <charconv>

namespace ir::simulate::detail {
namespace {

std::size_t skip_space(std::string_view s, std::size_t i) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    return i;
}

// What the scan keeps of each key it looks for; a key seen twice means a shape it does not
// know (the caller parses the line in full).
struct Seen {
    std::string_view direction, email, phone, im, orders, sample_orders, visited, influence;
    bool twice = false;
    bool bad_value = false;

    void take(std::string_view key, std::string_view value, bool is_string) {
        std::string_view* slot = nullptr;
        bool wants_string = true;
        switch (key.size()) {  // most keys are none of these: one length test sends them on
            case 2:
                slot = key == "im" ? &im : nullptr;
                break;
            case 5:
                slot = key == "email" ? &email : key == "phone" ? &phone : nullptr;
                break;
            case 6:
                slot = key == "orders" ? &orders : nullptr, wants_string = false;
                break;
            case 9:
                slot = key == "direction" ? &direction : nullptr;
                break;
            case 13:
                slot = key == "sample_orders" ? &sample_orders : nullptr, wants_string = false;
                break;
            case 15:
                slot = key == "visited_company" ? &visited : key == "local_influence" ? &influence : nullptr;
                wants_string = false;
                break;
            default:
                break;
        }
        if (!slot) return;
        if (slot->data() != nullptr) twice = true;
        if (is_string != wants_string && value != "null") bad_value = true;
        *slot = value.data() ? value : std::string_view("", 0);
    }
};

bool number(std::string_view text, std::uint32_t& out) {
    if (text.empty() || text == "null") return true;
    const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && p == text.data() + text.size();
}

}  // namespace

// One pass: with no backslash in the line, every quote opens or closes a string, and a
// string followed by a colon is a key.
std::optional<Input> scan_identity(std::string_view line) {
    if (line.find('\\') != std::string_view::npos) return std::nullopt;
    Seen seen;
    for (std::size_t i = 0;;) {
        const std::size_t open = line.find('"', i);
        if (open == std::string_view::npos) break;
        const std::size_t close = line.find('"', open + 1);
        if (close == std::string_view::npos) return std::nullopt;
        const std::string_view text = line.substr(open + 1, close - open - 1);
        std::size_t j = skip_space(line, close + 1);
        i = close + 1;
        if (j >= line.size() || line[j] != ':') continue;  // a value, not a key
        j = skip_space(line, j + 1);
        if (j >= line.size()) return std::nullopt;
        if (line[j] == '{' || line[j] == '[') {
            i = j + 1;  // an object or array: its keys come next
        } else if (line[j] == '"') {
            const std::size_t end = line.find('"', j + 1);
            if (end == std::string_view::npos) return std::nullopt;
            seen.take(text, line.substr(j + 1, end - j - 1), true);
            i = end + 1;
        } else {
            const std::size_t end = std::min(line.find_first_of(",}] \t", j), line.size());
            seen.take(text, line.substr(j, end - j), false);
            i = end;
        }
    }
    if (seen.twice || seen.bad_value || seen.direction.data() == nullptr) return std::nullopt;
    Input in;
    in.event.direction = seen.direction == "outbound" ? router::Direction::outbound : router::Direction::inbound;
    in.event.sender.email = std::string(seen.email);
    in.event.sender.phone = std::string(seen.phone);
    in.event.sender.im = std::string(seen.im);
    router::CustomerContext c;
    if (!number(seen.orders, c.orders) || !number(seen.sample_orders, c.sample_orders)) return std::nullopt;
    c.visited_company = seen.visited == "true";
    c.local_influence = seen.influence == "true";
    in.context = c;
    return in;
}

}  // namespace ir::simulate::detail
