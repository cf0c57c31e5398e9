// The default of [ingest] max_queued_bytes: a share of the memory the daemon may use.
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <string>

#include "ir/daemon/config.hpp"

namespace ir::daemon {
namespace {

constexpr std::size_t kMaxDefault = std::size_t{256} << 20;
constexpr std::size_t kMinDefault = std::size_t{16} << 20;

// The cgroup (v2) memory.max of this process (systemd's MemoryMax=), if it has one.
std::size_t cgroup_memory_max() {
    std::ifstream cgroup("/proc/self/cgroup");
    std::string line, path;
    while (std::getline(cgroup, line))
        if (line.rfind("0::", 0) == 0) path = line.substr(3);
    if (path.empty()) return 0;
    std::ifstream max("/sys/fs/cgroup" + path + "/memory.max");
    std::string value;
    if (!(max >> value) || value == "max") return 0;
    try {
        return static_cast<std::size_t>(std::stoull(value));
    } catch (const std::exception&) {
        return 0;
    }
}

}  // namespace

std::size_t default_max_queued_bytes() {
    const long pages = ::sysconf(_SC_PHYS_PAGES);
    const long page = ::sysconf(_SC_PAGESIZE);
    std::size_t ram = pages > 0 && page > 0 ? static_cast<std::size_t>(pages) * static_cast<std::size_t>(page) : 0;
    if (const std::size_t limit = cgroup_memory_max(); limit != 0 && (ram == 0 || limit < ram)) ram = limit;
    if (ram == 0) return kMaxDefault;
    return std::clamp(ram / 8, kMinDefault, kMaxDefault);
}

}  // namespace ir::daemon
