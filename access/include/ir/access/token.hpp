#pragma once
// API tokens: "irt_<id>_<secret>", 48 random bits of public id and 256 of secret, URL-safe.
// Only the secret's SHA-256 is kept; a presented token is found by its id and its secret's
// hash compared in constant time.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ir/sla/time.hpp"

namespace ir::access {

enum class Scope : std::uint8_t {
    api,     // act as the identity, with its role's rights
    ingest,  // POST /v1/events only (a relay)
};
std::string_view to_string(Scope s);
std::optional<Scope> parse_scope(std::string_view s);

using Digest = std::array<std::uint8_t, 32>;

struct TokenRecord {
    std::string id;  // public: names the token in list and revoke
    std::string agent;
    std::vector<Scope> scopes;
    sla::TimePoint created{};
    std::optional<sla::TimePoint> expires;
    Digest secret_hash{};
    std::string label;

    bool has(Scope s) const;
    bool expired(sla::TimePoint now) const { return expires && now >= *expires; }
    bool operator==(const TokenRecord&) const = default;
};

// A token as presented: its id and secret, or nullopt when it is not shaped like one.
struct PresentedToken {
    std::string id;
    std::string secret;
};
std::optional<PresentedToken> parse_token(std::string_view token);

struct NewToken {
    std::string token;  // shown once
    TokenRecord record;
};
// From the system's CSPRNG (OpenSSL RAND_bytes); throws std::runtime_error if it fails.
NewToken generate_token(std::string agent, std::vector<Scope> scopes, sla::TimePoint now,
                        std::optional<sla::TimePoint> expires, std::string label);

Digest hash_secret(std::string_view secret);
// Constant time in the digests' contents.
bool same_digest(const Digest& a, const Digest& b);

std::string to_hex(const Digest& d);
std::optional<Digest> digest_from_hex(std::string_view hex);

}  // namespace ir::access
