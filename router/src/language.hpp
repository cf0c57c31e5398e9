#pragma once
// The language of a message, by CLD2 (compact language detector 2).
#include <string>
#include <string_view>

namespace ir::router {

// ISO 639-1 code ("en", "pt"), or "und" when the text is too short or unclear.
// `text` must be valid UTF-8.
std::string detect_language(std::string_view text);

}  // namespace ir::router
