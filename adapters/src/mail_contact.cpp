// Contact details from a mail signature: phone, IM handle, company, address, name, country.
#include <algorithm>

#include "ir/base/text.hpp"
#include <array>
#include <cctype>
#include <string>

#include "ir/adapters/mail_text.hpp"

namespace ir::adapters {
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// The first run of phone characters with at least 7 digits, e.g. "+49 (30) 123-4567".
std::string find_phone(std::string_view line) {
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (!is_digit(line[i]) && line[i] != '+' && line[i] != '(') continue;
        std::size_t j = i, digits = 0;
        while (j < line.size() &&
               (is_digit(line[j]) || std::string_view("+ ()-./").find(line[j]) != std::string_view::npos)) {
            if (is_digit(line[j])) ++digits;
            ++j;
        }
        if (digits >= 7 && digits <= 15) return std::string(trim(line.substr(i, j - i)));
        i = j;
    }
    return {};
}

std::string digits_only(std::string_view phone) {
    std::string out = !phone.empty() && phone[0] == '+' ? "+" : "";
    for (char c : phone)
        if (is_digit(c)) out += c;
    return out;
}

// After the label ("Tel:", "WeChat -", "Address:"): the value.
std::string_view after_label(std::string_view line) {
    auto p = line.find_first_of(":\uFF1A");
    if (p == std::string_view::npos) p = line.find(' ');
    if (p == std::string_view::npos) return {};
    auto v = line.substr(p + 1);
    while (!v.empty() && (v.front() == ':' || v.front() == '-' || std::isspace(static_cast<unsigned char>(v.front()))))
        v.remove_prefix(1);
    // ':' in UTF-8 (EF BC 9A) leaves continuation bytes behind.
    while (!v.empty() && (static_cast<unsigned char>(v.front()) & 0xC0) == 0x80) v.remove_prefix(1);
    return trim(v);
}

bool is_company_line(std::string_view line) {
    static const std::array<const char*, 22> kSuffixes = {
        "gmbh", "ltd",  "ltd.",   "llc", "inc",  "inc.", "corp", "corp.", "corporation", "limited", "s.a.",
        "s.l.", "sarl", "s.r.l.", "srl", "b.v.", "bv",   "ag",   "pty",   "llp",         "plc",     "co.,ltd"};
    if (line.size() > 100 || line.find('@') != std::string_view::npos) return false;
    std::string token;
    const std::string l = ascii_lower(line) + " ";
    for (char c : l) {
        if (c == ' ' || c == ',' || c == '(' || c == ')') {
            if (!token.empty() &&
                std::any_of(kSuffixes.begin(), kSuffixes.end(), [&](const char* s) { return token == s; }))
                return true;
            token.clear();
        } else {
            token += c;
        }
    }
    return l.find("co., ltd") != std::string::npos || l.find("co.,ltd") != std::string::npos;
}

bool looks_like_name(std::string_view line) {
    if (line.empty() || line.size() > 60) return false;
    if (line.find_first_of("@:0123456789/|") != std::string_view::npos) return false;
    if (!std::isalpha(static_cast<unsigned char>(line[0])) && static_cast<unsigned char>(line[0]) < 0x80) return false;
    return std::count(line.begin(), line.end(), ' ') <= 3;
}

struct CallingCode {
    const char* prefix;
    const char* country;
};
// Longest prefixes first, so "+971" wins over "+97".
constexpr std::array<CallingCode, 52> kCallingCodes = {{
    {"+971", "AE"}, {"+966", "SA"}, {"+880", "BD"}, {"+852", "HK"}, {"+886", "TW"}, {"+972", "IL"}, {"+380", "UA"},
    {"+351", "PT"}, {"+353", "IE"}, {"+358", "FI"}, {"+234", "NG"}, {"+254", "KE"}, {"+212", "MA"}, {"+974", "QA"},
    {"+965", "KW"}, {"+420", "CZ"}, {"+1", "US"},   {"+7", "RU"},   {"+20", "EG"},  {"+27", "ZA"},  {"+30", "GR"},
    {"+31", "NL"},  {"+32", "BE"},  {"+33", "FR"},  {"+34", "ES"},  {"+36", "HU"},  {"+39", "IT"},  {"+40", "RO"},
    {"+41", "CH"},  {"+43", "AT"},  {"+44", "GB"},  {"+45", "DK"},  {"+46", "SE"},  {"+47", "NO"},  {"+48", "PL"},
    {"+49", "DE"},  {"+51", "PE"},  {"+52", "MX"},  {"+54", "AR"},  {"+55", "BR"},  {"+56", "CL"},  {"+57", "CO"},
    {"+60", "MY"},  {"+61", "AU"},  {"+62", "ID"},  {"+63", "PH"},  {"+64", "NZ"},  {"+65", "SG"},  {"+66", "TH"},
    {"+81", "JP"},  {"+82", "KR"},  {"+86", "CN"},
}};

std::string country_of_phone(std::string_view phone) {
    const std::string d = digits_only(phone);
    if (d.empty() || d[0] != '+') return {};
    for (const auto& c : kCallingCodes)
        if (d.rfind(c.prefix, 0) == 0) return c.country;
    if (d.rfind("+84", 0) == 0) return "VN";
    if (d.rfind("+90", 0) == 0) return "TR";
    if (d.rfind("+91", 0) == 0) return "IN";
    if (d.rfind("+92", 0) == 0) return "PK";
    return {};
}

// Country-code top-level domains that are used as such (not .io, .co, .me, .tv, ...).
std::string country_of_email(std::string_view email) {
    const auto dot = email.rfind('.');
    if (dot == std::string_view::npos || email.size() - dot != 3) return {};
    const std::string tld = ascii_lower(email.substr(dot + 1));
    static const std::array<const char*, 40> kUsed = {"de", "fr", "it", "es", "nl", "be", "at", "ch", "pl", "se",
                                                      "no", "dk", "fi", "pt", "ie", "gr", "cz", "hu", "ro", "ru",
                                                      "ua", "tr", "cn", "jp", "kr", "in", "br", "mx", "ar", "cl",
                                                      "za", "ng", "au", "nz", "sg", "my", "th", "vn", "id", "ae"};
    if (std::none_of(kUsed.begin(), kUsed.end(), [&](const char* t) { return tld == t; })) return {};
    std::string cc = tld;
    for (char& c : cc) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return cc;
}

void read_line(std::string_view line, const std::string& l, router::Sender& s) {
    if (l.find("whatsapp") != std::string::npos) {
        const auto phone = find_phone(line);
        if (!phone.empty() && s.im.empty()) s.im = "whatsapp:" + digits_only(phone);
        if (!phone.empty() && s.phone.empty()) s.phone = phone;
        return;
    }
    for (const char* im : {"wechat", "skype", "telegram"}) {
        if (l.rfind(im, 0) == 0) {
            const auto v = after_label(line);
            if (!v.empty() && s.im.empty()) s.im = std::string(im) + ":" + std::string(utf8_prefix(v, 100));
            return;
        }
    }
    if (l.rfind("fax", 0) == 0) return;
    for (const char* label : {"tel", "phone", "mobile", "mob", "cell", "ph", "t:", "m:", "t.", "m."}) {
        if (l.rfind(label, 0) == 0) {
            if (auto phone = find_phone(line); !phone.empty() && s.phone.empty()) s.phone = phone;
            return;
        }
    }
    for (const char* label : {"address", "add:", "addr", "adresse", "dirección", "direccion", "indirizzo"}) {
        if (l.rfind(label, 0) == 0) {
            if (auto v = after_label(line); !v.empty() && s.address.empty()) s.address = std::string(v);
            return;
        }
    }
    if (l.rfind("company", 0) == 0 || l.rfind("firma", 0) == 0) {
        if (auto v = after_label(line); !v.empty() && s.company.empty()) s.company = std::string(v);
        return;
    }
    if (is_company_line(line) && s.company.empty()) s.company = std::string(line);
}

}  // namespace

void read_contact(std::string_view signature, router::Sender& s) {
    bool name_next = true;  // the first plain line of a signature is usually the name
    std::size_t count = 0;
    while (!signature.empty() && count++ < 40) {
        const auto nl = signature.find('\n');
        const auto line = trim(signature.substr(0, nl));
        signature = nl == std::string_view::npos ? std::string_view{} : signature.substr(nl + 1);
        if (line.empty()) continue;
        std::string l = ascii_lower(line);
        std::string tl = l;
        while (!tl.empty() && (tl.back() == ',' || tl.back() == '.' || tl.back() == '!')) tl.pop_back();
        if (tl.find("regards") != std::string::npos || tl == "thanks" || tl == "best" || tl == "thank you" ||
            tl == "sincerely" || tl == "cheers" || tl.find("grüße") != std::string::npos) {
            name_next = true;
            continue;
        }
        if (name_next && looks_like_name(line) && !is_company_line(line)) {
            if (s.name.empty()) s.name = std::string(line);
            name_next = false;
            continue;
        }
        name_next = false;
        read_line(line, l, s);
    }
    if (s.country.empty()) s.country = country_of_phone(s.phone);
    if (s.country.empty()) s.country = country_of_email(s.email);
}

}  // namespace ir::adapters
