#include "ir/adapters/hmac.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>

namespace ir::adapters {
namespace {

constexpr std::size_t kDigestBytes = 32;

bool hmac_sha256(std::string_view secret, std::string_view body, std::array<unsigned char, kDigestBytes>& out) {
    unsigned int len = 0;
    // OpenSSL rejects a null key pointer even with length 0; an empty string_view may have one.
    static const unsigned char kEmpty = 0;
    const auto* key = secret.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(secret.data());
    const auto* data = body.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(body.data());
    if (!HMAC(EVP_sha256(), key, static_cast<int>(secret.size()), data, body.size(), out.data(), &len)) return false;
    return len == kDigestBytes;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string hmac_sha256_hex(std::string_view secret, std::string_view body) {
    std::array<unsigned char, kDigestBytes> mac{};
    if (!hmac_sha256(secret, body, mac)) return {};
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * kDigestBytes);
    for (unsigned char b : mac) {
        out.push_back(kHex[b >> 4]);
        out.push_back(kHex[b & 0xf]);
    }
    return out;
}

std::string sign_sha256_header(std::string_view secret, std::string_view body) {
    return "sha256=" + hmac_sha256_hex(secret, body);
}

bool verify_hmac_sha256_hex(std::string_view secret, std::string_view body, std::string_view signature) {
    if (secret.empty()) return false;
    constexpr std::string_view kPrefix = "sha256=";
    if (signature.substr(0, kPrefix.size()) == kPrefix) signature.remove_prefix(kPrefix.size());
    if (signature.size() != 2 * kDigestBytes) return false;
    std::array<unsigned char, kDigestBytes> given{};
    bool well_formed = true;
    for (std::size_t i = 0; i < kDigestBytes; ++i) {
        const int hi = hex_value(signature[2 * i]), lo = hex_value(signature[2 * i + 1]);
        well_formed = well_formed && hi >= 0 && lo >= 0;
        given[i] = static_cast<unsigned char>(((hi & 0xf) << 4) | (lo & 0xf));
    }
    std::array<unsigned char, kDigestBytes> expected{};
    if (!hmac_sha256(secret, body, expected)) return false;
    const bool same = CRYPTO_memcmp(given.data(), expected.data(), kDigestBytes) == 0;
    return same && well_formed;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    if (a.empty()) return true;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace ir::adapters
