#include <catch2/catch.hpp>

#include "fold.hpp"
#include "product_matcher.hpp"
#include "quantity.hpp"
#include "text.hpp"

using namespace ir::router;

TEST_CASE("UTF-8 validation and repair") {
    CHECK(text::is_valid_utf8("héllo Привет 你好 👋"));
    CHECK_FALSE(text::is_valid_utf8("\xc0\xaf"));      // overlong
    CHECK_FALSE(text::is_valid_utf8("\xed\xa0\x80"));  // surrogate
    CHECK_FALSE(text::is_valid_utf8("abc\xe2\x82"));   // truncated
    CHECK(text::repair_utf8("a\xff"
                            "b") ==
          "a\xEF\xBF\xBD"
          "b");
    CHECK(text::utf8_prefix("aé", 2) == "a");  // never cuts a character in half
}

TEST_CASE("normalized phrases ignore case, spaces and hyphens") {
    CHECK(text::normalize_phrase("SW-X9") == "sw x9");
    CHECK(text::normalize_phrase("  sw   x9 ") == "sw x9");
}

TEST_CASE("quantities as buyers write them") {
    CHECK(parse_quantity("20,000", false) == 20000);
    CHECK(parse_quantity("8.000", false) == 8000);
    CHECK(parse_quantity("10", true) == 10000);
    CHECK(parse_quantity("1,5", false) == 1);
    QuantityFinder f;
    CHECK(f.find("we need 5,000 pcs and 200 units").largest_units == 5000);
    CHECK(f.find("Menge: 8.000 Stück").largest_units == 8000);
    CHECK(f.find("количество 1000 шт.").largest_units == 1000);
    CHECK(f.find("10k pcs").largest_units == 10000);
    CHECK(f.find("2 container electronics").containers);
    CHECK(f.find("300 x 200 x 100 mm").largest_units == 0);
}

TEST_CASE("catalogue products are found by SKU, name, alias, plural and a typo") {
    Catalog c;
    c.products = {{"SW-X9", "X9 Smart Watch", "e", {"sw x9"}, true, {}},
                  {"PB-20K", "20000mAh Power Bank", "e", {"power bank"}, true, {}},
                  {"JW-HR18", "18K Gold Plated Hoop Earrings", "j", {"hoop earrings"}, false, {}}};
    ProductMatcher m(c, {});
    auto skus = [&](std::string_view s) {
        std::vector<std::size_t> out;
        for (const auto& hit : m.find(text::fold_tokens(s).tokens)) out.push_back(hit.product);
        return out;
    };
    CHECK(skus("sw-x9 please") == std::vector<std::size_t>{0});
    CHECK(skus("SWX9") == std::vector<std::size_t>{0});
    CHECK(skus("two powerbanks and x9 smart watches") == std::vector<std::size_t>{1, 0});
    CHECK(skus("hoop earings") == std::vector<std::size_t>{2});
    CHECK(skus("smart phone, gold ring").empty());
}
