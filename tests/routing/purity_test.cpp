// The routing core is part of the deterministic core: no clocks, threads, sockets or files.
// The tz database reader is the one exception, kept in routing/tzdb/ (its own library).
#include "../purity_check.hpp"

TEST_CASE("the routing core has no clocks, threads or I/O of its own") {
    const std::filesystem::path routing = std::filesystem::path(IR_SOURCE_DIR) / "routing";
    const std::vector<std::string> banned{
        "<iostream>",   "<fstream>", "<sstream>", "<cstdio>", "<thread>", "<mutex>", "<future>", "<condition_variable>",
        "<filesystem>", "<random>",  "<boost/",   "<zmq",     "<sqlite3", "<spdlog", "::now(",   "std::rand",
        "std::time(",   "getenv"};
    ir::test::check_sources_avoid(routing, banned);
}

TEST_CASE("only routing/tzdb reads the tz database") {
    ir::test::check_sources_avoid(std::filesystem::path(IR_SOURCE_DIR) / "routing" / "src", {"<date/", "tzdb"});
}
