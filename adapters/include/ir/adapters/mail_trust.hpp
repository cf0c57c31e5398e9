#pragma once
// Whether an inbox mail From one of our own addresses really is ours: pure string work on
// Authentication-Results headers (RFC 8601), no MIME library.
//
// A sender can write any From: and any Authentication-Results: of their own. Only the
// topmost Authentication-Results carrying the configured authserv-id counts: the trusted
// server adds its header above everything the mail already had.
#include <string>
#include <string_view>
#include <vector>

namespace ir::adapters {

// For one Authentication-Results value: "" when it is not from `authserv_id`; otherwise
// "pass" when every dmarc result in it is pass, else what the dmarc result was ("fail",
// "none", ...) or "no dmarc result".
std::string dmarc_verdict(std::string_view value, std::string_view authserv_id);

struct OwnMailTrust {
    bool trusted = false;
    std::string reason;  // why not, for the log
};

// `values`: every Authentication-Results value of the mail, topmost first.
OwnMailTrust judge_own_mail(const std::vector<std::string>& values, std::string_view authserv_id);

}  // namespace ir::adapters
