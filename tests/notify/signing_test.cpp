#include <catch2/catch.hpp>

#include "ir/notify/signing.hpp"

using namespace ir::notify;

TEST_CASE("base64 and URL encoding follow RFC 4648 and RFC 3986") {
    CHECK(base64("") == "");
    CHECK(base64("f") == "Zg==");
    CHECK(base64("foobar") == "Zm9vYmFy");
    CHECK(url_encode("a+b/c=d e~") == "a%2Bb%2Fc%3Dd%20e~");
}

TEST_CASE("DingTalk signs timestamp + newline + secret with the secret as key") {
    // The same computation as DingTalk's Python sample, done by hand here:
    // hmac.new(b"SEC123", b"1700000000000\nSEC123", sha256), base64.
    const auto sign = dingtalk_sign("SEC123", 1700000000000);
    CHECK(sign == base64(hmac_sha256("SEC123", "1700000000000\nSEC123")));
    CHECK(sign.size() == 44);
    CHECK(sign != dingtalk_sign("SEC124", 1700000000000));
    CHECK(sign != dingtalk_sign("SEC123", 1700000000001));
}

TEST_CASE("Feishu signs an empty message with timestamp + newline + secret as the key") {
    CHECK(feishu_sign("s", 1599360473) == base64(hmac_sha256("1599360473\ns", "")));
    CHECK(feishu_sign("s", 1599360473) != dingtalk_sign("s", 1599360473));
}

TEST_CASE("HMAC-SHA256 matches RFC 4231 test case 2") {
    const std::string mac = hmac_sha256("Jefe", "what do ya want for nothing?");
    std::string hex;
    for (unsigned char c : mac) {
        static const char* d = "0123456789abcdef";
        hex += d[c >> 4];
        hex += d[c & 15];
    }
    CHECK(hex == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}
