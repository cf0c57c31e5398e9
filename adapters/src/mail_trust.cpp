// Reading Authentication-Results: comments dropped, results split on ';' outside quotes.
#include "ir/adapters/mail_trust.hpp"

#include "ir/base/text.hpp"

namespace ir::adapters {
namespace {

// The value without (comments), whitespace runs made single spaces; quoted strings kept.
std::string without_comments(std::string_view v) {
    std::string out;
    int depth = 0;
    bool quoted = false;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const char c = v[i];
        if (c == '\\' && i + 1 < v.size() && (quoted || depth > 0)) {
            if (depth == 0) out += v.substr(i, 2);
            ++i;
        } else if (quoted) {
            out += c;
            quoted = c != '"';
        } else if (c == '(') {
            ++depth;
        } else if (c == ')' && depth > 0) {
            --depth;
        } else if (depth == 0) {
            const bool space = c == ' ' || c == '\t' || c == '\r' || c == '\n';
            if (!space)
                out += c, quoted = c == '"';
            else if (!out.empty() && out.back() != ' ')
                out += ' ';
        }
    }
    return out;
}

std::vector<std::string> split_results(const std::string& v) {
    std::vector<std::string> parts(1);
    bool quoted = false;
    for (char c : v) {
        if (c == '"') quoted = !quoted;
        if (c == ';' && !quoted)
            parts.emplace_back();
        else
            parts.back() += c;
    }
    for (auto& p : parts) p = std::string(trim(p));
    return parts;
}

std::string unquoted(std::string_view s) {
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
    return std::string(s);
}

}  // namespace

std::string dmarc_verdict(std::string_view value, std::string_view authserv_id) {
    const auto parts = split_results(without_comments(value));
    const std::string& head = parts.front();
    const std::string id = unquoted(head.substr(0, head.find(' ')));  // "mx.example.com 1": a version follows
    if (id.empty() || ascii_lower(id) != ascii_lower(authserv_id)) return {};
    std::string verdict;
    for (std::size_t i = 1; i < parts.size(); ++i) {
        const std::string part = ascii_lower(parts[i]);
        const auto eq = part.find('=');
        if (eq == std::string::npos) continue;  // "none": no results at all
        const std::string_view method = trim(std::string_view(part).substr(0, eq));
        if (trim(method.substr(0, method.find('/'))) != "dmarc") continue;  // "dmarc/1": a version
        const std::string_view rest = trim(std::string_view(part).substr(eq + 1));
        const std::string result(rest.substr(0, rest.find(' ')));
        if (result != "pass") return result.empty() ? "no dmarc result" : result;
        verdict = "pass";
    }
    return verdict.empty() ? "no dmarc result" : verdict;
}

OwnMailTrust judge_own_mail(const std::vector<std::string>& values, std::string_view authserv_id) {
    if (authserv_id.empty()) return {false, "no trusted_authserv_id configured"};
    for (const auto& v : values) {
        const std::string verdict = dmarc_verdict(v, authserv_id);
        if (verdict.empty()) continue;
        if (verdict == "pass") return {true, {}};
        return {false, std::string(authserv_id) + " says dmarc: " + verdict.substr(0, 40)};
    }
    return {false, "no Authentication-Results from " + std::string(authserv_id)};
}

}  // namespace ir::adapters
