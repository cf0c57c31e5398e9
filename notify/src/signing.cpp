#include "ir/notify/signing.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace ir::notify {

std::string base64(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::string url_encode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() * 3);
    for (unsigned char c : text) {
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                                c == '-' || c == '.' || c == '_' || c == '~';
        if (unreserved) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0xf]);
        }
    }
    return out;
}

std::string hmac_sha256(std::string_view key, std::string_view message) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    static const unsigned char kEmpty = 0;  // OpenSSL refuses null pointers even for length 0
    const auto* k = key.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(key.data());
    const auto* m = message.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(message.data());
    if (!HMAC(EVP_sha256(), k, static_cast<int>(key.size()), m, message.size(), mac, &len)) return {};
    return std::string(reinterpret_cast<const char*>(mac), len);
}

std::string dingtalk_sign(std::string_view secret, std::int64_t timestamp_ms) {
    const std::string to_sign = std::to_string(timestamp_ms) + "\n" + std::string(secret);
    return base64(hmac_sha256(secret, to_sign));
}

std::string feishu_sign(std::string_view secret, std::int64_t timestamp_s) {
    const std::string key = std::to_string(timestamp_s) + "\n" + std::string(secret);
    return base64(hmac_sha256(key, ""));
}

}  // namespace ir::notify
