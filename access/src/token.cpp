#include "ir/access/token.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <stdexcept>

namespace ir::access {
namespace {

constexpr std::string_view kPrefix = "irt_";
constexpr std::size_t kIdChars = 12;      // 6 bytes, hex
constexpr std::size_t kSecretChars = 43;  // 32 bytes, base64url without padding

void random_bytes(unsigned char* out, std::size_t n) {
    if (RAND_bytes(out, static_cast<int>(n)) != 1) throw std::runtime_error("the system's random source failed");
}

std::string base64url(const unsigned char* data, std::size_t n) {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (std::size_t i = 0; i < n; ++i) {
        acc = (acc << 8) | data[i];
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += alphabet[(acc >> bits) & 0x3F];
        }
    }
    if (bits > 0) out += alphabet[(acc << (6 - bits)) & 0x3F];
    return out;
}

bool url_safe(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

bool hex_digit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

}  // namespace

std::string_view to_string(Scope s) {
    return s == Scope::ingest ? "ingest" : "api";
}

std::optional<Scope> parse_scope(std::string_view s) {
    if (s == "api") return Scope::api;
    if (s == "ingest") return Scope::ingest;
    return std::nullopt;
}

bool TokenRecord::has(Scope s) const {
    return std::find(scopes.begin(), scopes.end(), s) != scopes.end();
}

std::optional<PresentedToken> parse_token(std::string_view token) {
    if (token.size() != kPrefix.size() + kIdChars + 1 + kSecretChars || !token.starts_with(kPrefix))
        return std::nullopt;
    const auto id = token.substr(kPrefix.size(), kIdChars);
    const auto secret = token.substr(kPrefix.size() + kIdChars + 1);
    if (token[kPrefix.size() + kIdChars] != '_' || !std::all_of(id.begin(), id.end(), hex_digit) ||
        !std::all_of(secret.begin(), secret.end(), url_safe))
        return std::nullopt;
    return PresentedToken{std::string(id), std::string(secret)};
}

NewToken generate_token(std::string agent, std::vector<Scope> scopes, sla::TimePoint now,
                        std::optional<sla::TimePoint> expires, std::string label) {
    unsigned char id[kIdChars / 2];
    unsigned char secret[32];
    random_bytes(id, sizeof id);
    random_bytes(secret, sizeof secret);
    Digest id_bytes{};
    std::copy(std::begin(id), std::end(id), id_bytes.begin());
    NewToken out;
    out.record.id = to_hex(id_bytes).substr(0, kIdChars);
    const std::string secret_text = base64url(secret, sizeof secret);
    OPENSSL_cleanse(secret, sizeof secret);
    out.token = std::string(kPrefix) + out.record.id + "_" + secret_text;
    out.record.agent = std::move(agent);
    out.record.scopes = std::move(scopes);
    out.record.created = now;
    out.record.expires = expires;
    out.record.secret_hash = hash_secret(secret_text);
    out.record.label = std::move(label);
    return out;
}

Digest hash_secret(std::string_view secret) {
    Digest d{};
    unsigned int len = 0;
    EVP_Digest(secret.data(), secret.size(), d.data(), &len, EVP_sha256(), nullptr);
    return d;
}

bool same_digest(const Digest& a, const Digest& b) {
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string to_hex(const Digest& d) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(d.size() * 2);
    for (auto b : d) {
        out += digits[b >> 4];
        out += digits[b & 0xF];
    }
    return out;
}

std::optional<Digest> digest_from_hex(std::string_view hex) {
    if (hex.size() != 64 || !std::all_of(hex.begin(), hex.end(), hex_digit)) return std::nullopt;
    Digest d{};
    auto value = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
    for (std::size_t i = 0; i < d.size(); ++i)
        d[i] = static_cast<std::uint8_t>(value(hex[2 * i]) << 4 | value(hex[2 * i + 1]));
    return d;
}

}  // namespace ir::access
