#include "contact.hpp"

#include <re2/re2.h>

#include <algorithm>

namespace ir::router {
namespace {

RE2::Options case_insensitive() {
    RE2::Options o;
    o.set_case_sensitive(false);
    o.set_log_errors(false);
    return o;
}

const RE2& email_re() {
    static const RE2 re(R"([a-z0-9._%+\-]+@([a-z0-9\-]+(?:\.[a-z0-9\-]+)+))", case_insensitive());
    return re;
}

// An international number, or a labelled one ("Tel: 030 1234567").
const RE2& phone_re() {
    static const RE2 re(
        R"((?:\+\d{1,3}[\s\-.]?\(?\d[\d\s\-.()]{6,}\d)|(?:\b(?:tel|phone|mob|mobile|cell|fax|telefon|teléfono|telefone|téléphone|тел)\.?\s*:?\s*\d[\d\s\-.()]{5,}\d))",
        case_insensitive());
    return re;
}

const RE2& im_re() {
    static const RE2 re(
        R"(\b(?:whatsapp|wechat|telegram|skype|viber|line id|signal|wa|zalo|imo)\b\s*(?:id|no\.?|number|#)?\s*[:\-]?\s*[+@]?[\w.\-]{4,})",
        case_insensitive());
    return re;
}

const RE2& website_re() {
    static const RE2 re(R"(\bwww\.[a-z0-9\-]+(?:\.[a-z0-9\-]+)+|\bhttps?://[a-z0-9\-]+(?:\.[a-z0-9\-]+)+)",
                        case_insensitive());
    return re;
}

// Legal forms in a signature say "this is a company" ("GmbH", "Ltd", "Sp. z o.o.").
const RE2& company_re() {
    static const RE2 re(
        R"(\b(?:gmbh|ltd|llc|inc|corp|co\.,? ltd|s\.r\.l|srl|s\.l|s\.a|sarl|sas|ag|kg|e\.k|bv|b\.v|oy|ab|plc|pty|ltda|sp\. z o\.o|s\.p\.a|spa|a\.s|jsc|fze|fzco|berhad|sdn bhd|limited|company|ооо|оао|зао|ип)\b\.?)",
        case_insensitive());
    return re;
}

// A street with a number, or a postcode beside a town, in the languages we serve.
const RE2& address_re() {
    static const RE2 re(
        R"((?:\b\d{1,5}[a-z]?,?\s+(?:[\pL'\-]+\s+){0,3}(?:street|st\.|road|rd\.?|avenue|ave\.?|lane|ln\.|drive|dr\.|boulevard|blvd\.?|way|parkway|highway|place|square)\b))"
        R"(|(?:\b(?:[\pL\-]*(?:straße|strasse|str\.|weg|allee|platz|gasse|damm|ring)|via|viale|corso|rue|avenue|calle|avenida|av\.|rua|ul\.|ulica|улица|ул\.)\s+[\pL0-9'.\- ]{2,40}?\d{1,5})"
        R"(|(?:\b[a-z]{1,2}\d{1,2}[a-z]?\s\d[a-z]{2}\b))"
        R"(|(?:\b(?:unit|suite|office|floor|building|p\.?o\.? box)\s+\d+))",
        case_insensitive());
    return re;
}

std::string_view email_domain(std::string_view email) {
    auto at = email.rfind('@');
    return at == std::string_view::npos ? std::string_view{} : email.substr(at + 1);
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

}  // namespace

std::vector<std::string> ContactFinding::missing() const {
    std::vector<std::string> out;
    if (!company) out.emplace_back("company");
    if (!address) out.emplace_back("address");
    if (!phone) out.emplace_back("phone");
    if (!email) out.emplace_back("email");
    if (!im) out.emplace_back("IM handle");
    return out;
}

ContactFinder::ContactFinder(std::vector<std::string> free_mail_domains)
    : free_mail_domains_(std::move(free_mail_domains)) {
    for (auto& d : free_mail_domains_) d = lower(d);
}

bool ContactFinder::is_free_mail(std::string_view domain) const {
    const std::string d = lower(domain);
    return std::any_of(free_mail_domains_.begin(), free_mail_domains_.end(), [&](const std::string& f) {
        // "yahoo." matches any country's yahoo; "gmail.com" matches exactly or as a suffix.
        if (!f.empty() && f.back() == '.') return d.rfind(f, 0) == 0 || d.find("." + f) != std::string::npos;
        return d == f || (d.size() > f.size() && d.ends_with("." + f));
    });
}

ContactFinding ContactFinder::find(const Sender& sender, std::string_view body) const {
    ContactFinding f;
    re2::StringPiece body_domain;
    f.email = !sender.email.empty() || RE2::PartialMatch(body, email_re(), &body_domain);
    const std::string_view domain = sender.email.empty() ? std::string_view(body_domain) : email_domain(sender.email);
    f.free_mail = !domain.empty() && is_free_mail(domain);
    f.company_domain = !domain.empty() && !f.free_mail;
    f.company = !sender.company.empty() || RE2::PartialMatch(body, company_re());
    f.address = !sender.address.empty() || RE2::PartialMatch(body, address_re());
    f.phone = !sender.phone.empty() || RE2::PartialMatch(body, phone_re());
    f.im = !sender.im.empty() || RE2::PartialMatch(body, im_re());
    f.website = RE2::PartialMatch(body, website_re());
    return f;
}

}  // namespace ir::router
