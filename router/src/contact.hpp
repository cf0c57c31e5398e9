#pragma once
// Contact completeness (DOMAIN.md tier 2): company, address, phone, email and an IM
// handle, from the sender fields or the body's signature; and whether the sender
// can be verified at all (a company domain or a website, not just free mail).
#include <string>
#include <string_view>
#include <vector>

#include "ir/router/event.hpp"

namespace ir::router {

struct ContactFinding {
    bool company = false;
    bool address = false;
    bool phone = false;
    bool email = false;
    bool im = false;
    bool free_mail = false;       // the sender's mail domain is a free-mail provider
    bool company_domain = false;  // a mail domain of its own
    bool website = false;         // a website named in the message

    bool complete() const { return company && address && phone && email && im; }
    std::vector<std::string> missing() const;
};

class ContactFinder {
public:
    explicit ContactFinder(std::vector<std::string> free_mail_domains);
    ContactFinding find(const Sender& sender, std::string_view body) const;

private:
    bool is_free_mail(std::string_view domain) const;
    std::vector<std::string> free_mail_domains_;
};

}  // namespace ir::router
