#include <catch2/catch.hpp>

#include "ir/adapters/mail_text.hpp"

using namespace ir;

TEST_CASE("html_to_text keeps the words and drops the markup") {
    CHECK(adapters::html_to_text("<p>a</p><p>b<br>c</p>") == "a\nb\nc");
    CHECK(adapters::html_to_text("x<!-- hidden -->y") == "xy");
    CHECK(adapters::html_to_text("<style>x</style>&unknown; &#0; &#99999999;") == "&unknown; \uFFFD &#99999999;");
    CHECK(adapters::html_to_text("<a href='x'>link</a> <b") == "link");
}

TEST_CASE("split_body finds quoted history in several languages") {
    CHECK(adapters::split_body("Neu\n\nAm 19.11.2026 um 10:00 schrieb Sales:\n> alt").fresh == "Neu");
    CHECK(adapters::split_body("New\nOn Thu, 19 Nov 2026, Sales <s@x>\nwrote:\nold").fresh == "New");
    auto forwarded = adapters::split_body("> only quoted\n> text");
    CHECK(forwarded.quoted);
    CHECK(forwarded.fresh == "only quoted\ntext");
    // A sign-off followed by a long text is not a signature.
    std::string long_text = "Thanks,\n";
    for (int i = 0; i < 15; ++i) long_text += "line " + std::to_string(i) + "\n";
    CHECK(adapters::split_body(long_text).signature.empty());
}

TEST_CASE("read_contact takes WeChat, Skype and company lines") {
    router::Sender s;
    s.email = "li@example.cn";
    adapters::read_contact("Li Wei\nShenzhen Bright Trading Co., Ltd.\nWeChat: liwei_88\nMobile: +86 138 0013 8000", s);
    CHECK(s.name == "Li Wei");
    CHECK(s.company == "Shenzhen Bright Trading Co., Ltd.");
    CHECK(s.im == "wechat:liwei_88");
    CHECK(s.phone == "+86 138 0013 8000");
    CHECK(s.country == "CN");
}

TEST_CASE("contact fields cut from broken text are still valid UTF-8") {
    router::Sender s;
    std::string handle;
    for (int i = 0; i < 60; ++i) handle += "\xEF\xBF\xBD";
    adapters::read_contact("Jo\nskype: " + handle, s);
    CHECK(s.im.size() <= std::string("skype:").size() + 100);
    CHECK(s.im.size() % 3 == 0);  // "skype:" and whole U+FFFD characters only
}
