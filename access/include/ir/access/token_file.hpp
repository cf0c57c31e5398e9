#pragma once
// The tokens file (`[access] tokens_file`, default <state_dir>/tokens): every API token's
// hash and every registered CURVE client key, one record a line, tab-separated. inquiryctl
// writes it (whole, to a temporary file renamed over it, mode 0600); inquiryd reads it at
// start and again whenever it changes. A file that group or others may read is refused.
#include <filesystem>
#include <string>
#include <vector>

#include "ir/access/token.hpp"
#include "ir/base/expected.hpp"

namespace ir::access {

struct CurveKeyRecord {
    std::string agent;
    std::string public_key;  // Z85, 40 characters
    sla::TimePoint created{};
    std::string label;
    bool operator==(const CurveKeyRecord&) const = default;
};

struct TokenFile {
    std::vector<TokenRecord> tokens;
    std::vector<CurveKeyRecord> curve_keys;

    const TokenRecord* find(std::string_view id) const;
    bool operator==(const TokenFile&) const = default;
};

// A missing file reads as empty. Errors name the file and, for a bad record, its line.
Expected<TokenFile> read_token_file(const std::filesystem::path& path);
std::string format_token_file(const TokenFile& file);
std::optional<Error> write_token_file(const std::filesystem::path& path, const TokenFile& file);

// Held while one inquiryctl edits the file, so two edits never lose one another.
class TokenFileLock {
public:
    static Expected<TokenFileLock> acquire(const std::filesystem::path& tokens_file);
    TokenFileLock(TokenFileLock&& other) noexcept;
    TokenFileLock& operator=(TokenFileLock&&) = delete;
    TokenFileLock(const TokenFileLock&) = delete;
    ~TokenFileLock();

private:
    explicit TokenFileLock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

}  // namespace ir::access
