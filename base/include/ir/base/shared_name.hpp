#pragma once
// A name that many records hold (an account, a queue, an agent): one copy per distinct
// name in a NamePool, 16 bytes per holder instead of a std::string (32) and, for names
// over 15 bytes, its heap block. Compares and reads by value.
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ir {

class SharedName {
public:
    SharedName() = default;
    // An unpooled copy (records read back from the store); Engine::restore pools them.
    SharedName(std::string_view s)  // NOLINT: implicit, like std::string
        : p_(s.empty() ? nullptr : std::make_shared<const std::string>(s)) {}
    SharedName(const char* s) : SharedName(std::string_view(s)) {}         // NOLINT
    SharedName(const std::string& s) : SharedName(std::string_view(s)) {}  // NOLINT

    const std::string& str() const { return p_ ? *p_ : empty_string(); }
    operator const std::string&() const { return str(); }                  // NOLINT
    operator std::string_view() const { return std::string_view(str()); }  // NOLINT
    bool empty() const { return !p_ || p_->empty(); }
    void clear() { p_.reset(); }

    bool operator==(const SharedName& o) const { return str() == o.str(); }
    bool operator==(std::string_view o) const { return str() == o; }
    bool operator==(const std::string& o) const { return str() == o; }
    bool operator==(const char* o) const { return str() == o; }
    friend std::string operator+(const std::string& a, const SharedName& b) { return a + b.str(); }
    friend std::string operator+(const SharedName& a, const std::string& b) { return a.str() + b; }
    friend std::string operator+(const char* a, const SharedName& b) { return a + b.str(); }

private:
    friend class NamePool;
    explicit SharedName(std::shared_ptr<const std::string> p) : p_(std::move(p)) {}
    static const std::string& empty_string() {
        static const std::string empty;
        return empty;
    }
    std::shared_ptr<const std::string> p_;
};

// Hands out one shared copy per distinct name. Names are few (accounts, queues, agents),
// so the pool is never pruned.
class NamePool {
public:
    SharedName intern(std::string_view s) {
        if (s.empty()) return {};
        auto it = names_.find(s);
        if (it != names_.end()) return SharedName(it->second);
        auto p = std::make_shared<const std::string>(s);
        names_.emplace(std::string_view(*p), p);
        return SharedName(std::move(p));
    }

private:
    std::unordered_map<std::string_view, std::shared_ptr<const std::string>> names_;
};

}  // namespace ir
