#pragma once
// One RFC 5322 mail (bytes) to an inquiry event, a "not an inquiry" verdict (bounce,
// delivery report, auto-reply) or an error. Pure: no files, no clock (`now` is given).
//
// Untrusted input: GMime 3.2.13 (Debian 12) can loop forever on crafted mail, so the
// daemon never calls this in-process; it runs in the `inquiryd-mailparse` worker, which
// the daemon kills on a deadline (see daemon/maildir_worker.hpp).
#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ir/router/event.hpp"
#include "ir/sla/time.hpp"

namespace ir::adapters {

// The scored body is cut (on a character boundary) beyond this: no inquiry is longer.
inline constexpr std::size_t kMaxMailBodyBytes = std::size_t{1} << 20;

struct MailOptions {
    std::string account;
    // Mail From one of these is our reply (outbound) only from the Sent folder (`outbound`)
    // or with a dmarc=pass from trusted_authserv_id (mail_trust.hpp); otherwise inbound.
    std::vector<std::string> own_addresses;
    std::string trusted_authserv_id;  // empty: no inbox mail is our reply
    sla::TimePoint arrival{};         // when the mail reached us (its file's mtime): see mail_date.hpp
    sla::Duration date_skew = std::chrono::minutes(15);  // how far Date: may be from the Received: time
    bool outbound = false;                               // from our Sent folder: outbound whoever it is from
    std::size_t max_bytes = std::size_t{10} << 20;
    std::size_t max_parts = 200;  // MIME parts, counted over the whole tree
    std::size_t max_depth = 20;   // nesting of multiparts and attached messages
    bool operator==(const MailOptions&) const = default;
};

// Recognised, logged, not turned into an inquiry.
struct MailNotInquiry {
    std::string reason;  // "delivery report (multipart/report)", "auto-reply (Auto-Submitted: auto-replied)"
    std::string from;
    std::string message_id;
    bool operator==(const MailNotInquiry&) const = default;
};

// The mail cannot be read (quarantine it).
struct MailError {
    std::string reason;
    bool operator==(const MailError&) const = default;
};

using MailResult = std::variant<router::Event, MailNotInquiry, MailError>;

// `date_note`, when given, says why Date: was not taken as received_at ("" when it was).
MailResult parse_mail(std::string_view raw, const MailOptions& options, std::string* date_note = nullptr);

// Initialises GMime once per process (thread-safe); parse_mail calls it.
void init_gmime();

}  // namespace ir::adapters
