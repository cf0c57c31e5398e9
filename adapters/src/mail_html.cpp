// HTML mail to plain text: good enough to score, not a renderer.
#include <algorithm>

#include "ir/base/text.hpp"
#include <cctype>
#include <cstdint>
#include <string>

#include "ir/adapters/mail_text.hpp"

namespace ir::adapters {
namespace {

// Decodes the entity starting at html[i] == '&'; returns how many bytes it used (0: none).
std::size_t decode_entity(std::string_view html, std::size_t i, std::string& out) {
    const auto near = html.substr(i, 12).find(';');  // entities are short: never scan far
    if (near == std::string_view::npos) return 0;
    const auto semi = i + near;
    const std::string name = ascii_lower(html.substr(i + 1, semi - i - 1));
    if (!name.empty() && name[0] == '#') {
        const bool hex = name.size() > 1 && name[1] == 'x';
        const std::string digits = name.substr(hex ? 2 : 1);
        if (digits.empty() || digits.size() > 7) return 0;
        std::uint32_t cp = 0;
        for (char c : digits) {
            if (!std::isxdigit(static_cast<unsigned char>(c)) || (!hex && !std::isdigit(static_cast<unsigned char>(c))))
                return 0;
            cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(std::isdigit(static_cast<unsigned char>(c))
                                                                       ? c - '0'
                                                                       : std::tolower(c) - 'a' + 10);
        }
        append_utf8(out, cp);
        return semi - i + 1;
    }
    static const std::pair<const char*, const char*> kNamed[] = {
        {"amp", "&"},        {"lt", "<"},          {"gt", ">"},         {"quot", "\""},      {"apos", "'"},
        {"nbsp", " "},       {"euro", "\u20AC"},   {"copy", "\u00A9"},  {"reg", "\u00AE"},   {"mdash", "\u2014"},
        {"ndash", "\u2013"}, {"hellip", "\u2026"}, {"rsquo", "\u2019"}, {"lsquo", "\u2018"}, {"rdquo", "\u201D"},
        {"ldquo", "\u201C"}, {"bull", "\u2022"},   {"times", "\u00D7"}};
    for (const auto& [n, text] : kNamed)
        if (name == n) {
            out += text;
            return semi - i + 1;
        }
    return 0;
}

bool is_block_tag(const std::string& tag) {
    static const char* kBlocks[] = {"br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "hr"};
    return std::any_of(std::begin(kBlocks), std::end(kBlocks), [&](const char* b) { return tag == b; });
}

// Collapses runs of spaces and of line breaks.
std::string tidy(const std::string& s) {
    std::string out;
    int newlines = 0;
    bool space = false;
    for (char c : s) {
        if (c == '\r') continue;
        if (c == '\n') {
            if (++newlines == 1) out += '\n';
            space = false;
        } else if (c == ' ' || c == '\t') {
            space = !out.empty() && out.back() != '\n';
        } else {
            if (space) out += ' ';
            space = false;
            newlines = 0;
            out += c;
        }
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out.substr(std::min(out.find_first_not_of('\n'), out.size()));
}

}  // namespace

std::string html_to_text(std::string_view html) {
    std::string out;
    out.reserve(html.size() / 2);
    int hidden = 0;  // inside <script>, <style>, <head> or <blockquote>
    for (std::size_t i = 0; i < html.size();) {
        const char c = html[i];
        if (c == '<') {
            const auto end = html.find('>', i);
            if (end == std::string_view::npos) break;
            std::string_view inside = html.substr(i + 1, end - i - 1);
            const bool closing = !inside.empty() && inside[0] == '/';
            if (closing) inside.remove_prefix(1);
            const auto name_end = inside.find_first_of(" \t\r\n/");
            const std::string tag = ascii_lower(inside.substr(0, name_end));
            if (tag == "script" || tag == "style" || tag == "head" || tag == "blockquote" || tag == "title")
                hidden = std::max(0, hidden + (closing ? -1 : 1));
            else if (tag.rfind("!--", 0) == 0) {
                const auto close = html.find("-->", i + 4);
                i = close == std::string_view::npos ? html.size() : close + 3;
                continue;
            }
            if (is_block_tag(tag) && hidden == 0) out += '\n';
            i = end + 1;
            continue;
        }
        if (hidden > 0) {
            ++i;
            continue;
        }
        if (c == '&') {
            if (auto used = decode_entity(html, i, out)) {
                i += used;
                continue;
            }
        }
        out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
        ++i;
    }
    return tidy(out);
}

}  // namespace ir::adapters
