#pragma once
// HMAC-SHA256 signatures of webhook bodies (WhatsApp's X-Hub-Signature-256, the
// marketplace relay's X-Signature-256) and a constant-time comparison for shared tokens.
#include <string>
#include <string_view>

namespace ir::adapters {

// Lower-case hex HMAC-SHA256 of body under secret (64 characters).
std::string hmac_sha256_hex(std::string_view secret, std::string_view body);

// "sha256=<hex>" as the webhook senders put it in their signature header.
std::string sign_sha256_header(std::string_view secret, std::string_view body);

// True when signature is the HMAC-SHA256 of body under secret, as 64 hex digits of
// either case, optionally prefixed "sha256=". The comparison takes the same time
// wherever the first difference is. An empty secret never verifies anything.
bool verify_hmac_sha256_hex(std::string_view secret, std::string_view body, std::string_view signature);

// Constant-time equality of two strings (time depends only on their lengths).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace ir::adapters
