#pragma once
// Store account names interned as small AccountIds, so no clock or queue entry carries a
// string. Ids are dense, start at 1 (0 is "no account") and never change; the daemon
// persists names() beside the engine state and rebuilds the same table at start.
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ir/sla/ids.hpp"

namespace ir::sla {

class AccountNames {
public:
    AccountNames() = default;
    // Rebuilds a table from names() of an earlier one: names[i] gets id i + 1 (the names
    // are distinct, as names() returns them).
    explicit AccountNames(std::vector<std::string> names);

    AccountId intern(std::string_view name);  // the existing id, or a new one
    std::optional<AccountId> find(std::string_view name) const;
    std::string_view name(AccountId id) const;  // "" for an unknown id
    const std::vector<std::string>& names() const { return names_; }

private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::vector<std::string> names_;
    std::unordered_map<std::string, AccountId, Hash, std::equal_to<>> ids_;
};

}  // namespace ir::sla
