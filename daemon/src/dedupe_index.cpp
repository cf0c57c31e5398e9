#include "ir/daemon/dedupe_index.hpp"

#include <algorithm>
#include <functional>
#include <new>
#include <stdexcept>

namespace ir::daemon {

std::string DedupeIndex::key(std::string_view channel, std::string_view account, std::string_view message_id) {
    std::string k;
    k.reserve(channel.size() + account.size() + message_id.size() + 2);
    k.append(channel).append("\x1f").append(account).append("\x1f").append(message_id);
    return k;
}

std::uint64_t DedupeIndex::hash(std::string_view key) {
    return std::hash<std::string_view>{}(key);  // 64 bits here (murmur); never stored
}

void DedupeIndex::add(std::string_view key, std::int64_t seq) {
    add_hashed(hash(key), seq);
}

std::vector<std::int64_t> DedupeIndex::candidates(std::string_view key) const {
    return candidates_hashed(hash(key));
}

DedupeIndex::Table DedupeIndex::Table::zeroed(std::size_t size) {
    Table t;
    t.slots.reset(static_cast<Slot*>(std::calloc(size, sizeof(Slot))));
    if (!t.slots) throw std::bad_alloc();
    t.size = size;
    return t;
}

// Open addressing, linear probing: a slot per key in one array, no node per key. Nothing
// is ever removed, so no probe chain is ever broken.
void DedupeIndex::Table::insert(Slot slot) {
    const std::size_t mask = size - 1;
    std::size_t i = slot.hash & mask;
    while (slots[i].seq != 0) i = (i + 1) & mask;
    slots[i] = slot;
}

void DedupeIndex::Table::collect(std::uint64_t hash, std::vector<std::int64_t>& out) const {
    if (size == 0) return;
    const std::size_t mask = size - 1;
    for (std::size_t i = hash & mask; slots[i].seq != 0; i = (i + 1) & mask)
        if (slots[i].hash == hash && std::find(out.begin(), out.end(), slots[i].seq) == out.end())
            out.push_back(slots[i].seq);
}

void DedupeIndex::add_hashed(std::uint64_t hash, std::int64_t seq) {
    if (seq <= 0) throw std::invalid_argument("dedupe index: an event seq is positive");
    if ((size_ + 1) * 4 > slots_.size * 3) grow();
    move_some();
    slots_.insert({hash, seq});
    ++size_;
}

// A key not yet moved is still in old_, so both tables are searched until it is empty.
std::vector<std::int64_t> DedupeIndex::candidates_hashed(std::uint64_t hash) const {
    std::vector<std::int64_t> out;
    slots_.collect(hash, out);
    old_.collect(hash, out);
    return out;
}

void DedupeIndex::clear() {
    slots_ = Table();
    old_ = Table();
    moved_ = 0;
    size_ = 0;
}

// Doubles the table. Moving 8 old slots per add empties old_ long before the new table can
// fill (at 3/8 of it), so growth never starts while old_ still holds keys.
void DedupeIndex::grow() {
    while (old_.size != 0) move_some();
    old_ = std::move(slots_);
    moved_ = 0;
    slots_ = Table::zeroed(old_.size == 0 ? 1024 : old_.size * 2);
}

void DedupeIndex::move_some() {
    if (old_.size == 0) return;
    const std::size_t end = std::min(old_.size, moved_ + 8);
    for (; moved_ < end; ++moved_)
        if (old_.slots[moved_].seq != 0) slots_.insert(old_.slots[moved_]);
    if (moved_ == old_.size) {
        old_ = Table();
        moved_ = 0;
    }
}

}  // namespace ir::daemon
