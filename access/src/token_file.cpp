#include "ir/access/token_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

namespace ir::access {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kHeader =
    "# inquiryd API tokens and CURVE client keys: written by `inquiryctl token`, keep it mode 0600.\n"
    "# token <id> <agent> <scopes> <created ms> <expires ms, 0: never> <sha256 of the secret> <label>\n"
    "# curve <agent> <public key, Z85> <created ms> <label>\n";

std::vector<std::string_view> split_tabs(std::string_view line) {
    std::vector<std::string_view> out;
    for (;;) {
        const auto tab = line.find('\t');
        out.push_back(line.substr(0, tab));
        if (tab == std::string_view::npos) return out;
        line.remove_prefix(tab + 1);
    }
}

std::optional<std::int64_t> to_int(std::string_view s) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

std::optional<std::vector<Scope>> to_scopes(std::string_view s) {
    std::vector<Scope> out;
    for (;;) {
        const auto comma = s.find(',');
        auto scope = parse_scope(s.substr(0, comma));
        if (!scope) return std::nullopt;
        out.push_back(*scope);
        if (comma == std::string_view::npos) return out;
        s.remove_prefix(comma + 1);
    }
}

std::optional<TokenRecord> token_record(const std::vector<std::string_view>& f) {
    if (f.size() != 8) return std::nullopt;
    TokenRecord r;
    r.id = f[1];
    r.agent = f[2];
    auto scopes = to_scopes(f[3]);
    auto created = to_int(f[4]);
    auto expires = to_int(f[5]);
    auto hash = digest_from_hex(f[6]);
    if (r.id.empty() || r.agent.empty() || !scopes || !created || !expires || !hash) return std::nullopt;
    r.scopes = std::move(*scopes);
    r.created = sla::from_unix_ms(*created);
    if (*expires != 0) r.expires = sla::from_unix_ms(*expires);
    r.secret_hash = *hash;
    r.label = f[7];
    return r;
}

std::optional<CurveKeyRecord> curve_record(const std::vector<std::string_view>& f) {
    if (f.size() != 5 || f[1].empty() || f[2].size() != 40) return std::nullopt;
    auto created = to_int(f[3]);
    if (!created) return std::nullopt;
    return CurveKeyRecord{std::string(f[1]), std::string(f[2]), sla::from_unix_ms(*created), std::string(f[4])};
}

// Labels are free text: kept on one line and one field.
std::string clean(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    return out;
}

}  // namespace

const TokenRecord* TokenFile::find(std::string_view id) const {
    for (const auto& t : tokens)
        if (t.id == id) return &t;
    return nullptr;
}

Expected<TokenFile> read_token_file(const fs::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) return TokenFile{};
        return Error{path.string() + ": cannot read: " + std::strerror(errno)};
    }
    if ((st.st_mode & 077) != 0)
        return Error{path.string() + ": group or others may read it; run chmod 600 " + path.string()};
    std::ifstream in(path);
    if (!in) return Error{path.string() + ": cannot read"};
    TokenFile out;
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
        if (line.empty() || line.front() == '#') continue;
        const auto fields = split_tabs(line);
        bool ok = false;
        if (fields[0] == "token") {
            auto r = token_record(fields);
            if ((ok = r.has_value())) out.tokens.push_back(std::move(*r));
        } else if (fields[0] == "curve") {
            auto r = curve_record(fields);
            if ((ok = r.has_value())) out.curve_keys.push_back(std::move(*r));
        }
        if (!ok) return Error{path.string() + ":" + std::to_string(n) + ": not a token or curve record"};
    }
    return out;
}

std::string format_token_file(const TokenFile& file) {
    std::ostringstream out;
    out << kHeader;
    for (const auto& t : file.tokens) {
        std::string scopes;
        for (auto s : t.scopes) scopes.append(scopes.empty() ? "" : ",").append(to_string(s));
        out << "token\t" << t.id << '\t' << t.agent << '\t' << scopes << '\t' << sla::to_unix_ms(t.created) << '\t'
            << (t.expires ? sla::to_unix_ms(*t.expires) : 0) << '\t' << to_hex(t.secret_hash) << '\t' << clean(t.label)
            << '\n';
    }
    for (const auto& k : file.curve_keys)
        out << "curve\t" << k.agent << '\t' << k.public_key << '\t' << sla::to_unix_ms(k.created) << '\t'
            << clean(k.label) << '\n';
    return out.str();
}

std::optional<Error> write_token_file(const fs::path& path, const TokenFile& file) {
    const std::string text = format_token_file(file);
    const fs::path tmp = path.string() + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return Error{tmp.string() + ": cannot write: " + std::strerror(errno)};
    bool ok = ::fchmod(fd, 0600) == 0;
    for (std::size_t done = 0; ok && done < text.size();) {
        const auto n = ::write(fd, text.data() + done, text.size() - done);
        ok = n > 0;
        if (ok) done += static_cast<std::size_t>(n);
    }
    ok = ok && ::fsync(fd) == 0;
    ok = (::close(fd) == 0) && ok;
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
        const std::string why = std::strerror(errno);
        ::unlink(tmp.c_str());
        return Error{path.string() + ": cannot write: " + why};
    }
    return std::nullopt;
}

Expected<TokenFileLock> TokenFileLock::acquire(const fs::path& tokens_file) {
    const fs::path lock = tokens_file.string() + ".lock";
    const int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return Error{lock.string() + ": cannot open: " + std::strerror(errno)};
    if (::flock(fd, LOCK_EX) != 0) {
        ::close(fd);
        return Error{lock.string() + ": cannot lock: " + std::strerror(errno)};
    }
    return TokenFileLock(fd);
}

TokenFileLock::TokenFileLock(TokenFileLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

TokenFileLock::~TokenFileLock() {
    if (fd_ >= 0) ::close(fd_);
}

}  // namespace ir::access
