#pragma once
// A Bloom filter over the dedupe keys of every journaled event. "Not seen" is certain,
// so a new event (nearly every one) skips the SQLite lookup; "maybe seen" asks SQLite,
// which has the last word. Memory is fixed (2 MiB); past its design size only the
// share of lookups that go to SQLite grows, never a wrong answer.
#include <cstdint>
#include <string_view>
#include <vector>

namespace ir::daemon {

class SeenFilter {
public:
    explicit SeenFilter(std::size_t bits = std::size_t{1} << 24);
    void add(std::string_view key);
    [[nodiscard]] bool maybe_contains(std::string_view key) const;
    std::uint64_t size() const { return added_; }

private:
    static constexpr int kHashes = 7;
    std::vector<std::uint64_t> words_;
    std::uint64_t mask_;
    std::uint64_t added_ = 0;
};

}  // namespace ir::daemon
