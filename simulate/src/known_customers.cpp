#include "ir/simulate/known_customers.hpp"

#include "ir/simulate/traffic_reader.hpp"
#include "line_scan.hpp"

namespace ir::simulate {

// As the engine reads a sender: "whatsapp:..." and "telegram:..." IM handles are identities.
routing::Identity identity_of(const router::Sender& s) {
    routing::Identity id;
    id.email = s.email;
    id.phone = s.phone;
    if (s.im.starts_with("whatsapp:")) id.whatsapp = s.im.substr(9);
    if (s.im.starts_with("telegram:")) id.telegram = s.im.substr(9);
    return id;
}

void KnownCustomers::add(const Input& in) {
    if (in.kind != Input::Kind::event || in.event.direction != router::Direction::inbound) return;
    std::vector<std::string> keys = routing::identity_keys(identity_of(in.event.sender));
    bool known = false;
    for (const auto& k : keys) known = !seen_.insert(std::hash<std::string>{}(k)).second || known;
    if (known || keys.empty() || !in.context) return;
    const router::CustomerContext& c = *in.context;
    if (c.orders == 0 && c.sample_orders == 0 && !c.visited_company && !c.local_influence) return;
    routing::CustomerRecord r;
    r.id = routing::CustomerId{records_.size() + 1};
    r.keys = std::move(keys);
    r.orders = c.orders;
    r.sample_orders = c.sample_orders;
    r.visited_company = c.visited_company;
    r.local_influence = c.local_influence;
    records_.push_back(std::move(r));
}

void KnownCustomers::add_line(std::string_view line) {
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) return;
    if (auto quick = detail::scan_identity(line)) return add(*quick);
    if (auto parsed = parse_traffic_line(line)) add(*parsed);
}

routing::CustomerBookState KnownCustomers::state(sla::TimePoint since) const {
    routing::CustomerBookState s;
    s.customers = records_;
    for (auto& c : s.customers) c.first_seen = since;
    s.next_id = records_.size() + 1;
    return s;
}

}  // namespace ir::simulate
