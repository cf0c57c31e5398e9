#include "file_text.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace ir::cli {

Expected<std::string> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{path + ": cannot open: " + std::strerror(errno), path};
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return Error{path + ": read error", path};
    return ss.str();
}

}  // namespace ir::cli
