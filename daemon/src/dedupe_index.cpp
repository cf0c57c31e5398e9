#include "ir/daemon/dedupe_index.hpp"

#include <functional>
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

// Open addressing, linear probing: a slot per key in one array, no node per key.
void DedupeIndex::add_hashed(std::uint64_t hash, std::int64_t seq) {
    if (seq <= 0) throw std::invalid_argument("dedupe index: an event seq is positive");
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = hash & mask;
    while (slots_[i].seq != 0) i = (i + 1) & mask;
    slots_[i] = {hash, seq};
    ++size_;
}

std::vector<std::int64_t> DedupeIndex::candidates_hashed(std::uint64_t hash) const {
    std::vector<std::int64_t> out;
    if (slots_.empty()) return out;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash & mask; slots_[i].seq != 0; i = (i + 1) & mask)
        if (slots_[i].hash == hash) out.push_back(slots_[i].seq);
    return out;
}

void DedupeIndex::clear() {
    std::vector<Slot>().swap(slots_);
    size_ = 0;
}

void DedupeIndex::grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.resize(old.empty() ? 1024 : old.size() * 2);
    size_ = 0;
    for (const Slot& s : old)
        if (s.seq != 0) add_hashed(s.hash, s.seq);
}

}  // namespace ir::daemon
