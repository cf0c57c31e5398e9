#pragma once
// An identity: one [[agents]] entry of the config, with its access role and accounts.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ir::access {

// agent, senior and supervisor are routing's roles too; admin is access only (an admin
// entry is never routed inquiries): configuration, orders, customers, every account.
enum class Role : std::uint8_t { agent, senior, supervisor, admin };

std::string_view to_string(Role r);
std::optional<Role> parse_role(std::string_view s);

struct Identity {
    std::string id;
    Role role = Role::agent;
    std::vector<std::string> accounts;  // "*" = every account

    bool has_account(std::string_view account) const;
    bool all_accounts() const;
    // Seniors and supervisors oversee their accounts; admins everything.
    bool oversees(std::string_view account) const;
    bool admin() const { return role == Role::admin; }
    bool operator==(const Identity&) const = default;
};

}  // namespace ir::access
