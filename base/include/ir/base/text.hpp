#pragma once
// Text helpers every library needs: ASCII case folding (the C locale: header names,
// addresses, keys), trimming, and cutting UTF-8 without splitting a character.
#include <cstdint>
#include <string>
#include <string_view>

namespace ir {

std::string ascii_lower(std::string_view s);
std::string_view trim(std::string_view s);  // ASCII white space at both ends
// The longest prefix of at most `max_bytes` that ends on a character boundary.
std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes);
// Appends code point `cp` as UTF-8; NUL, surrogates and values past U+10FFFF become U+FFFD.
void append_utf8(std::string& out, std::uint32_t cp);

}  // namespace ir
