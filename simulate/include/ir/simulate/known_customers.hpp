#pragma once
// What our records knew before the traffic starts: a traffic line's `context` (orders,
// sample orders, a visit, local influence) on a buyer's first line. The replay starts the
// core with these customer records, as the daemon's store would hold them, so the buyer's
// first message is tiered with them (tier 1) rather than re-tiered after it. What a later
// line adds (a buyer who ordered during the traffic) reaches the core at that moment, as an
// order would (Engine::on_order). Buyers with nothing to recognise them by (marketplace
// buyers known only by name) cannot be looked up in records: they get theirs per message.
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "ir/routing/customer_book.hpp"
#include "ir/simulate/input.hpp"

namespace ir::simulate {

class KnownCustomers {
public:
    // Feed every input in order.
    void add(const Input& in);
    // The same from a traffic line's text: quick for compact lines, else parsed in full; a
    // line that is not an event is passed over (the replay reports it).
    void add_line(std::string_view line);
    // The records as the core should start with them, known since `since` (the first input).
    routing::CustomerBookState state(sla::TimePoint since) const;
    std::size_t size() const { return records_.size(); }

private:
    // Hashes of the identity keys of every buyer met so far. A collision only sends a buyer's
    // records in by the slower way (an order at their first message), never a wrong record.
    std::unordered_set<std::uint64_t> seen_;
    std::vector<routing::CustomerRecord> records_;
};

// The identity the core derives from a sender (email, phone, WhatsApp, Telegram).
routing::Identity identity_of(const router::Sender& s);

}  // namespace ir::simulate
