// Interning names as dense ids (accounts in the clocks, skills in routing).
#include <catch2/catch.hpp>

#include "ir/base/name_table.hpp"
#include "ir/base/shared_name.hpp"

namespace {
enum class AccountId : std::uint32_t {};
}

TEST_CASE("names intern to small ids that do not change; 0 is the empty name") {
    ir::NameTable<AccountId> names;
    const AccountId a = names.intern("alibaba-main");
    const AccountId b = names.intern("amazon-de");
    CHECK(a == AccountId{1});
    CHECK(b == AccountId{2});
    CHECK(names.intern("alibaba-main") == a);
    CHECK(names.find("amazon-de") == b);
    CHECK_FALSE(names.find("ebay").has_value());
    CHECK(names.intern("") == AccountId{0});
    CHECK(names.name(b) == "amazon-de");
    CHECK(names.name(AccountId{0}).empty());
    CHECK(names.name(AccountId{9}).empty());
    for (int i = 0; i < 1000; ++i) names.intern("account-" + std::to_string(i));  // growth keeps old names valid
    CHECK(names.name(a) == "alibaba-main");
    CHECK(names.find("account-999") == AccountId{1002});
}

TEST_CASE("a pooled name is one shared copy and compares by value with unpooled ones") {
    ir::NamePool pool;
    const ir::SharedName a = pool.intern("agent-with-a-long-name");
    const ir::SharedName b = pool.intern("agent-with-a-long-name");
    CHECK(&a.str() == &b.str());
    CHECK(a == ir::SharedName("agent-with-a-long-name"));
    CHECK(pool.intern("").empty());
}
