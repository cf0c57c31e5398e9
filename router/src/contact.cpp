#include "ir/base/text.hpp"
#include "contact.hpp"

#include <re2/set.h>

#include <cstdlib>

#include "regex.hpp"

#include <algorithm>

namespace ir::router {
namespace {

const RE2& email_re() {
    static const CheckedRegex checked(R"([a-z0-9._%+\-]+@([a-z0-9\-]+(?:\.[a-z0-9\-]+)+))");
    return checked.re;
}

// An international number, or a labelled one ("Tel: 030 1234567").
const RE2& phone_re() {
    static const CheckedRegex checked(
        R"((?:\+\d{1,3}[\s\-.]?\(?\d[\d\s\-.()]{6,}\d)|(?:\b(?:tel|phone|mob|mobile|cell|fax|telefon|teléfono|telefone|téléphone|тел)\.?\s*:?\s*\d[\d\s\-.()]{5,}\d))");
    return checked.re;
}

const RE2& im_re() {
    static const CheckedRegex checked(
        R"(\b(?:whatsapp|wechat|telegram|skype|viber|line id|signal|wa|zalo|imo)\b\s*(?:id|no\.?|number|#)?\s*[:\-]?\s*[+@]?\w[\w.\- ]{3,})");
    return checked.re;
}

const RE2& website_re() {
    static const CheckedRegex checked(
        R"(\bwww\.[a-z0-9\-]+(?:\.[a-z0-9\-]+)+|\bhttps?://[a-z0-9\-]+(?:\.[a-z0-9\-]+)+)");
    return checked.re;
}

// Legal forms in a signature say "this is a company" ("GmbH", "Ltd", "Sp. z o.o.").
const RE2& company_re() {
    static const CheckedRegex checked(
        R"(\b(?:gmbh|ltd|llc|inc|corp|co\.,? ltd|s\.r\.l|srl|s\.l|s\.a|sarl|sas|ag|kg|e\.k|bv|b\.v|oy|ab|plc|pty|ltda|sp\. z o\.o|s\.p\.a|spa|a\.s|jsc|fze|fzco|berhad|sdn bhd|limited|company|ооо|оао|зао|ип)\b\.?)");
    return checked.re;
}

// A street with a number, or a postcode beside a town, in the languages we serve.
const RE2& address_re() {
    static const CheckedRegex checked(
        R"((?:\b\d{1,5}[a-z]?,?\s+(?:[\pL'\-]+\s+){0,3}(?:street|st\.|road|rd\.?|avenue|ave\.?|lane|ln\.|drive|dr\.|boulevard|blvd\.?|way|parkway|highway|place|square)\b))"
        R"(|(?:\b(?:[\pL\-]*(?:straße|strasse|str\.|weg|allee|platz|gasse|damm|ring)|via|viale|corso|rue|avenue|calle|avenida|av\.|rua|ul\.|ulica|улица|ул\.)\s+(?:[\pL'.\-]+\s+){0,4}\d{1,5}\b))"
        R"(|(?:\b\d{1,5},?\s+(?:rue|avenue|boulevard|bd|calle|avenida|rua|chemin|place)\b))"
        R"(|(?:\b[a-z]{1,2}\d{1,2}[a-z]?\s\d[a-z]{2}\b))"
        R"(|(?:\b(?:unit|suite|office|floor|building|p\.?o\.? box)\s+\d+))");
    return checked.re;
}

std::string_view email_domain(std::string_view email) {
    auto at = email.rfind('@');
    return at == std::string_view::npos ? std::string_view{} : email.substr(at + 1);
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
    for (auto& d : free_mail_domains_) d = ascii_lower(d);
}

bool ContactFinder::is_free_mail(std::string_view domain) const {
    auto iequal = [](std::string_view a, std::string_view b) {
        return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
                   return (x >= 'A' && x <= 'Z' ? x - 'A' + 'a' : x) == y;
               });
    };
    for (const std::string& f : free_mail_domains_) {
        // "yahoo." matches any country's yahoo ("yahoo.co.uk"); "gmail.com" the domain or a subdomain.
        for (std::size_t start = 0; start < domain.size();) {
            const std::string_view rest = domain.substr(start);
            const bool hit =
                f.back() == '.' ? rest.size() > f.size() && iequal(rest.substr(0, f.size()), f) : iequal(rest, f);
            if (hit) return true;
            const auto dot = domain.find('.', start);
            if (dot == std::string_view::npos) break;
            start = dot + 1;
        }
    }
    return false;
}

// The signature checks run as one RE2::Set pass over the body: one scan, not five.
const RE2::Set& signature_set() {
    static const RE2::Set set = [] {
        RE2::Set s(case_insensitive_options(), RE2::UNANCHORED);
        for (const RE2* re : {&company_re(), &address_re(), &phone_re(), &im_re(), &website_re()})
            if (s.Add(re->pattern(), nullptr) < 0) std::abort();  // each compiled alone already
        if (!s.Compile()) std::abort();
        return s;
    }();
    return set;
}

enum SignatureFact { kCompany, kAddress, kPhone, kIm, kWebsite };

ContactFinding ContactFinder::find(const Sender& sender, std::string_view body) const {
    ContactFinding f;
    std::vector<int> facts;
    signature_set().Match(body, &facts);
    auto said = [&](SignatureFact fact) { return std::find(facts.begin(), facts.end(), fact) != facts.end(); };
    re2::StringPiece body_domain;
    f.email = !sender.email.empty() || RE2::PartialMatch(body, email_re(), &body_domain);
    const std::string_view domain = sender.email.empty() ? std::string_view(body_domain) : email_domain(sender.email);
    f.free_mail = !domain.empty() && is_free_mail(domain);
    f.company_domain = !domain.empty() && !f.free_mail;
    f.company = !sender.company.empty() || said(kCompany);
    f.address = !sender.address.empty() || said(kAddress);
    f.phone = !sender.phone.empty() || said(kPhone);
    f.im = !sender.im.empty() || said(kIm);
    f.website = said(kWebsite);
    return f;
}

}  // namespace ir::router
