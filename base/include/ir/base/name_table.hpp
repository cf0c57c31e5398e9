#pragma once
// Names interned as dense integer ids, so hot tables (clocks, queues, skills) compare and
// key small integers instead of strings. Id 0 is always "" (no name). Ids are given in
// interning order and never change within a table; they are not stable across runs, so
// only names are ever stored. (Records that hold a name use SharedName instead.)
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ir {

template <class Id = std::uint32_t>
class NameTable {
public:
    NameTable() { names_.emplace_back(); }

    Id intern(std::string_view s) {
        if (s.empty()) return Id{};
        if (auto id = find(s)) return *id;
        const auto& stored = names_.emplace_back(s);
        const Id id = static_cast<Id>(names_.size() - 1);
        ids_.emplace(std::string_view(stored), id);
        return id;
    }
    std::optional<Id> find(std::string_view s) const {
        if (s.empty()) return Id{};
        auto it = ids_.find(s);
        return it == ids_.end() ? std::nullopt : std::optional<Id>(it->second);
    }
    // "" for an id this table never gave.
    const std::string& name(Id id) const {
        const auto i = static_cast<std::size_t>(id);
        return i < names_.size() ? names_[i] : names_.front();
    }
    std::size_t size() const { return names_.size(); }  // "" included

private:
    std::deque<std::string> names_;  // stable addresses: ids_ keys point into it
    std::unordered_map<std::string_view, Id> ids_;
};

}  // namespace ir
