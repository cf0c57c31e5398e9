#include "ir/sla/account_names.hpp"

namespace ir::sla {

AccountNames::AccountNames(std::vector<std::string> names) {
    for (std::string& n : names) intern(n);
}

AccountId AccountNames::intern(std::string_view name) {
    if (const auto id = find(name)) return *id;
    names_.emplace_back(name);
    const auto id = static_cast<AccountId>(names_.size());
    ids_.emplace(names_.back(), id);
    return id;
}

std::optional<AccountId> AccountNames::find(std::string_view name) const {
    const auto it = ids_.find(name);
    if (it == ids_.end()) return std::nullopt;
    return it->second;
}

std::string_view AccountNames::name(AccountId id) const {
    const auto i = static_cast<std::size_t>(raw(id));
    if (i == 0 || i > names_.size()) return {};
    return names_[i - 1];
}

}  // namespace ir::sla
