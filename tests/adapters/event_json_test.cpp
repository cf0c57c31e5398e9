// The generic JSON event: strict, and every error names its field.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "ir/adapters/event_json.hpp"

using namespace ir;
namespace json = boost::json;

namespace {

json::object valid() {
    return json::parse(R"({"channel":"email","account":"alibaba-electronics","message_id":"<a@b>",
        "thread_id":"t-1","received_at":"2026-11-20T08:15:00Z","direction":"inbound",
        "sender":{"name":"Jonas","email":"j@weber.de"},"subject":"X9","body":"Hello","attachments":2})")
        .as_object();
}

Error error_of(const json::object& o) {
    auto e = adapters::parse_event(o);
    REQUIRE_FALSE(e.has_value());
    return e.error();
}

}  // namespace

TEST_CASE("a valid event parses field for field") {
    auto e = adapters::parse_event(valid());
    REQUIRE(e.has_value());
    CHECK(e->channel == router::Channel::email);
    CHECK(e->account == "alibaba-electronics");
    CHECK(e->message_id == "<a@b>");
    CHECK(e->thread_id == "t-1");
    CHECK(e->direction == router::Direction::inbound);
    CHECK(e->sender.email == "j@weber.de");
    CHECK(e->attachments == 2);
    CHECK(adapters::format_rfc3339(e->received_at) == "2026-11-20T08:15:00Z");
}

TEST_CASE("the event round-trips through its JSON form") {
    auto e = adapters::parse_event(valid());
    REQUIRE(e.has_value());
    auto again = adapters::parse_event(adapters::to_json(*e));
    REQUIRE(again.has_value());
    CHECK(*again == *e);
}

TEST_CASE("missing, mistyped and unknown fields are errors naming the field") {
    auto o = valid();
    o.erase("account");
    CHECK(error_of(o).field == "account");
    o = valid();
    o["body"] = 42;
    CHECK(error_of(o).field == "body");
    CHECK_FALSE(error_of(o).invalid_value);  // a wrong type is a 400
    o = valid();
    o["colour"] = "red";
    CHECK(error_of(o).field == "colour");
    CHECK(error_of(o).message == "unknown field");
    o = valid();
    o["sender"].as_object()["fax"] = "1";
    CHECK(error_of(o).field == "sender.fax");
    o = valid();
    o["sender"] = "Jonas";
    CHECK(error_of(o).field == "sender");
}

TEST_CASE("well-formed but unacceptable values are marked as such (HTTP 422)") {
    auto o = valid();
    o["channel"] = "pigeon";
    CHECK(error_of(o).field == "channel");
    CHECK(error_of(o).invalid_value);
    o = valid();
    o["received_at"] = "yesterday";
    CHECK(error_of(o).field == "received_at");
    CHECK(error_of(o).invalid_value);
    o = valid();
    o["message_id"] = "";
    CHECK(error_of(o).invalid_value);
    o = valid();
    o["attachments"] = -1;
    CHECK(error_of(o).field == "attachments");
    o = valid();
    o["message_id"] = std::string(10'000, 'x');
    CHECK(error_of(o).field == "message_id");
}

TEST_CASE("a missing thread id makes the message its own conversation") {
    auto o = valid();
    o.erase("thread_id");
    auto e = adapters::parse_event(o);
    REQUIRE(e.has_value());
    CHECK(e->thread_id == "<a@b>");
}

TEST_CASE("RFC 3339 times with offsets and fractions become UTC") {
    using adapters::format_rfc3339;
    using adapters::parse_rfc3339;
    CHECK(format_rfc3339(*parse_rfc3339("2026-11-20T10:15:00+02:00")) == "2026-11-20T08:15:00Z");
    CHECK(format_rfc3339(*parse_rfc3339("2026-11-20T08:15:00.25Z")) == "2026-11-20T08:15:00.250Z");
    CHECK(format_rfc3339(*parse_rfc3339("2026-12-31T23:30:00-01:00")) == "2027-01-01T00:30:00Z");
    for (const char* bad : {"2026-11-20", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-20T08:15:00",
                            "2026-11-20T08:15:00Zjunk", "2026-11-20T25:00:00Z", ""}) {
        INFO(bad);
        CHECK_FALSE(parse_rfc3339(bad).has_value());
    }
}

TEST_CASE("context fields default to zero and false") {
    auto c = adapters::parse_context(json::parse(R"({"orders": 2})"));
    REQUIRE(c.has_value());
    CHECK(c->orders == 2);
    CHECK(c->sample_orders == 0);
    CHECK_FALSE(c->visited_company);
    CHECK_FALSE(adapters::parse_context(json::parse(R"({"orders": "two"})")).has_value());
    CHECK_FALSE(adapters::parse_context(json::parse(R"({"ordres": 2})")).has_value());
}
