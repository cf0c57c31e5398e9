// The load generator (bench/http) against the real HttpServer: counts, statuses, the
// unique message ids a deduplicating server needs, reconnection and the open loop.

#include "http_test_support.hpp"

#include <ir/bench/load_generator.hpp>
#include <ir/daemon/http_json.hpp>

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include <set>

using namespace ir::daemon;
using namespace ir::daemon::test;

namespace {

struct Seen {
    std::set<std::string> ids;
    std::uint64_t bodies = 0;
    std::uint64_t bad = 0;
};

// Accepts JSON events, remembers their message ids; every 7th answer closes the connection.
HttpHandler recording_handler(Seen& seen) {
    return [&seen](HttpRequest&& req, Responder respond) {
        boost::system::error_code ec;
        const auto v = boost::json::parse(req.body(), ec);
        const auto* id = ec || !v.is_object() ? nullptr : v.as_object().if_contains("message_id");
        if (!id || !id->is_string()) {
            ++seen.bad;
            return respond(error_response(http::status::bad_request, "no message_id", "message_id"));
        }
        seen.ids.emplace(id->as_string());
        auto res = json_response(http::status::accepted, boost::json::object{});
        if (++seen.bodies % 7 == 0) res.keep_alive(false);
        respond(std::move(res));
    };
}

}  // namespace

TEST_CASE("loadgen: a fixed count, unique message ids, reconnecting after Connection: close", "[loadgen]") {
    Seen seen;
    ServerFixture server;
    server.start(recording_handler(seen));

    ir::bench::LoadOptions o;
    o.port = server.port();
    o.bodies = {R"({"channel":"chat","message_id":"m\"1","body":"a"})", R"({"channel":"email","message_id":"m2"})"};
    o.connections = 4;
    o.threads = 2;
    o.max_requests = 300;
    o.duration = 10s;  // the count ends it long before
    const auto r = ir::bench::run_load(o);

    CHECK(r.requests == 300);
    CHECK(r.errors == 0);
    CHECK(r.by_status == std::map<unsigned, std::uint64_t>{{202, 300}});
    CHECK(r.p50_us > 0);
    CHECK(r.p50_us <= r.p99_us);
    CHECK(r.p99_us <= r.max_us);
    const auto seen_ids = server.on_io([&] { return seen.ids; });
    CHECK(seen_ids.size() == 300);
    CHECK(server.on_io([&] { return seen.bad; }) == 0);
    CHECK(seen_ids.begin()->starts_with("m\"1#"));  // the original id is kept, then a suffix
}

TEST_CASE("loadgen: the open loop holds its rate", "[loadgen]") {
    Seen seen;
    ServerFixture server;
    server.start(recording_handler(seen));

    ir::bench::LoadOptions o;
    o.port = server.port();
    o.bodies = {R"({"message_id":"x"})"};
    o.connections = 4;
    o.rate = 2000;
    o.warmup = 100ms;
    o.duration = 500ms;
    const auto r = ir::bench::run_load(o);
    CHECK(r.errors == 0);
    CHECK(r.not_sent == 0);
    CHECK(r.requests >= 950);  // 1000 due in the window; bounds loose for sanitizer builds
    CHECK(r.requests <= 1001);
    CHECK(r.requests_per_second == Approx(2000).epsilon(0.1));
    CHECK(r.by_status.size() == 1);
    CHECK(server.on_io([&] { return seen.ids.size(); }) >= r.requests);  // the warmup's too
}
