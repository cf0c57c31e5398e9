#pragma once
// Interned strings (accounts, categories, languages): routing compares small integers.
// Id 0 is always "" (not known / no preference).
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ir::routing {

class Names {
public:
    Names() { intern(""); }
    std::uint32_t intern(std::string_view s) {
        auto [it, added] = ids_.try_emplace(std::string(s), static_cast<std::uint32_t>(names_.size()));
        if (added) names_.push_back(it->first);
        return it->second;
    }
    const std::string& name(std::uint32_t id) const { return names_[id]; }
    std::size_t size() const { return names_.size(); }

private:
    std::unordered_map<std::string, std::uint32_t> ids_;
    std::vector<std::string> names_;
};

}  // namespace ir::routing
