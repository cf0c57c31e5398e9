#pragma once
// Every journaled event's dedupe key (channel, account, message id), in memory: a 64-bit
// hash of the key and the event's seq in the journal. Filled from the journal at start,
// and after each commit. It replaces an index in SQLite, which cost every event a random
// page on disk. Hashes can collide, so a hit is only a candidate: the caller reads the
// event by its seq and compares the key. 16 bytes a slot, at most 3/4 of them used.
// When it fills, it doubles, and the old table is moved over a few slots per add: the
// event loop never stops for a whole rehash (47 ms at 1.5 million keys).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ir::daemon {

class DedupeIndex {
public:
    // The key: the three parts, joined by a separator no part contains in practice.
    static std::string key(std::string_view channel, std::string_view account, std::string_view message_id);
    void add(std::string_view key, std::int64_t seq);
    // The seqs of the events whose key hashes like this one: almost always none or one.
    [[nodiscard]] std::vector<std::int64_t> candidates(std::string_view key) const;
    std::size_t size() const { return size_; }
    std::size_t memory_bytes() const { return (slots_.size + old_.size) * sizeof(Slot); }
    void clear();

    // Exposed for tests, which need colliding keys.
    static std::uint64_t hash(std::string_view key);
    void add_hashed(std::uint64_t hash, std::int64_t seq);
    [[nodiscard]] std::vector<std::int64_t> candidates_hashed(std::uint64_t hash) const;

private:
    struct Slot {
        std::uint64_t hash = 0;
        std::int64_t seq = 0;  // 0: empty (the journal's seqs start at 1)
    };
    // calloc'd: the kernel hands out zeroed pages as they are first touched, so a growth
    // does not stop the loop to clear the whole new table either.
    struct Table {
        struct Free {
            void operator()(Slot* p) const noexcept { std::free(p); }
        };
        std::unique_ptr<Slot[], Free> slots;
        std::size_t size = 0;
        static Table zeroed(std::size_t size);
        void insert(Slot slot);
        void collect(std::uint64_t hash, std::vector<std::int64_t>& out) const;
    };
    void grow();
    void move_some();
    Table slots_;
    Table old_;              // the table before the last growth, until all of it is moved
    std::size_t moved_ = 0;  // old_[0, moved_) is in slots_ already
    std::size_t size_ = 0;
};

}  // namespace ir::daemon
