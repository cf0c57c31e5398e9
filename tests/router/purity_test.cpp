// The router is part of the deterministic core: no clocks, threads, sockets or files.
// (RE2, CLD2, Boost.JSON and toml++ only compute; reading files is the caller's job.)
#include "../purity_check.hpp"

TEST_CASE("the router core has no clocks, threads or I/O of its own") {
    ir::test::check_sources_avoid(
        std::filesystem::path(IR_SOURCE_DIR) / "router",
        {"<iostream>", "<fstream>", "<thread>", "<mutex>", "<future>", "<condition_variable>", "<filesystem>",
         "<boost/asio", "<boost/beast", "<zmq", "<sqlite3", "<spdlog", "::now(", "std::rand", "getenv"});
}
