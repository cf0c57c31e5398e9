#include "language.hpp"

#include <cld2/public/compact_lang_det.h>

namespace ir::router {

std::string detect_language(std::string_view text) {
    bool reliable = false;
    const CLD2::Language lang =
        CLD2::DetectLanguage(text.data(), static_cast<int>(text.size()), /*is_plain_text=*/true, &reliable);
    // CLD2 says English when it cannot tell; a short "price?" is no evidence of a language.
    if (!reliable || lang == CLD2::UNKNOWN_LANGUAGE || lang == CLD2::TG_UNKNOWN_LANGUAGE) return "und";
    std::string code = CLD2::LanguageCode(lang);
    // CLD2 returns some longer codes ("zh-Hant", "xx-Qaai"); keep the ISO 639-1 part.
    if (auto dash = code.find('-'); dash != std::string::npos) code.resize(dash);
    if (code.size() != 2) return "und";
    return code;
}

}  // namespace ir::router
