// Normalising what a message says about its sender into identity keys.
#include <algorithm>
#include <cctype>

#include "ir/base/text.hpp"
#include "ir/routing/customer_book.hpp"

namespace ir::routing {
namespace {

// Digits with an optional leading '+'; "" if fewer than 6 digits.
std::string phone_digits(std::string_view s) {
    s = trim(s);
    std::string out = !s.empty() && s.front() == '+' ? "+" : "";
    for (const char c : s) {
        if (std::isdigit(static_cast<unsigned char>(c))) out += c;
    }
    const auto digits = out.size() - (out.starts_with('+') ? 1 : 0);
    return digits < 6 ? "" : out;
}

// Only digits, spaces, '+', '-', '.', '(' and ')': written as a phone number.
bool reads_as_phone(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) || c == ' ' || c == '+' || c == '-' || c == '.' ||
               c == '(' || c == ')';
    });
}

std::string_view strip_prefix(std::string_view s, std::string_view prefix) {
    if (s.size() >= prefix.size() && ascii_lower(s.substr(0, prefix.size())) == prefix) s.remove_prefix(prefix.size());
    return trim(s);
}

}  // namespace

std::vector<std::string> identity_keys(const Identity& ids) {
    std::vector<std::string> keys;
    const std::string email = ascii_lower(trim(ids.email));
    if (email.find('@') != std::string::npos) keys.push_back("e:" + email);
    if (const std::string p = phone_digits(ids.phone); !p.empty()) keys.push_back("p:" + p);
    const std::string_view wa = strip_prefix(ids.whatsapp, "whatsapp:");
    if (reads_as_phone(wa)) {
        if (const std::string p = phone_digits(wa); !p.empty()) keys.push_back("p:" + p);
    } else if (!wa.empty()) {
        keys.push_back("w:" + std::string(wa));  // business-scoped ids are case-sensitive
    }
    const std::string tg = ascii_lower(strip_prefix(ids.telegram, "telegram:"));
    if (!tg.empty()) keys.push_back("t:" + tg);
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    return keys;
}

}  // namespace ir::routing
