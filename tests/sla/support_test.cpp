// Effect printing and the purity of the core.
#include "../purity_check.hpp"
#include "sla_test_support.hpp"

using namespace sla_test;

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
