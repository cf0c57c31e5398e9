#include "store_file.hpp"

#include "ir/daemon/config.hpp"

namespace ir::cli {

Expected<std::filesystem::path> store_file(const StoreFileOptions& o, const std::string& flags) {
    const int given = int{!o.store.empty()} + int{!o.state_dir.empty()} + int{!o.config.empty()};
    if (given != 1) return Error("give " + flags);
    if (!o.store.empty()) return std::filesystem::path(o.store);
    if (!o.state_dir.empty()) return std::filesystem::path(o.state_dir) / "inquiryd.db";
    auto loaded = daemon::load_config(o.config);
    if (!loaded.errors.empty()) return Error(loaded.errors.front());
    return loaded.config.state_dir / "inquiryd.db";
}

}  // namespace ir::cli
