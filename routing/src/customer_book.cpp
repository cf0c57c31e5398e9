// Customers across channels: lookup by identity key, merging when a message links two.
#include "ir/routing/customer_book.hpp"

#include <algorithm>

namespace ir::routing {
namespace {

std::uint64_t raw(CustomerId id) {
    return static_cast<std::uint64_t>(id);
}

}  // namespace

CustomerBook::CustomerBook(const CustomerBookState& state) : next_id_(state.next_id) {
    for (const CustomerRecord& c : state.customers) {
        customers_[raw(c.id)] = c;
        for (const std::string& k : c.keys) by_key_[k] = raw(c.id);
        next_id_ = std::max(next_id_, raw(c.id) + 1);
    }
    for (const auto& [gone, keep] : state.aliases) aliases_[raw(gone)] = raw(keep);
}

Identified CustomerBook::identify(const Identity& ids, sla::TimePoint now) {
    const std::vector<std::string> keys = identity_keys(ids);
    std::vector<std::uint64_t> known;
    for (const std::string& k : keys) {
        if (const auto it = by_key_.find(k); it != by_key_.end()) known.push_back(it->second);
    }
    std::sort(known.begin(), known.end());
    known.erase(std::unique(known.begin(), known.end()), known.end());
    Identified out;
    if (known.empty()) {
        const std::uint64_t id = next_id_++;
        customers_[id] = CustomerRecord{CustomerId{id}, now, {}, 0, 0, 0, false, false, ""};
        known.push_back(id);
        out.created = true;
    }
    CustomerRecord& keep = customers_.at(known.front());  // the oldest
    for (std::size_t i = 1; i < known.size(); ++i) {
        merge_into(keep, customers_.at(known[i]));
        customers_.erase(known[i]);
        out.merged_away.push_back(CustomerId{known[i]});
    }
    for (const std::string& k : keys) {
        if (by_key_.emplace(k, raw(keep.id)).second) keep.keys.push_back(k);
    }
    std::sort(keep.keys.begin(), keep.keys.end());
    out.id = keep.id;
    return out;
}

void CustomerBook::merge_into(CustomerRecord& keep, CustomerRecord& gone) {
    for (const std::string& k : gone.keys) {
        by_key_[k] = raw(keep.id);
        keep.keys.push_back(k);
    }
    std::sort(keep.keys.begin(), keep.keys.end());
    keep.keys.erase(std::unique(keep.keys.begin(), keep.keys.end()), keep.keys.end());
    keep.first_seen = std::min(keep.first_seen, gone.first_seen);
    keep.conversations += gone.conversations;
    keep.orders += gone.orders;
    keep.sample_orders += gone.sample_orders;
    keep.visited_company = keep.visited_company || gone.visited_company;
    keep.local_influence = keep.local_influence || gone.local_influence;
    if (keep.last_owner.empty()) keep.last_owner = gone.last_owner;  // the older record's owner wins
    aliases_[raw(gone.id)] = raw(keep.id);
    for (auto& [from, to] : aliases_) {
        if (to == raw(gone.id)) to = raw(keep.id);  // aliases always point at a live customer
    }
}

CustomerId CustomerBook::resolve(CustomerId id) const {
    const auto it = aliases_.find(raw(id));
    return it == aliases_.end() ? id : CustomerId{it->second};
}

CustomerRecord* CustomerBook::find(CustomerId id) {
    const auto it = customers_.find(raw(resolve(id)));
    return it == customers_.end() ? nullptr : &it->second;
}

std::optional<CustomerRecord> CustomerBook::get(CustomerId id) const {
    const auto it = customers_.find(raw(resolve(id)));
    if (it == customers_.end()) return std::nullopt;
    return it->second;
}

bool CustomerBook::note_conversation(CustomerId id) {
    CustomerRecord* c = find(id);
    if (c) ++c->conversations;
    return c != nullptr;
}

bool CustomerBook::note_order(CustomerId id, bool sample) {
    CustomerRecord* c = find(id);
    if (c) ++(sample ? c->sample_orders : c->orders);
    return c != nullptr;
}

bool CustomerBook::note_visit(CustomerId id) {
    CustomerRecord* c = find(id);
    if (c) c->visited_company = true;
    return c != nullptr;
}

bool CustomerBook::note_local_influence(CustomerId id) {
    CustomerRecord* c = find(id);
    if (c) c->local_influence = true;
    return c != nullptr;
}

bool CustomerBook::set_last_owner(CustomerId id, std::string agent) {
    CustomerRecord* c = find(id);
    if (c) c->last_owner = std::move(agent);
    return c != nullptr;
}

std::string CustomerBook::last_owner(CustomerId id) const {
    const auto it = customers_.find(raw(resolve(id)));
    return it == customers_.end() ? "" : it->second.last_owner;
}

CustomerBookState CustomerBook::export_state() const {
    CustomerBookState st;
    st.next_id = next_id_;
    for (const auto& [id, c] : customers_) st.customers.push_back(c);
    std::sort(st.customers.begin(), st.customers.end(),
              [](const CustomerRecord& x, const CustomerRecord& y) { return raw(x.id) < raw(y.id); });
    for (const auto& [gone, keep] : aliases_) st.aliases.emplace_back(CustomerId{gone}, CustomerId{keep});
    std::sort(st.aliases.begin(), st.aliases.end());
    return st;
}

}  // namespace ir::routing
