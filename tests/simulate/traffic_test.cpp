// Traffic files: fixture lines and bare events, bad lines, order; what our records knew.
#include <sstream>

#include "ir/adapters/event_json.hpp"
#include "ir/simulate/known_customers.hpp"
#include "ir/simulate/traffic_reader.hpp"
#include "simulate_test_support.hpp"

using namespace simulate_test;

namespace {

const std::string kLine1 =
    R"({"id":"a","event":{"channel":"email","account":"alibaba-electronics","message_id":"<1@x>","thread_id":"t1",)"
    R"("received_at":"2026-11-23T08:00:00Z","direction":"inbound","sender":{"name":"Jo","email":"jo@shop.de"},)"
    R"("subject":"","body":"Need 100 X9 Smart Watch"},"context":{"orders":2},"expect":{"tier":1,"suspect":false}})";
const std::string kBare =
    R"({"channel":"chat","account":"alibaba-electronics","message_id":"wa-2","thread_id":"t2",)"
    R"("received_at":"2026-11-23T08:05:00Z","direction":"inbound","sender":{"name":"Al","im":"whatsapp:+4917012345678"},)"
    R"("subject":"","body":"price?"})";

std::vector<simulate::Input> read_all(simulate::TrafficReader& r) {
    std::vector<simulate::Input> out;
    while (auto in = r.next()) out.push_back(std::move(*in));
    return out;
}

}  // namespace

TEST_CASE("fixture lines and bare events, blank lines, a bad line is reported with its number and skipped") {
    std::istringstream in(kLine1 + "\n\n{\"event\": {\"channel\": \"fax\"}}\nnot json\n" + kBare + "\n");
    simulate::TrafficReader r(in, "week.jsonl");
    const auto inputs = read_all(r);
    REQUIRE(inputs.size() == 2);
    CHECK(inputs[0].line == 1);
    CHECK(inputs[0].context->orders == 2);
    CHECK(inputs[0].at == adapters::parse_rfc3339("2026-11-23T08:00:00Z"));
    CHECK(inputs[1].line == 5);
    CHECK(inputs[1].event.channel == router::Channel::chat);
    CHECK_FALSE(inputs[1].context);
    REQUIRE(r.skipped().size() == 2);
    CHECK(r.skipped()[0].rfind("week.jsonl:3: event.", 0) == 0);
    CHECK(r.skipped()[0].find("(line skipped)") != std::string::npos);
    CHECK(r.skipped()[1].rfind("week.jsonl:4: not valid JSON", 0) == 0);
    CHECK_FALSE(r.fatal());
}

TEST_CASE("a received_at earlier than the line before stops the reading, naming both lines") {
    std::istringstream in(kBare + "\n" + kLine1 + "\n" + kBare + "\n");
    simulate::TrafficReader r(in, "week.jsonl");
    CHECK(read_all(r).size() == 1);
    REQUIRE(r.fatal());
    CHECK(*r.fatal() ==
          "week.jsonl:2: received_at 2026-11-23T08:00:00Z is earlier than line 1's 2026-11-23T08:05:00Z: the "
          "traffic must be in received_at order (sort it first)");
}

TEST_CASE("known customers: a buyer's first line with orders is a record, one who orders later is not") {
    simulate::KnownCustomers known;
    auto regular = buyer(T0, "t1", "Regular@Shop.de");
    regular.context = router::CustomerContext{1, 3, 1, false, false};
    auto later = buyer(T0 + 1h, "t2", "later@shop.de");
    auto later_again = buyer(T0 + 2h, "t3", "later@shop.de");
    later_again.context = router::CustomerContext{1, 1, 0, false, false};
    auto visitor = buyer(T0 + 3h, "t4", "");
    visitor.event.sender.im = "whatsapp:+49 170 1234567";
    visitor.context = router::CustomerContext{1, 0, 0, true, false};
    auto nameless = buyer(T0 + 4h, "t5", "");
    nameless.context = router::CustomerContext{1, 5, 0, false, false};
    for (const auto* in : {&regular, &later, &later_again, &visitor, &nameless}) known.add(*in);
    const auto state = known.state(T0);
    REQUIRE(state.customers.size() == 2);
    CHECK(state.customers[0].keys == std::vector<std::string>{"e:regular@shop.de"});
    CHECK(state.customers[0].orders == 3);
    CHECK(state.customers[0].sample_orders == 1);
    CHECK(state.customers[0].first_seen == T0);
    CHECK(state.customers[1].visited_company);
    CHECK(state.customers[1].keys == std::vector<std::string>{"p:+491701234567"});
    CHECK(state.next_id == 3);
}

TEST_CASE("known customers read from a line's text: the quick look agrees with a full parse") {
    const std::string escaped =
        R"({"event":{"channel":"email","account":"a","message_id":"m","thread_id":"t","received_at":"2026-11-23T08:00:00Z",)"
        R"("direction":"inbound","sender":{"name":"Q \"Boss\"","email":"q@x.com"},"body":"hi"},"context":{"orders":1}})";
    const std::string spaced =
        R"({"event": {"channel": "email", "account": "a", "message_id": "m2", "thread_id": "t2",)"
        R"( "received_at": "2026-11-23T08:00:00Z", "direction": "inbound", "sender": {"name": "R", "email": "r@x.com",)"
        R"( "phone": "+44 20 7946 0000"}, "body": "hi"}, "context": {"orders": 0, "local_influence": true}})";
    for (const auto& line : {kLine1, kBare, escaped, spaced}) {
        simulate::KnownCustomers quick, full;
        quick.add_line(line);
        full.add(*simulate::parse_traffic_line(line));
        INFO(line);
        CHECK(quick.state(T0) == full.state(T0));
    }
    simulate::KnownCustomers k;
    k.add_line(spaced);
    CHECK(k.size() == 1);
    k.add_line("not json");  // passed over
    CHECK(k.size() == 1);
}
