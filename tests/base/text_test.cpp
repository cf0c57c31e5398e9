// The text helpers every library shares.
#include <catch2/catch.hpp>

#include "ir/base/text.hpp"

TEST_CASE("ascii_lower folds A-Z only, never bytes of other characters") {
    CHECK(ir::ascii_lower("Ann@Example.COM") == "ann@example.com");
    CHECK(ir::ascii_lower("ÄÖÜ Straße") == "ÄÖÜ straße");
}

TEST_CASE("trim removes ASCII white space at both ends") {
    CHECK(ir::trim("  a b \t\r\n") == "a b");
    CHECK(ir::trim(" \t ").empty());
}

TEST_CASE("utf8_prefix never cuts a character") {
    const std::string s = "ab\xE6\x97\xA5\xE6\x9C\xAC";  // "ab日本"
    CHECK(ir::utf8_prefix(s, 100) == s);
    CHECK(ir::utf8_prefix(s, 2) == "ab");
    CHECK(ir::utf8_prefix(s, 3) == "ab");
    CHECK(ir::utf8_prefix(s, 4) == "ab");
    CHECK(ir::utf8_prefix(s, 5) == "ab\xE6\x97\xA5");
    CHECK(ir::utf8_prefix(s, 0).empty());
}
