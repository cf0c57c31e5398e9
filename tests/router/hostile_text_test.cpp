// Untrusted text must never crash, hang or mislead the assessment.
#include <chrono>

#include "assessor_fixture.hpp"

using namespace ir;
using ir::test::assess;
using ir::test::email;

TEST_CASE("an empty message is tier 4, not suspect, language unknown") {
    const auto a = assess(email(""));
    CHECK(a.tier == 4);
    CHECK_FALSE(a.suspect);
    CHECK(a.language == "und");
}

TEST_CASE("a 1 MB body is assessed (on its head) without trouble") {
    std::string body = "Is the X9 Smart Watch battery 300 mAh? ";
    while (body.size() < (1u << 20)) body += "lorem ipsum dolor sit amet, consectetur adipiscing elit. ";
    const auto a = assess(email(body));
    CHECK(a.tier == 2);
    CHECK(a.products == std::vector<std::string>{"SW-X9"});
}

TEST_CASE("invalid UTF-8 is repaired, not trusted") {
    std::string body = "X9 Smart Watch \xff\xfe\xc3 price \xed\xa0\x80 for 300 pcs \xe2\x82";
    const auto a = assess(email(body));
    CHECK(a.tier == 3);
    for (const auto& r : a.reasons) CHECK(r.find('\xff') == std::string::npos);
}

TEST_CASE("mixed scripts: Latin, Cyrillic, CJK, Arabic and emoji in one message") {
    const auto a = assess(email("Здравствуйте! 你好 مرحبا 👋 X9 Smart Watch 500 шт, упаковка? картинки?"));
    CHECK(a.tier == 2);
    CHECK(a.language != "");
}

TEST_CASE("a pathological pattern-like input stays linear") {
    // Inputs that make backtracking engines explode; RE2 is linear.
    std::string body(200000, 'a');
    body += "!";
    std::string nested;
    for (int i = 0; i < 50000; ++i) nested += "(((";
    const auto start = std::chrono::steady_clock::now();
    CHECK(assess(email(body)).tier == 4);
    CHECK(assess(email(nested)).tier == 4);
    // Generous bound: only catches a hang, the benchmark measures speed.
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));
}

TEST_CASE("the same input always gives the same assessment") {
    const auto e = email("URGENT 50,000 units of your products, I am the CEO of the largest group");
    CHECK(assess(e) == assess(e));
}
