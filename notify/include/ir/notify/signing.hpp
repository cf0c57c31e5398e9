#pragma once
// The robots' request signatures, exactly as their platforms document them.
#include <cstdint>
#include <string>
#include <string_view>

namespace ir::notify {

// Standard base64 (RFC 4648, with padding).
std::string base64(std::string_view bytes);
// Percent-encodes everything but RFC 3986's unreserved characters (A-Z a-z 0-9 - . _ ~).
std::string url_encode(std::string_view text);
// The raw 32-byte HMAC-SHA256 of `message` under `key`.
std::string hmac_sha256(std::string_view key, std::string_view message);

// DingTalk custom robot: base64(HMAC-SHA256(key = secret, message = timestamp + "\n" + secret)),
// timestamp in milliseconds; the caller URL-encodes it into `&timestamp=...&sign=...`.
std::string dingtalk_sign(std::string_view secret, std::int64_t timestamp_ms);
// Feishu custom bot: base64(HMAC-SHA256(key = timestamp + "\n" + secret, message = "")),
// timestamp in seconds; sent in the JSON body as "timestamp" and "sign".
std::string feishu_sign(std::string_view secret, std::int64_t timestamp_s);

}  // namespace ir::notify
