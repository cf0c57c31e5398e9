#pragma once
// Secrets for the webhooks (app secrets, verify tokens, relay keys), given inline in the
// config or read from a file the config names. A Secret never prints itself: there is no
// operator<<, describe() is redacted, and no error message ever contains one.
#include <string>
#include <string_view>

#include "ir/base/expected.hpp"

namespace ir::adapters {

class Secret {
public:
    Secret() = default;
    explicit Secret(std::string value) : value_(std::move(value)) {}
    Secret(const Secret&) = default;
    Secret& operator=(const Secret&) = default;
    Secret(Secret&&) noexcept = default;
    Secret& operator=(Secret&&) noexcept = default;
    ~Secret();  // overwrites the bytes before freeing them (best effort)

    // The only way to the bytes: for HMAC keys and token comparisons, never for logs.
    std::string_view reveal() const { return value_; }
    bool empty() const { return value_.empty(); }
    // "<redacted>" or "<unset>": what logs and config dumps may show.
    std::string describe() const { return value_.empty() ? "<unset>" : "<redacted>"; }

private:
    std::string value_;
};

// Reads a secret file: the whole file, less one trailing "\n" (or "\r\n"). Refused, with
// an error naming `key` (the config key, e.g. "adapters.whatsapp.app_secret_file") and
// the path but never the content, when the file cannot be read, is not a regular file,
// is larger than 64 KiB, is empty after the trim, or can be read or written by group or
// others (mode & 077: "chmod 600 <path>", as ssh refuses loose private keys).
Expected<Secret> load_secret_file(const std::string& path, std::string_view key);

// The config's two spellings of one secret: `key` inline or `key_file`. Exactly one must
// be given (both or neither is an error naming `key`); an inline secret must not be empty.
Expected<Secret> resolve_secret(std::string_view key, const std::string* inline_value, const std::string* file_path);

}  // namespace ir::adapters
