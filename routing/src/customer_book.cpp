// Customers across channels: lookup by identity key, merging when a message links two.
//
// Memory: a customer is one 48-byte Customer in a deque (sorted by id; ids only grow, so a
// new one is appended). Its identity keys live, length-prefixed and sorted, in a shared
// append-only key store; the key index is an open-addressing table of (slot, hash tag)
// pairs whose hits are checked against the customer's stored keys (never a hash alone).
#include "ir/routing/customer_book.hpp"

#include <algorithm>
#include <functional>
#include <utility>

namespace ir::routing {
namespace {

constexpr std::uint8_t visited_flag = 1U;
constexpr std::uint8_t influence_flag = 2U;
constexpr std::uint8_t gone_flag = 4U;
constexpr std::size_t chunk_bytes = std::size_t{1} << 16U;
constexpr std::uint8_t long_key = 0xFFU;  // length in the next 4 bytes

std::uint64_t raw(CustomerId id) {
    return static_cast<std::uint64_t>(id);
}

std::uint64_t hash_of(std::string_view key) {
    std::uint64_t h = std::hash<std::string_view>{}(key);
    h ^= h >> 33U;  // the low bits pick the bucket, the high ones are the tag
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33U;
    return h;
}

// Calls f(key) for each key of a stored blob, in order.
template <typename F>
void each_key(std::string_view blob, F&& f) {
    std::size_t at = 0;
    while (at < blob.size()) {
        std::size_t n = static_cast<unsigned char>(blob[at++]);
        if (n == long_key) {
            n = 0;
            for (int i = 0; i < 4; ++i) n |= std::size_t{static_cast<unsigned char>(blob[at++])} << (8U * i);
        }
        f(blob.substr(at, n));
        at += n;
    }
}

std::string encode(const std::vector<std::string>& keys) {
    std::string blob;
    for (const std::string& k : keys) {
        if (k.size() < long_key) {
            blob += static_cast<char>(k.size());
        } else {
            blob += static_cast<char>(long_key);
            for (int i = 0; i < 4; ++i) blob += static_cast<char>((k.size() >> (8U * i)) & 0xFFU);
        }
        blob += k;
    }
    return blob;
}

}  // namespace

CustomerBook::CustomerBook(const CustomerBookState& state) : next_id_(state.next_id) {
    std::vector<const CustomerRecord*> sorted;
    for (const CustomerRecord& c : state.customers) sorted.push_back(&c);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const CustomerRecord* x, const CustomerRecord* y) { return raw(x->id) < raw(y->id); });
    std::size_t keys = 0;
    for (const CustomerRecord* r : sorted) {
        if (!customers_.empty() && customers_.back().id == raw(r->id)) {  // a repeated id: the last one wins
            store_keys(customers_.back(), {});
            customers_.pop_back();
            --live_;
        }
        Customer c;
        c.id = raw(r->id);
        c.first_seen = r->first_seen;
        c.conversations = r->conversations;
        c.orders = r->orders;
        c.sample_orders = r->sample_orders;
        c.last_owner = owner_index(r->last_owner);
        c.flags = static_cast<std::uint8_t>((r->visited_company ? visited_flag : 0U) |
                                            (r->local_influence ? influence_flag : 0U));
        std::vector<std::string> ks = r->keys;
        std::sort(ks.begin(), ks.end());
        ks.erase(std::unique(ks.begin(), ks.end()), ks.end());
        keys += ks.size();
        customers_.push_back(c);
        ++live_;
        store_keys(customers_.back(), ks);
        next_id_ = std::max(next_id_, c.id + 1);
    }
    reserve_keys(keys);  // indexes every stored key; a key held twice goes to the later customer
    for (const auto& [gone, keep] : state.aliases) aliases_[raw(gone)] = raw(keep);
}

std::uint32_t CustomerBook::owner_index(std::string agent) {
    if (agent.empty()) return 0;
    const auto [it, added] = owner_ids_.try_emplace(std::move(agent), static_cast<std::uint32_t>(owners_.size()));
    if (added) owners_.push_back(it->first);
    return it->second;
}

std::vector<std::string> CustomerBook::keys_of(const Customer& c) const {
    std::vector<std::string> out;
    if (c.keys_size == 0) return out;
    const std::string& chunk = key_chunks_[c.keys >> 32U];
    each_key(std::string_view(chunk).substr(c.keys & 0xFFFFFFFFU, c.keys_size),
             [&](std::string_view k) { out.emplace_back(k); });
    return out;
}

bool CustomerBook::holds(const Customer& c, std::string_view key) const {
    if (c.keys_size == 0) return false;
    const std::string& chunk = key_chunks_[c.keys >> 32U];
    bool found = false;
    each_key(std::string_view(chunk).substr(c.keys & 0xFFFFFFFFU, c.keys_size),
             [&](std::string_view k) { found = found || k == key; });
    return found;
}

void CustomerBook::store_keys(Customer& c, const std::vector<std::string>& keys) {
    key_garbage_ += c.keys_size;
    key_bytes_ -= c.keys_size;
    c.keys = 0;
    c.keys_size = 0;
    if (keys.empty()) return;
    const std::string blob = encode(keys);
    if (key_chunks_.empty() || key_chunks_.back().size() + blob.size() > key_chunks_.back().capacity()) {
        key_chunks_.emplace_back().reserve(std::max(chunk_bytes, blob.size()));
    }
    std::string& chunk = key_chunks_.back();
    c.keys = (std::uint64_t{key_chunks_.size() - 1} << 32U) | chunk.size();
    c.keys_size = static_cast<std::uint32_t>(blob.size());
    chunk += blob;
    key_bytes_ += blob.size();
    if (key_garbage_ > chunk_bytes * 16 && key_garbage_ > key_bytes_) {  // mostly merged-away keys: compact
        std::vector<std::string> old;
        old.swap(key_chunks_);
        key_garbage_ = 0;
        key_bytes_ = 0;
        for (Customer& x : customers_) {
            if (x.keys_size == 0) continue;
            const std::string_view was = std::string_view(old[x.keys >> 32U]).substr(x.keys & 0xFFFFFFFFU, x.keys_size);
            if (key_chunks_.empty() || key_chunks_.back().size() + was.size() > key_chunks_.back().capacity()) {
                key_chunks_.emplace_back().reserve(std::max(chunk_bytes, was.size()));
            }
            x.keys = (std::uint64_t{key_chunks_.size() - 1} << 32U) | key_chunks_.back().size();
            key_chunks_.back() += was;
            key_bytes_ += was.size();
        }
    }
}

CustomerBook::KeyEntry* CustomerBook::key_entry(std::string_view key) {
    if (key_index_.empty()) return nullptr;
    const std::uint64_t h = hash_of(key);
    const std::size_t mask = key_index_.size() - 1;
    const auto tag = static_cast<std::uint32_t>(h >> 32U);
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
        KeyEntry& e = key_index_[i];
        if (e.slot == no_slot) return nullptr;
        if (e.tag == tag && holds(customers_[e.slot], key)) return &e;
    }
}

void CustomerBook::add_key(std::string_view key, std::uint32_t slot) {
    const std::uint64_t h = hash_of(key);
    const std::size_t mask = key_index_.size() - 1;
    std::size_t i = h & mask;
    while (key_index_[i].slot != no_slot) i = (i + 1) & mask;
    key_index_[i] = KeyEntry{slot, static_cast<std::uint32_t>(h >> 32U)};
    ++key_count_;
}

// Room for `more` keys without growing (so nothing moves while a message is applied);
// growing re-indexes every stored key.
void CustomerBook::reserve_keys(std::size_t more) {
    const std::size_t want = key_count_ + more;
    if (!key_index_.empty() && want * 4 <= key_index_.size() * 3) return;
    std::size_t size = 16;
    while (size * 3 < want * 4 * 2) size *= 2;  // at most 3/8 full after growing
    key_index_.assign(size, KeyEntry{no_slot, 0});
    key_count_ = 0;
    for (std::size_t slot = 0; slot < customers_.size(); ++slot) {
        const Customer& c = customers_[slot];
        if ((c.flags & gone_flag) != 0) continue;
        for (const std::string& k : keys_of(c)) {
            if (KeyEntry* e = key_entry(k)) {
                e->slot = static_cast<std::uint32_t>(slot);
            } else {
                add_key(k, static_cast<std::uint32_t>(slot));
            }
        }
    }
}

Identified CustomerBook::identify(const Identity& ids, sla::TimePoint now, CustomerId conversation) {
    const std::vector<std::string> keys = identity_keys(ids);
    if (keys.empty() && find(conversation)) return Identified{resolve(conversation), false, {}};
    reserve_keys(keys.size());
    std::vector<std::uint32_t> known;  // slots; slot order is id order
    std::vector<const std::string*> fresh;
    for (const std::string& k : keys) {
        if (const KeyEntry* e = key_entry(k)) {
            known.push_back(e->slot);
        } else {
            fresh.push_back(&k);
        }
    }
    std::sort(known.begin(), known.end());
    known.erase(std::unique(known.begin(), known.end()), known.end());
    Identified out;
    if (known.empty()) {
        Customer c;
        c.id = next_id_++;
        c.first_seen = now;
        customers_.push_back(c);
        ++live_;
        known.push_back(static_cast<std::uint32_t>(customers_.size() - 1));
        out.created = true;
    }
    const std::uint32_t slot = known.front();  // the oldest
    Customer& keep = customers_[slot];
    std::vector<std::string> all = keys_of(keep);
    const std::size_t had = all.size();
    for (std::size_t i = 1; i < known.size(); ++i) {
        Customer& gone = customers_[known[i]];
        for (std::string& k : keys_of(gone)) {
            if (KeyEntry* e = key_entry(k)) e->slot = slot;
            all.push_back(std::move(k));
        }
        keep.first_seen = std::min(keep.first_seen, gone.first_seen);
        keep.conversations += gone.conversations;
        keep.orders += gone.orders;
        keep.sample_orders += gone.sample_orders;
        keep.flags |= static_cast<std::uint8_t>(gone.flags & (visited_flag | influence_flag));
        if (keep.last_owner == 0) keep.last_owner = gone.last_owner;  // the older record's owner wins
        store_keys(gone, {});
        gone.flags |= gone_flag;
        --live_;
        aliases_[gone.id] = keep.id;
        for (auto& [from, to] : aliases_) {
            if (to == gone.id) to = keep.id;  // aliases always point at a live customer
        }
        out.merged_away.push_back(CustomerId{gone.id});
    }
    for (const std::string* k : fresh) {
        add_key(*k, slot);
        all.push_back(*k);
    }
    if (all.size() != had) {
        std::sort(all.begin(), all.end());
        all.erase(std::unique(all.begin(), all.end()), all.end());
        store_keys(keep, all);
    }
    out.id = CustomerId{keep.id};
    return out;
}

CustomerId CustomerBook::resolve(CustomerId id) const {
    const auto it = aliases_.find(raw(id));
    return it == aliases_.end() ? id : CustomerId{it->second};
}

const CustomerBook::Customer* CustomerBook::find(CustomerId id) const {
    const std::uint64_t want = raw(resolve(id));
    const auto it = std::lower_bound(customers_.begin(), customers_.end(), want,
                                     [](const Customer& c, std::uint64_t x) { return c.id < x; });
    if (it == customers_.end() || it->id != want || (it->flags & gone_flag) != 0) return nullptr;
    return &*it;
}

CustomerBook::Customer* CustomerBook::find(CustomerId id) {
    return const_cast<Customer*>(std::as_const(*this).find(id));
}

CustomerRecord CustomerBook::record(const Customer& c) const {
    return CustomerRecord{CustomerId{c.id},
                          c.first_seen,
                          keys_of(c),
                          c.conversations,
                          c.orders,
                          c.sample_orders,
                          (c.flags & visited_flag) != 0,
                          (c.flags & influence_flag) != 0,
                          owners_[c.last_owner]};
}

std::optional<CustomerRecord> CustomerBook::get(CustomerId id) const {
    const Customer* c = find(id);
    if (!c) return std::nullopt;
    return record(*c);
}

bool CustomerBook::note_conversation(CustomerId id) {
    Customer* c = find(id);
    if (c) ++c->conversations;
    return c != nullptr;
}

bool CustomerBook::note_order(CustomerId id, bool sample) {
    Customer* c = find(id);
    if (c) ++(sample ? c->sample_orders : c->orders);
    return c != nullptr;
}

bool CustomerBook::note_visit(CustomerId id) {
    Customer* c = find(id);
    if (c) c->flags |= visited_flag;
    return c != nullptr;
}

bool CustomerBook::note_local_influence(CustomerId id) {
    Customer* c = find(id);
    if (c) c->flags |= influence_flag;
    return c != nullptr;
}

bool CustomerBook::set_last_owner(CustomerId id, std::string agent) {
    Customer* c = find(id);
    if (c) c->last_owner = owner_index(std::move(agent));
    return c != nullptr;
}

std::string CustomerBook::last_owner(CustomerId id) const {
    const Customer* c = find(id);
    return c ? owners_[c->last_owner] : "";
}

std::vector<CustomerId> CustomerBook::forget(CustomerId id) {
    Customer* c = find(id);
    if (!c) return {};
    std::vector<CustomerId> ids{CustomerId{c->id}};
    std::vector<std::uint64_t> merged;
    for (const auto& [gone, keep] : aliases_)
        if (keep == c->id) merged.push_back(gone);
    std::sort(merged.begin(), merged.end());
    for (const auto gone : merged) {
        aliases_.erase(gone);
        ids.push_back(CustomerId{gone});
    }
    if (c->keys_size != 0) {  // the key bytes too, not only the reference to them
        std::string& chunk = key_chunks_[c->keys >> 32U];
        std::fill_n(chunk.begin() + static_cast<std::ptrdiff_t>(c->keys & 0xFFFFFFFFU), c->keys_size, '\0');
    }
    // The key index keeps entries for this slot; with no keys left they never match again.
    store_keys(*c, {});
    *c = Customer{c->id, {}, 0, 0, 0, 0, 0, 0, gone_flag};
    --live_;
    return ids;
}

CustomerBookState CustomerBook::export_state() const {
    CustomerBookState st;
    st.next_id = next_id_;
    st.customers.reserve(live_);
    for (const Customer& c : customers_) {
        if ((c.flags & gone_flag) == 0) st.customers.push_back(record(c));
    }
    for (const auto& [gone, keep] : aliases_) st.aliases.emplace_back(CustomerId{gone}, CustomerId{keep});
    std::sort(st.aliases.begin(), st.aliases.end());
    return st;
}

}  // namespace ir::routing
