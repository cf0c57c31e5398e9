#pragma once
// The core's promise, checked on its sources: no clocks, threads or I/O of its own.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace ir::test {

// Fails for every header or source under `folder` that mentions one of `banned`.
inline void check_sources_avoid(const std::filesystem::path& folder, const std::vector<std::string>& banned) {
    int files = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
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

}  // namespace ir::test
