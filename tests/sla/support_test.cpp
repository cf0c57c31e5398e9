// Account interning, effect printing, and the purity of the core.
#include "../purity_check.hpp"
#include "ir/sla/account_names.hpp"
#include "sla_test_support.hpp"

using namespace sla_test;

TEST_CASE("account names intern to small stable ids") {
    AccountNames names;
    const AccountId a = names.intern("alibaba-main");
    const AccountId b = names.intern("amazon-de");
    CHECK(a == AccountId{1});
    CHECK(b == AccountId{2});
    CHECK(names.intern("alibaba-main") == a);
    CHECK(names.find("amazon-de") == b);
    CHECK_FALSE(names.find("ebay").has_value());
    CHECK(names.name(b) == "amazon-de");
    CHECK(names.name(AccountId{0}).empty());
    CHECK(names.name(AccountId{9}).empty());
    const AccountNames restored{names.names()};
    CHECK(restored.find("amazon-de") == b);
    CHECK(restored.name(a) == "alibaba-main");
}

TEST_CASE("effects print as one readable line") {
    const Effect e = Breach{subject(3, Tier::one), DeadlineKind::fast, T0 + 5min, T0 + 5min, false};
    CHECK(to_string(e) ==
          "Breach{clock=3 inquiry=300 account=1 tier=1 kind=fast deadline=1700000300000 "
          "fired_at=1700000300000 late=false}");
    CHECK(subject_of(e).clock == ClockId{3});
}

TEST_CASE("the sla core has no clocks, threads or I/O of its own") {
    ir::test::check_sources_avoid(std::filesystem::path(IR_SOURCE_DIR) / "sla",
                                  {"<iostream>", "<fstream>", "<sstream>", "<cstdio>", "<thread>", "<mutex>",
                                   "<future>", "<condition_variable>", "<filesystem>", "<random>", "<boost/", "<zmq",
                                   "<sqlite3", "<spdlog", "::now(", "std::rand", "std::time(", "getenv"});
}
