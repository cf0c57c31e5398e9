#include "ir/access/identity.hpp"

#include <algorithm>

namespace ir::access {

std::string_view to_string(Role r) {
    switch (r) {
        case Role::agent:
            return "agent";
        case Role::senior:
            return "senior";
        case Role::supervisor:
            return "supervisor";
        case Role::admin:
            return "admin";
    }
    return "agent";
}

std::optional<Role> parse_role(std::string_view s) {
    for (auto r : {Role::agent, Role::senior, Role::supervisor, Role::admin})
        if (to_string(r) == s) return r;
    return std::nullopt;
}

bool Identity::all_accounts() const {
    return admin() || std::find(accounts.begin(), accounts.end(), "*") != accounts.end();
}

bool Identity::has_account(std::string_view account) const {
    return all_accounts() || std::find(accounts.begin(), accounts.end(), account) != accounts.end();
}

bool Identity::oversees(std::string_view account) const {
    return admin() || (role != Role::agent && has_account(account));
}

}  // namespace ir::access
