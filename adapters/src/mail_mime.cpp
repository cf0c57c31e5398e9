// Walking a GMime tree: the readable text (plain preferred over HTML), attachments
// counted, limits on parts and depth, every charset converted to valid UTF-8.
#include <gmime/gmime.h>

#include <algorithm>
#include <memory>
#include <string>

#include "ir/adapters/mail_mime.hpp"
#include "ir/adapters/mail_text.hpp"

// GLib's type-check macros are C casts.
#pragma GCC diagnostic ignored "-Wold-style-cast"

namespace ir::adapters::mime {
namespace {

// Text beyond this is not read: no inquiry needs more, and conversion stays cheap.
constexpr std::size_t kMaxTextBytes = std::size_t{2} << 20;

struct Unref {
    void operator()(void* p) const { g_object_unref(p); }
};

bool is_type(GMimeObject* o, const char* type, const char* subtype) {
    auto* ct = g_mime_object_get_content_type(o);
    return ct && g_mime_content_type_is_type(ct, type, subtype);
}

// Transfer-decoded bytes of a leaf part, at most kMaxTextBytes.
std::string decoded_bytes(GMimePart* part) {
    GMimeDataWrapper* content = g_mime_part_get_content(part);
    if (!content) return {};
    std::unique_ptr<GMimeStream, Unref> mem(g_mime_stream_mem_new());
    if (g_mime_data_wrapper_write_to_stream(content, mem.get()) < 0) return {};
    GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));
    if (!bytes) return {};
    const std::size_t n = std::min<std::size_t>(bytes->len, kMaxTextBytes);
    return std::string(reinterpret_cast<const char*>(bytes->data), n);
}

// Supersets that mailers mean when they say the subset (as browsers do).
const char* widen_charset(const std::string& lower) {
    if (lower == "gb2312" || lower == "gbk" || lower == "x-gbk" || lower == "euc-cn") return "GB18030";
    if (lower == "iso-8859-1" || lower == "latin1" || lower == "us-ascii" || lower == "ascii") return "WINDOWS-1252";
    if (lower == "shift_jis" || lower == "sjis" || lower == "x-sjis") return "CP932";
    if (lower == "ks_c_5601-1987" || lower == "euc-kr") return "CP949";
    return nullptr;
}

std::string convert(const std::string& bytes, const char* from) {
    gsize written = 0;
    GError* err = nullptr;
    char* out = g_convert_with_fallback(bytes.data(), static_cast<gssize>(bytes.size()), "UTF-8", from, "?", nullptr,
                                        &written, &err);
    if (err) g_error_free(err);
    if (!out) return {};
    std::string s(out, written);
    g_free(out);
    return s;
}

}  // namespace

std::string to_utf8(const std::string& bytes, const char* charset) {
    const bool valid = g_utf8_validate(bytes.data(), static_cast<gssize>(bytes.size()), nullptr);
    std::string cs = charset ? charset : "";
    for (char& c : cs) c = static_cast<char>(g_ascii_tolower(c));
    if (valid && (cs.empty() || cs == "utf-8" || cs == "utf8" || cs == "us-ascii")) return bytes;
    if (!cs.empty() && cs != "utf-8" && cs != "utf8") {
        const char* wide = widen_charset(cs);
        if (auto out = convert(bytes, wide ? wide : g_mime_charset_iconv_name(cs.c_str())); !out.empty())
            return valid_utf8(out);
    }
    if (valid) return bytes;
    // Undeclared or wrongly declared 8-bit text: Windows-1252, else Latin-1 (never fails).
    auto out = convert(bytes, "WINDOWS-1252");
    return valid_utf8(out.empty() ? convert(bytes, "ISO-8859-1") : out);
}

std::string valid_utf8(std::string_view s) {
    if (g_utf8_validate(s.data(), static_cast<gssize>(s.size()), nullptr)) return std::string(s);
    char* fixed = g_utf8_make_valid(s.data(), static_cast<gssize>(s.size()));
    std::string out(fixed);
    g_free(fixed);
    return out;
}

void Walker::leaf(GMimeObject* o) {
    auto* part = GMIME_PART(o);
    const bool attachment = g_mime_part_is_attachment(part) != FALSE;
    const bool is_plain = is_type(o, "text", "plain");
    const bool is_html = is_type(o, "text", "html");
    if (attachment || (!is_plain && !is_html)) {
        ++attachments;
        return;
    }
    std::string& target = is_plain ? plain : html;
    if (!target.empty()) {  // a second inline text part: a continuation (multipart/mixed)
        if (is_plain && !in_alternative_ && target.size() < kMaxTextBytes)
            target += "\n\n" + to_utf8(decoded_bytes(part), charset_of(o));
        return;
    }
    target = to_utf8(decoded_bytes(part), charset_of(o));
}

const char* Walker::charset_of(GMimeObject* o) {
    return g_mime_object_get_content_type_parameter(o, "charset");
}

void Walker::walk(GMimeObject* o, std::size_t depth) {
    if (!error.empty() || !o) return;
    if (++parts > limits_.max_parts) {
        error = "more than " + std::to_string(limits_.max_parts) + " MIME parts";
        return;
    }
    if (depth > limits_.max_depth) {
        error = "MIME parts nested deeper than " + std::to_string(limits_.max_depth);
        return;
    }
    if (GMIME_IS_MESSAGE_PART(o)) {  // an attached (forwarded) message
        ++attachments;
        return;
    }
    if (GMIME_IS_MULTIPART(o)) {
        auto* mp = GMIME_MULTIPART(o);
        const bool was = in_alternative_;
        in_alternative_ = is_type(o, "multipart", "alternative");
        const int n = g_mime_multipart_get_count(mp);
        for (int i = 0; i < n && error.empty(); ++i) walk(g_mime_multipart_get_part(mp, i), depth + 1);
        in_alternative_ = was;
        return;
    }
    if (GMIME_IS_PART(o)) leaf(o);
}

std::string Walker::text() const {
    if (plain.find_first_not_of(" \t\r\n") != std::string::npos) return plain;
    return html.empty() ? std::string{} : html_to_text(html);
}

}  // namespace ir::adapters::mime
