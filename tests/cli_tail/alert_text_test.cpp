// How tail shows alerts, what it asks the API and how it reads the answer.
#include <catch2/catch.hpp>
#include <google/protobuf/util/time_util.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <ctime>

#include "alert_text.hpp"
#include "alerts_api.hpp"
#include "http_get.hpp"
#include "ir/adapters/event_json.hpp"

namespace json = boost::json;
using namespace ir::cli;
using google::protobuf::util::TimeUtil;

namespace {

ir::sla::TimePoint at(const char* rfc3339) {
    return *ir::adapters::parse_rfc3339(rfc3339);
}

struct UtcZone {  // local time = UTC for the duration of a test
    UtcZone() {
        if (const char* tz = std::getenv("TZ")) old = tz, had = true;
        setenv("TZ", "UTC", 1);
        tzset();
    }
    ~UtcZone() {
        had ? setenv("TZ", old.c_str(), 1) : unsetenv("TZ");
        tzset();
    }
    std::string old;
    bool had = false;
};

inquiry::v1::Alert sample_alert() {
    inquiry::v1::Alert a;
    a.set_seq(42);
    a.set_kind(inquiry::v1::ALERT_KIND_BREACH);
    a.set_clock(inquiry::v1::CLOCK_KIND_FAST);
    a.set_inquiry_id(7);
    a.set_account("alibaba-electronics");
    a.set_tier(1);
    *a.mutable_deadline() = TimeUtil::MillisecondsToTimestamp(ir::sla::to_unix_ms(at("2026-11-20T08:20:00Z")));
    *a.mutable_fired_at() = TimeUtil::MillisecondsToTimestamp(ir::sla::to_unix_ms(at("2026-11-20T08:20:02.250Z")));
    a.set_late(true);
    a.set_topic("queue/alibaba-electronics/");
    a.set_text("BREACH FAST reply clock, 2250ms overdue (late)");
    return a;
}

}  // namespace

TEST_CASE("a live alert becomes the JSON object GET /v1/alerts returns") {
    const json::object o = alert_to_json(sample_alert());
    CHECK(json::serialize(o) ==
          R"j({"seq":42,"topic":"queue/alibaba-electronics/","kind":"BREACH","clock":"FAST","inquiry_id":7,)j"
          R"j("account":"alibaba-electronics","agent_id":null,"tier":1,"deadline":"2026-11-20T08:20:00Z",)j"
          R"j("fired_at":"2026-11-20T08:20:02.250Z","late":true,"escalates":null,)j"
          R"j("text":"BREACH FAST reply clock, 2250ms overdue (late)"})j");
    inquiry::v1::Alert assigned;
    assigned.set_seq(1);
    assigned.set_kind(inquiry::v1::ALERT_KIND_ASSIGNED);
    assigned.set_agent_id("alice");
    const json::object b = alert_to_json(assigned);
    CHECK(b.at("clock").is_null());
    CHECK(b.at("deadline").is_null());
    CHECK(b.at("agent_id") == "alice");
    CHECK(b.at("kind") == "ASSIGNED");
}

TEST_CASE("one readable line per alert") {
    UtcZone utc;
    const auto now = at("2026-11-20T09:00:00Z");
    json::object o = alert_to_json(sample_alert());
    CHECK(format_alert_line(o, now) ==
          "08:20:02  BREACH FAST         tier 1  inquiry 7  alibaba-electronics  -  2.2s overdue (late)");
    o["kind"] = "WARNING";
    o["late"] = false;
    o["agent_id"] = "alice";
    o["fired_at"] = "2026-11-20T08:19:00Z";
    CHECK(format_alert_line(o, now) ==
          "08:19:00  WARNING FAST        tier 1  inquiry 7  alibaba-electronics  alice  1m00s left");
    o["clock"] = nullptr;
    o["deadline"] = nullptr;
    o["kind"] = "RESOLVED";
    CHECK(format_alert_line(o, now) == "08:19:00  RESOLVED            tier 1  inquiry 7  alibaba-electronics  alice");
}

TEST_CASE("times of another day are written in full, with the local offset") {
    UtcZone utc;
    CHECK(format_local_time(at("2026-11-19T23:59:59Z"), at("2026-11-20T00:00:01Z")) == "2026-11-19T23:59:59+00:00");
    CHECK(format_local_time(at("2026-11-20T00:00:00Z"), at("2026-11-20T23:00:00Z")) == "00:00:00");
}

TEST_CASE("time spans read naturally") {
    using std::chrono::milliseconds;
    CHECK(format_span(milliseconds{850}) == "850ms");
    CHECK(format_span(milliseconds{-1500}) == "1.5s");
    CHECK(format_span(milliseconds{1040}) == "1s");
    CHECK(format_span(milliseconds{42'000}) == "42s");
    CHECK(format_span(milliseconds{185'000}) == "3m05s");
    CHECK(format_span(milliseconds{7'800'000}) == "2h10m");
    CHECK(format_span(milliseconds{100'800'000}) == "1d4h");
}

TEST_CASE("the alerts request and its answer") {
    CHECK(alerts_target(17, "escalation/acme & co/", 1000) ==
          "/v1/alerts?since=17&topic=escalation/acme%20%26%20co/&limit=1000");
    auto page = parse_alerts_page(R"({"alerts":[{"seq":9,"kind":"BREACH"},{"seq":4}],"last_seq":12})");
    REQUIRE(page);
    CHECK(page->last_seq == 12);
    REQUIRE(page->alerts.size() == 2);
    CHECK(page->alerts[0].seq == 4);  // sorted
    CHECK(page->alerts[1].json.at("kind") == "BREACH");
    CHECK_FALSE(parse_alerts_page("not json"));
    CHECK_FALSE(parse_alerts_page(R"({"alerts":[]})"));
    CHECK_FALSE(parse_alerts_page(R"({"alerts":[{"kind":"X"}],"last_seq":1})"));
}

TEST_CASE("HOST:PORT") {
    CHECK(*parse_host_port("127.0.0.1:8080") == HostPort{"127.0.0.1", "8080"});
    CHECK(*parse_host_port("[::1]:9") == HostPort{"::1", "9"});
    CHECK(*parse_host_port("localhost:65535") == HostPort{"localhost", "65535"});
    for (const char* bad : {"127.0.0.1", ":80", "host:", "host:0", "host:70000", "host:8x", "::1:80", "[::1:80"})
        CHECK_FALSE(parse_host_port(bad));
}
