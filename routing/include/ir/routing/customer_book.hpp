#pragma once
// One customer across channels: identity resolution and the facts tiering needs (orders,
// sample orders, visits, local influence) plus the customer's last owner for sticky routing.
//
// Identity keys, normalised:
// - email: trimmed, lower-cased ("e:ann@x.com"); needs an '@'.
// - phone: digits only, a leading '+' kept ("p:+4917012345"); fewer than 6 digits is ignored.
// - WhatsApp: "whatsapp:+49..." (or any value that reads as a phone) is a phone; anything
//   else (a business-scoped user id, no phone) is its own key ("w:<id>").
// - Telegram: the id or @handle, trimmed, lower-cased ("t:<id>").
// A message whose keys belong to two customers links them: they merge into the older one
// (the smaller id: ids only grow), deterministically; the merged-away id keeps resolving.
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ir/base/ids.hpp"
#include "ir/sla/time.hpp"

namespace ir::routing {

using ir::CustomerId;  // ir/base/ids.hpp

// What one message tells about who sent it; empty fields are unknown.
struct Identity {
    std::string email;
    std::string phone;
    std::string whatsapp;
    std::string telegram;
};

struct CustomerRecord {
    CustomerId id{};
    sla::TimePoint first_seen;
    std::vector<std::string> keys;  // normalised identity keys, sorted
    std::uint32_t conversations = 0;
    std::uint32_t orders = 0;  // formal orders
    std::uint32_t sample_orders = 0;
    bool visited_company = false;
    bool local_influence = false;
    std::string last_owner;  // agent id; "" = none yet
    // DOMAIN.md tier 1 signs that our records know.
    bool tier_one() const { return orders > 0 || sample_orders > 0 || visited_company || local_influence; }
    bool operator==(const CustomerRecord&) const = default;
};

struct Identified {
    CustomerId id{};
    bool created = false;                 // a new customer
    std::vector<CustomerId> merged_away;  // customers folded into `id` by this message
    bool operator==(const Identified&) const = default;
};

struct CustomerBookState {
    std::vector<CustomerRecord> customers;                   // sorted by id
    std::vector<std::pair<CustomerId, CustomerId>> aliases;  // merged-away id -> survivor
    std::uint64_t next_id = 1;
    bool operator==(const CustomerBookState&) const = default;
};

// The normalised keys of an identity (sorted, no duplicates); empty if none is usable.
std::vector<std::string> identity_keys(const Identity& ids);

class CustomerBook {
public:
    CustomerBook() = default;
    explicit CustomerBook(const CustomerBookState& state);

    // The existing customer (merging any it links), or a new one. No usable key: the
    // customer of the sender's conversation so far (`conversation`, when it has one, since
    // it is the same buyer), else a new customer (nothing to recognise them by).
    Identified identify(const Identity& ids, sla::TimePoint now, CustomerId conversation = {});

    // Every call below takes any id ever returned (merged-away ids resolve to the survivor);
    // unknown ids are ignored (false / nullopt).
    CustomerId resolve(CustomerId id) const;
    std::optional<CustomerRecord> get(CustomerId id) const;
    bool note_conversation(CustomerId id);
    bool note_order(CustomerId id, bool sample);
    bool note_visit(CustomerId id);
    bool note_local_influence(CustomerId id);
    bool set_last_owner(CustomerId id, std::string agent);
    std::string last_owner(CustomerId id) const;
    // Erases a customer (any id it was ever known by): its record, its identity keys and
    // its merges, so no later message is recognised as theirs. Returns every id it had (the
    // survivor first, then the merged-away ones, ascending); empty for an unknown id. Ids
    // are never reused.
    std::vector<CustomerId> forget(CustomerId id);
    std::size_t size() const { return live_; }
    std::uint64_t next_id() const { return next_id_; }  // the id the next new customer gets

    CustomerBookState export_state() const;

private:
    // Compact per-customer state (48 bytes); the public CustomerRecord is built on demand.
    struct Customer {
        std::uint64_t id = 0;
        sla::TimePoint first_seen;
        std::uint64_t keys = 0;       // where its keys start in the key store
        std::uint32_t keys_size = 0;  // bytes there (length-prefixed keys, sorted)
        std::uint32_t conversations = 0;
        std::uint32_t orders = 0;
        std::uint32_t sample_orders = 0;
        std::uint32_t last_owner = 0;  // index into owners_; 0 = none
        std::uint8_t flags = 0;        // visited, local influence, merged away
    };
    // One identity key -> the customer holding it: a slot in customers_ and 32 bits of the
    // key's hash. A hit is always checked against the customer's own keys, so two keys
    // with the same hash never mix up two customers.
    struct KeyEntry {
        std::uint32_t slot = 0;
        std::uint32_t tag = 0;
    };
    static constexpr std::uint32_t no_slot = 0xFFFFFFFFU;

    Customer* find(CustomerId id);
    const Customer* find(CustomerId id) const;
    CustomerRecord record(const Customer& c) const;
    std::vector<std::string> keys_of(const Customer& c) const;
    bool holds(const Customer& c, std::string_view key) const;
    void store_keys(Customer& c, const std::vector<std::string>& keys);
    KeyEntry* key_entry(std::string_view key);
    void add_key(std::string_view key, std::uint32_t slot);
    void reserve_keys(std::size_t more);
    std::uint32_t owner_index(std::string agent);

    std::deque<Customer> customers_;  // sorted by id; merged-away ones stay as tombstones
    std::size_t live_ = 0;
    std::vector<KeyEntry> key_index_;  // open addressing, power-of-two size
    std::size_t key_count_ = 0;
    std::vector<std::string> key_chunks_;  // the key store: append-only chunks
    std::size_t key_garbage_ = 0;          // bytes no customer points at any more
    std::size_t key_bytes_ = 0;
    std::vector<std::string> owners_{""};
    std::unordered_map<std::string, std::uint32_t> owner_ids_;
    std::unordered_map<std::uint64_t, std::uint64_t> aliases_;
    std::uint64_t next_id_ = 1;
};

}  // namespace ir::routing
