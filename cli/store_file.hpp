#pragma once
// Which store file a command reads: named directly, or found in the daemon's state folder
// (given, or the state_dir of its config). Shared by backup and labels export.
#include <filesystem>
#include <string>

#include "ir/base/expected.hpp"

namespace ir::cli {

struct StoreFileOptions {
    std::string store;      // --store FILE (inquiryd.db)
    std::string state_dir;  // --state-dir DIR
    std::string config;     // --config FILE: its state_dir
};

// Exactly one of them must be given; `flags` names those the command offers, for the error.
Expected<std::filesystem::path> store_file(const StoreFileOptions& o, const std::string& flags);

}  // namespace ir::cli
