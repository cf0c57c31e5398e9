#include "markup.hpp"

#include "phrases.hpp"

namespace ir::notify {
namespace {

std::string bold(std::string_view s, Markup m) {
    switch (m) {
        case Markup::dingtalk_md:
        case Markup::wecom_md:
        case Markup::lark_md:
            return "**" + std::string(s) + "**";
        case Markup::slack_mrkdwn:
            return "*" + std::string(s) + "*";
        case Markup::telegram_html:
            return "<b>" + std::string(s) + "</b>";
        case Markup::plain:
            break;
    }
    return std::string(s);
}

std::string link(const std::string& url, const std::string& label, Markup m) {
    switch (m) {
        case Markup::dingtalk_md:
        case Markup::wecom_md:
        case Markup::lark_md:
            return "[" + escape(label, m) + "](" + url + ")";
        case Markup::slack_mrkdwn:
            return "<" + url + "|" + escape(label, m) + ">";
        case Markup::telegram_html:
            return "<a href=\"" + escape(url, m) + "\">" + escape(label, m) + "</a>";
        case Markup::plain:
            break;
    }
    return label + ": " + url;
}

std::string title_line(const Message& m, Markup markup) {
    // Our own words: only what HTML-like markups must not see is escaped.
    const bool html = markup == Markup::telegram_html || markup == Markup::slack_mrkdwn || markup == Markup::wecom_md;
    const std::string t = html ? escape(m.title, Markup::telegram_html) : m.title;
    switch (markup) {
        case Markup::dingtalk_md:
            return "#### " + t;
        case Markup::wecom_md: {
            const char* color = m.severity == Severity::info ? "info" : "warning";
            return "**<font color=\"" + std::string(color) + "\">" + t + "</font>**";
        }
        default:
            return bold(t, markup);
    }
}

std::string footer_line(const Message& m, Markup markup) {
    const std::string f = escape(m.footer, markup);
    switch (markup) {
        case Markup::wecom_md:
            return "<font color=\"comment\">" + f + "</font>";
        case Markup::telegram_html:
            return "<i>" + f + "</i>";
        case Markup::slack_mrkdwn:
            return "_" + f + "_";
        case Markup::plain:
            return "-- \n" + f;
        default:
            return "###### " + f;
    }
}

std::string fact_line(const std::string& label, const std::string& value, Markup m) {
    const std::string v = escape(value, m);
    switch (m) {
        case Markup::dingtalk_md:
            return "- " + bold(label, m) + ": " + v;
        case Markup::wecom_md:
            return "> " + label + ": <font color=\"comment\">" + v + "</font>";
        case Markup::plain:
            return label + ": " + v;
        default:
            return bold(label + ":", m) + " " + v;
    }
}

// Digest lines until the budget is spent, then one "... and N more".
void append_lines(std::string& out, const Message& m, Markup markup, std::size_t budget) {
    const Phrases& p = phrases(m.language);
    const bool bullets = markup != Markup::plain && markup != Markup::telegram_html && markup != Markup::wecom_md;
    for (std::size_t i = 0; i < m.lines.size(); ++i) {
        std::string line = (bullets ? "- " : markup == Markup::wecom_md ? "> " : "• ") + escape(m.lines[i], markup);
        if (out.size() + line.size() + 1 > budget && i + 1 < m.lines.size()) {
            out += Phrases::fill(p.more_lines, std::to_string(m.lines.size() - i)) + "\n";
            return;
        }
        out += line + "\n";
    }
}

}  // namespace

std::string escape(std::string_view text, Markup m) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (m) {
            case Markup::slack_mrkdwn:
            case Markup::telegram_html:
            case Markup::wecom_md:
                if (c == '&')
                    out += "&amp;";
                else if (c == '<')
                    out += "&lt;";
                else if (c == '>')
                    out += "&gt;";
                else if (m == Markup::telegram_html && c == '"')
                    out += "&quot;";
                else if (m == Markup::wecom_md && (c == '*' || c == '[' || c == ']' || c == '`'))
                    (out += '\\') += c;
                else
                    out += c;
                break;
            case Markup::dingtalk_md:
            case Markup::lark_md:
                if (c == '*' || c == '_' || c == '[' || c == ']' || c == '`' || c == '#' || c == '\\') out += '\\';
                out += c;
                break;
            case Markup::plain:
                out += c;
                break;
        }
    }
    return out;
}

std::string render_body(const Message& m, Markup markup, const BodyOptions& o) {
    const std::string para = markup == Markup::dingtalk_md ? "\n\n" : "\n";
    std::string out;
    if (o.title) out += title_line(m, markup) + para;
    if (!m.summary.empty()) out += escape(m.summary, markup) + (m.facts.empty() && m.lines.empty() ? para : "\n");
    if (markup == Markup::dingtalk_md || markup == Markup::plain) out += "\n";
    for (const auto& [label, value] : m.facts) out += fact_line(label, value, markup) + "\n";
    append_lines(out, m, markup, o.max_bytes);
    if (o.link && !m.link.empty()) out += para + link(m.link, m.link_label, markup) + "\n";
    if (o.mentions && !m.mobiles.empty()) {
        out += para;
        for (const auto& mobile : m.mobiles) out += "@" + mobile + " ";
        out.back() = '\n';
    }
    if (!m.footer.empty()) out += para + footer_line(m, markup);
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

}  // namespace ir::notify
