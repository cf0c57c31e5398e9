#pragma once
// The text half of mail parsing, pure string work with no MIME library: HTML to plain
// text, splitting a body into what the buyer wrote now (scored) and what is quoted
// history or signature (not scored), and contact details read from the signature.
#include <string>
#include <string_view>

#include "ir/base/text.hpp"
#include "ir/router/event.hpp"

namespace ir::adapters {

// Drops tags, <script>, <style> and <blockquote> (quoted history) content; block tags
// become line breaks; common and numeric entities are decoded.
std::string html_to_text(std::string_view html);

struct MailBodyParts {
    std::string fresh;      // what the sender wrote in this message: the scored body
    std::string signature;  // the "-- " block or the lines after a sign-off ("Best regards,")
    bool quoted = false;    // quoted history was cut off
};

// Quoted history: lines starting with '>', "On ... wrote:", "-----Original Message-----",
// Outlook "From: ... Sent:" headers, and everything after them.
MailBodyParts split_body(std::string_view text);

// Fills the empty fields of `s` from signature lines: "Tel:", "Mobile", "WhatsApp",
// "WeChat", "Skype", a company line (GmbH, Ltd, ...), "Address:", a name after a sign-off;
// the country from the phone's calling code or the email's country domain.
void read_contact(std::string_view signature, router::Sender& s);

}  // namespace ir::adapters
