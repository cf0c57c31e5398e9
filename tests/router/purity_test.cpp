// The router is part of the deterministic core: no clocks, threads, sockets or files.
// (RE2, CLD2, Boost.JSON and toml++ only compute; reading files is the caller's job.)
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

TEST_CASE("the router core has no clocks, threads or I/O of its own") {
    namespace fs = std::filesystem;
    const std::vector<std::string> banned = {
        "<iostream>",   "<fstream>",   "<thread>",     "<mutex>", "<future>", "<condition_variable>",
        "<filesystem>", "<boost/asio", "<boost/beast", "<zmq",    "<sqlite3", "<spdlog",
        "::now(",       "std::rand",   "getenv"};
    int files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(IR_SOURCE_DIR) / "router")) {
        const auto ext = entry.path().extension();
        if (!entry.is_regular_file() || (ext != ".hpp" && ext != ".cpp")) continue;
        ++files;
        std::ifstream in(entry.path());
        std::stringstream text;
        text << in.rdbuf();
        for (const std::string& b : banned) {
            INFO(entry.path().string() << " uses " << b);
            CHECK(text.str().find(b) == std::string::npos);
        }
    }
    CHECK(files >= 10);
}
