#pragma once
// ASCII text helpers the mail adapter's files share. Private to ir_adapters.
#include <cctype>
#include <string>
#include <string_view>

namespace ir::adapters::detail {

inline std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// ASCII only (the C locale): header names, addresses, tags.
inline std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace ir::adapters::detail
