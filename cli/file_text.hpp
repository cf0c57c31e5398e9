#pragma once
// Reading whole files for the command-line tools, with errors that name the file.
#include <string>

#include "ir/base/expected.hpp"

namespace ir::cli {

Expected<std::string> read_file(const std::string& path);

}  // namespace ir::cli
