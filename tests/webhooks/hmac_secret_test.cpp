// HMAC-SHA256 signatures and secrets from the config or from files.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "ir/adapters/hmac.hpp"
#include "ir/adapters/secret.hpp"

using namespace ir;
namespace fs = std::filesystem;

TEST_CASE("HMAC-SHA256 matches RFC 4231 test case 2") {
    CHECK(adapters::hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("signatures verify with or without the sha256= prefix, in either case") {
    const std::string body = R"({"a":1})";
    const std::string sig = adapters::sign_sha256_header("s3cret", body);
    CHECK(sig.substr(0, 7) == "sha256=");
    CHECK(adapters::verify_hmac_sha256_hex("s3cret", body, sig));
    CHECK(adapters::verify_hmac_sha256_hex("s3cret", body, sig.substr(7)));
    std::string upper = sig.substr(7);
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CHECK(adapters::verify_hmac_sha256_hex("s3cret", body, upper));
}

TEST_CASE("wrong, truncated, garbled or missing signatures and empty secrets do not verify") {
    const std::string body = "payload";
    const std::string sig = adapters::sign_sha256_header("s3cret", body);
    CHECK_FALSE(adapters::verify_hmac_sha256_hex("other", body, sig));
    CHECK_FALSE(adapters::verify_hmac_sha256_hex("s3cret", body + " ", sig));
    CHECK_FALSE(adapters::verify_hmac_sha256_hex("s3cret", body, sig.substr(0, sig.size() - 1)));
    CHECK_FALSE(adapters::verify_hmac_sha256_hex("s3cret", body, sig + "0"));
    CHECK_FALSE(adapters::verify_hmac_sha256_hex("s3cret", body, ""));
    CHECK_FALSE(adapters::verify_hmac_sha256_hex("s3cret", body, "sha1=" + sig.substr(7)));
    std::string garbled = sig;
    garbled[10] = 'g';
    CHECK_FALSE(adapters::verify_hmac_sha256_hex("s3cret", body, garbled));
    CHECK_FALSE(adapters::verify_hmac_sha256_hex("", body, adapters::sign_sha256_header("", body)));
}

TEST_CASE("constant-time equality") {
    CHECK(adapters::constant_time_equal("abc", "abc"));
    CHECK(adapters::constant_time_equal("", ""));
    CHECK_FALSE(adapters::constant_time_equal("abc", "abd"));
    CHECK_FALSE(adapters::constant_time_equal("abc", "abcd"));
}

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        char tmpl[] = "/tmp/ir-secret-XXXXXX";
        path = ::mkdtemp(tmpl);
    }
    ~TempDir() { fs::remove_all(path); }
    std::string write(const std::string& name, const std::string& content, mode_t mode) const {
        const auto p = path / name;
        std::ofstream(p, std::ios::binary) << content;
        ::chmod(p.c_str(), mode);
        return p.string();
    }
};

}  // namespace

TEST_CASE("a secret file loses one trailing newline and nothing else") {
    TempDir d;
    auto s = adapters::load_secret_file(d.write("a", "tok en\n", 0600), "k_file");
    REQUIRE(s.has_value());
    CHECK(s->reveal() == "tok en");
    s = adapters::load_secret_file(d.write("b", "token\r\n", 0400), "k_file");
    REQUIRE(s.has_value());
    CHECK(s->reveal() == "token");
    s = adapters::load_secret_file(d.write("c", "token\n\n", 0600), "k_file");
    REQUIRE(s.has_value());
    CHECK(s->reveal() == "token\n");
    s = adapters::load_secret_file(d.write("d", "token", 0600), "k_file");
    REQUIRE(s.has_value());
    CHECK(s->reveal() == "token");
    s = adapters::load_secret_file(d.write("e", "token\r", 0600), "k_file");
    REQUIRE(s.has_value());
    CHECK(s->reveal() == "token\r");
}

TEST_CASE("empty, missing, loose or odd secret files are refused without showing the secret") {
    TempDir d;
    auto e = adapters::load_secret_file(d.write("empty", "\n", 0600), "adapters.whatsapp.app_secret_file");
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().field == "adapters.whatsapp.app_secret_file");
    CHECK(e.error().message.find("empty") != std::string::npos);

    e = adapters::load_secret_file(d.write("loose", "hunter2-very-secret\n", 0640), "k_file");
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().message.find("chmod 600") != std::string::npos);
    CHECK(e.error().message.find("hunter2") == std::string::npos);
    e = adapters::load_secret_file(d.write("world", "hunter2\n", 0604), "k_file");
    REQUIRE_FALSE(e.has_value());

    e = adapters::load_secret_file((d.path / "nope").string(), "k_file");
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().message.find("No such file") != std::string::npos);

    e = adapters::load_secret_file(d.path.string(), "k_file");  // a directory
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().message.find("regular file") != std::string::npos);

    e = adapters::load_secret_file(d.write("big", std::string(70000, 'x'), 0600), "k_file");
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().message.find("xxxx") == std::string::npos);
}

TEST_CASE("a secret is given inline or by file, exactly once") {
    TempDir d;
    const std::string inline_value = "abc", path = d.write("s", "fromfile\n", 0600), empty;
    auto s = adapters::resolve_secret("adapters.telegram.secret_token", &inline_value, nullptr);
    REQUIRE(s.has_value());
    CHECK(s->reveal() == "abc");
    s = adapters::resolve_secret("adapters.telegram.secret_token", nullptr, &path);
    REQUIRE(s.has_value());
    CHECK(s->reveal() == "fromfile");
    s = adapters::resolve_secret("adapters.telegram.secret_token", &inline_value, &path);
    REQUIRE_FALSE(s.has_value());
    CHECK(s.error().field == "adapters.telegram.secret_token");
    s = adapters::resolve_secret("adapters.telegram.secret_token", nullptr, nullptr);
    REQUIRE_FALSE(s.has_value());
    s = adapters::resolve_secret("adapters.telegram.secret_token", &empty, nullptr);
    REQUIRE_FALSE(s.has_value());
    CHECK(s.error().field == "adapters.telegram.secret_token");
}

TEST_CASE("a secret describes itself without its value") {
    adapters::Secret s("hunter2");
    CHECK(s.describe() == "<redacted>");
    CHECK(adapters::Secret().describe() == "<unset>");
    adapters::Secret copy = s;
    CHECK(copy.reveal() == "hunter2");
}
