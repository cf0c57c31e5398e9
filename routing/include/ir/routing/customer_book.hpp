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
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ir/sla/time.hpp"

namespace ir::routing {

enum class CustomerId : std::uint64_t {};

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

    // The existing customer (merging any it links), or a new one. No usable key: a new
    // customer every time (nothing to recognise them by).
    Identified identify(const Identity& ids, sla::TimePoint now);

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
    std::size_t size() const { return customers_.size(); }

    CustomerBookState export_state() const;

private:
    CustomerRecord* find(CustomerId id);
    void merge_into(CustomerRecord& keep, CustomerRecord& gone);

    std::unordered_map<std::uint64_t, CustomerRecord> customers_;
    std::unordered_map<std::string, std::uint64_t> by_key_;
    std::unordered_map<std::uint64_t, std::uint64_t> aliases_;
    std::uint64_t next_id_ = 1;
};

}  // namespace ir::routing
