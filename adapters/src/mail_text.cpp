// Splitting a mail body into the new text, the quoted history and the signature.
#include <algorithm>

#include "ir/base/text.hpp"
#include <array>
#include <cctype>
#include <vector>

#include "ir/adapters/mail_text.hpp"

namespace ir::adapters {
namespace {

std::vector<std::string_view> lines_of(std::string_view text) {
    std::vector<std::string_view> out;
    while (!text.empty()) {
        auto nl = text.find('\n');
        auto line = text.substr(0, nl);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        out.push_back(line);
        if (nl == std::string_view::npos) break;
        text.remove_prefix(nl + 1);
    }
    return out;
}

bool starts_with(std::string_view s, std::string_view p) {
    return s.size() >= p.size() && ascii_lower(s.substr(0, p.size())) == p;
}
bool ends_with(std::string_view s, std::string_view p) {
    return s.size() >= p.size() && ascii_lower(s.substr(s.size() - p.size())) == p;
}

// "On Mon, 2 Nov 2026, Jonas <j@x.de> wrote:" (possibly wrapped onto two lines), the
// German, French and Chinese forms, Outlook's separators and header blocks.
bool is_quote_header(const std::vector<std::string_view>& lines, std::size_t i) {
    const auto line = trim(lines[i]);
    const auto next = i + 1 < lines.size() ? trim(lines[i + 1]) : std::string_view{};
    if ((starts_with(line, "on ") || starts_with(line, "am ") || starts_with(line, "le ")) &&
        (ends_with(line, "wrote:") || ends_with(line, "schrieb:") || ends_with(line, "crit :") ||
         ends_with(next, "wrote:") || ends_with(next, "schrieb:")))
        return true;
    if (starts_with(line, "am ") && line.find(" schrieb ") != std::string_view::npos && ends_with(line, ":"))
        return true;
    if (line.find("\xE5\x86\x99\xE9\x81\x93") != std::string_view::npos && line.size() < 200) return true;  // 写道
    if (starts_with(line, "-----original message") || starts_with(line, "-----ursprüngliche nachricht") ||
        starts_with(line, "---- replied message") || starts_with(line, "-------- forwarded message") ||
        starts_with(line, "---------- forwarded message"))
        return true;
    if (line.size() >= 20 && line.find_first_not_of('_') == std::string_view::npos) return true;
    if (starts_with(line, "from:") || starts_with(line, "von:") || starts_with(line, "de :")) {
        for (std::size_t j = i + 1; j < lines.size() && j <= i + 4; ++j) {
            const auto l = trim(lines[j]);
            if (starts_with(l, "sent:") || starts_with(l, "date:") || starts_with(l, "gesendet:") ||
                starts_with(l, "envoyé :"))
                return true;
        }
    }
    return false;
}

bool is_sign_off(std::string_view line) {
    std::string l = ascii_lower(trim(line));
    while (!l.empty() && (l.back() == ',' || l.back() == '.' || l.back() == '!')) l.pop_back();
    static const std::array<const char*, 30> kSignOffs = {"best regards",
                                                          "kind regards",
                                                          "regards",
                                                          "best",
                                                          "thanks",
                                                          "thank you",
                                                          "many thanks",
                                                          "thanks and regards",
                                                          "thanks & regards",
                                                          "best wishes",
                                                          "sincerely",
                                                          "yours sincerely",
                                                          "yours faithfully",
                                                          "cheers",
                                                          "warm regards",
                                                          "with best regards",
                                                          "with kind regards",
                                                          "mit freundlichen grüßen",
                                                          "viele grüße",
                                                          "cordialement",
                                                          "saludos",
                                                          "saludos cordiales",
                                                          "atentamente",
                                                          "cordiali saluti",
                                                          "distinti saluti",
                                                          "met vriendelijke groet",
                                                          "bien à vous",
                                                          "br",
                                                          "yours truly",
                                                          "thanks in advance"};
    return std::any_of(kSignOffs.begin(), kSignOffs.end(), [&](const char* s) { return l == s; });
}

// A sign-off counts only near the end: at most this many non-empty lines may follow it.
constexpr std::size_t kMaxSignatureLines = 10;

std::size_t non_empty_until_quote(const std::vector<std::string_view>& lines, std::size_t from) {
    std::size_t n = 0;
    for (std::size_t j = from; j < lines.size() && n <= kMaxSignatureLines && !is_quote_header(lines, j); ++j)
        if (!trim(lines[j]).empty() && trim(lines[j])[0] != '>') ++n;
    return n;
}

void append_line(std::string& out, std::string_view line) {
    out.append(line);
    out += '\n';
}

std::string strip_edges(std::string s) {
    const auto t = trim(s);
    return std::string(t);
}

}  // namespace

MailBodyParts split_body(std::string_view text) {
    const auto lines = lines_of(text);
    MailBodyParts parts;
    bool in_signature = false;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto line = lines[i];
        if (is_quote_header(lines, i)) {
            parts.quoted = true;
            break;
        }
        if (!trim(line).empty() && trim(line)[0] == '>') {
            parts.quoted = true;
            continue;
        }
        if (!in_signature && (line == "-- " || line == "--")) {
            in_signature = true;
            continue;
        }
        if (!in_signature && is_sign_off(line) && non_empty_until_quote(lines, i + 1) <= kMaxSignatureLines)
            in_signature = true;
        append_line(in_signature ? parts.signature : parts.fresh, line);
    }
    parts.fresh = strip_edges(std::move(parts.fresh));
    parts.signature = strip_edges(std::move(parts.signature));
    if (parts.fresh.empty() && parts.quoted) {
        // Nothing new above the history (a forwarded inquiry): the history is the text.
        for (const auto line : lines) {
            auto t = trim(line);
            while (!t.empty() && t[0] == '>') t = trim(t.substr(1));
            append_line(parts.fresh, t);
        }
        parts.fresh = strip_edges(std::move(parts.fresh));
    }
    return parts;
}

}  // namespace ir::adapters
