// HttpAdmission on its own (a fake clock: the time points are passed in): the per-client
// connection cap, the token bucket, the two body pools; and RefusalLog's counting.
#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "ir/daemon/http_admission.hpp"
#include "ir/daemon/refusal_log.hpp"

using namespace ir::daemon;
using namespace std::chrono_literals;
using Verdict = HttpAdmission::Verdict;
namespace net = boost::asio;

namespace {

const net::ip::address kAlice = net::ip::make_address("192.0.2.1");
const net::ip::address kBob = net::ip::make_address("2001:db8::2");
const HttpAdmission::Clock::time_point T0{std::chrono::seconds(1000)};

}  // namespace

TEST_CASE("a client holds at most its cap of connections; a closed one frees its slot") {
    auto a = HttpAdmission::create({.connections_per_client = 2});
    auto s1 = a->open(kAlice);
    auto s2 = a->open(kAlice);
    REQUIRE(s1);
    REQUIRE(s2);
    CHECK_FALSE(a->open(kAlice));
    CHECK(a->open(kBob));  // another address: its own cap
    s1.reset();
    CHECK(a->open(kAlice));
}

TEST_CASE("IPv4 and its IPv4-mapped IPv6 form are one client") {
    auto a = HttpAdmission::create({.connections_per_client = 1});
    auto s = a->open(net::ip::make_address("192.0.2.7"));
    REQUIRE(s);
    CHECK_FALSE(a->open(net::ip::make_address("::ffff:192.0.2.7")));
}

TEST_CASE("the rate: a second's worth at once, then one request per 1/rate, with when to come back") {
    auto a = HttpAdmission::create({.rate_per_client = 10, .reserved_prefix = "/v1/webhooks/"});
    for (int i = 0; i < 10; ++i) CHECK(a->admit(kAlice, "/v1/events", 0, T0).verdict == Verdict::admitted);
    const auto refused = a->admit(kAlice, "/v1/events", 0, T0);
    CHECK(refused.verdict == Verdict::rate_limited);
    CHECK(refused.retry_after == 1s);
    CHECK(a->admit(kBob, "/v1/events", 0, T0).verdict == Verdict::admitted);               // own bucket
    CHECK(a->admit(kAlice, "/v1/webhooks/telegram", 0, T0).verdict == Verdict::admitted);  // the webhooks' bucket
    CHECK(a->admit(kAlice, "/v1/events", 0, T0 + 50ms).verdict == Verdict::rate_limited);  // half a token
    CHECK(a->admit(kAlice, "/v1/events", 0, T0 + 100ms).verdict == Verdict::admitted);     // one token
    CHECK(a->admit(kAlice, "/v1/events", 0, T0 + 100ms).verdict == Verdict::rate_limited);
    for (int i = 0; i < 10; ++i) CHECK(a->admit(kAlice, "/healthz", 0, T0 + 10s).verdict == Verdict::admitted);
    CHECK(a->admit(kAlice, "/healthz", 0, T0 + 10s).verdict == Verdict::rate_limited);  // never more than a second's
}

TEST_CASE("a slow rate says to come back after several seconds") {
    auto a = HttpAdmission::create({.rate_per_client = 0.25});
    CHECK(a->admit(kAlice, "/", 0, T0).verdict == Verdict::admitted);
    const auto refused = a->admit(kAlice, "/", 0, T0);
    CHECK(refused.verdict == Verdict::rate_limited);
    CHECK(refused.retry_after == 4s);
}

TEST_CASE("bodies are held in two pools: a full one refuses only its own routes") {
    auto a =
        HttpAdmission::create({.body_bytes = 1000, .reserved_body_bytes = 300, .reserved_prefix = "/v1/webhooks/"});
    auto first = a->admit(kAlice, "/v1/events", 600, T0);
    auto second = a->admit(kBob, "/v1/events", 400, T0);
    REQUIRE(first.verdict == Verdict::admitted);
    REQUIRE(second.verdict == Verdict::admitted);
    CHECK(a->body_bytes_held(false) == 1000);
    const auto refused = a->admit(kAlice, "/v1/events", 1, T0);
    CHECK(refused.verdict == Verdict::body_budget);
    CHECK(refused.retry_after == 1s);
    CHECK(a->admit(kAlice, "/v1/events", 0, T0).verdict == Verdict::admitted);  // no body: nothing to hold
    auto hook = a->admit(kAlice, "/v1/webhooks/telegram", 300, T0);
    CHECK(hook.verdict == Verdict::admitted);
    CHECK(a->body_bytes_held(true) == 300);
    first = {};  // its answer is written: the bytes go back
    CHECK(a->body_bytes_held(false) == 400);
    CHECK(a->admit(kAlice, "/v1/events", 600, T0).verdict == Verdict::admitted);
}

TEST_CASE("a body larger than its whole pool still gets in when the pool is empty") {
    auto a = HttpAdmission::create({.body_bytes = 100});
    auto big = a->admit(kAlice, "/v1/events", 5000, T0);
    CHECK(big.verdict == Verdict::admitted);
    CHECK(a->admit(kAlice, "/v1/events", 1, T0).verdict == Verdict::body_budget);
}

TEST_CASE("a client is forgotten once it has no connection and a full bucket, not before") {
    auto a = HttpAdmission::create({.connections_per_client = 4, .rate_per_client = 0.001});
    {
        auto s = a->open(kAlice);
        CHECK(a->clients_tracked() == 1);
    }
    CHECK(a->clients_tracked() == 0);  // nothing taken from its bucket: nothing to remember
    {
        auto s = a->open(kAlice);
        CHECK(a->admit(kAlice, "/", 0, HttpAdmission::Clock::now()).verdict == Verdict::admitted);
    }
    CHECK(a->clients_tracked() == 1);  // reconnecting does not refill the bucket
    auto s = a->open(kAlice);
    CHECK(a->admit(kAlice, "/", 0, HttpAdmission::Clock::now()).verdict == Verdict::rate_limited);
}

TEST_CASE("refusals: the first of a quiet spell is logged, the rest counted in one line per interval") {
    std::ostringstream out;
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
    auto log = std::make_shared<spdlog::logger>("refusal_test", sink);
    net::io_context ioc;
    auto refusals = RefusalLog::create(ioc.get_executor(), log, 50ms);
    for (int i = 0; i < 100; ++i) refusals->note("503 POST /v1/events: the ingest queue is full");
    refusals->note("429 GET /healthz: too many requests");
    CHECK(refusals->total() == 101);
    const auto lines = [&] {
        const std::string text = out.str();
        return std::count(text.begin(), text.end(), '\n');
    };
    CHECK(lines() == 1);
    ioc.run_for(200ms);  // the interval ends: one line with the counts; then the spell is over
    CHECK(lines() == 2);
    const std::string text = out.str();
    CHECK(text.find("refused 100 more request(s)") != std::string::npos);
    CHECK(text.find("99 x 503 POST /v1/events: the ingest queue is full; 1 x 429 GET /healthz") != std::string::npos);
    refusals->note("503 POST /v1/events: again");  // a new spell: said at once
    CHECK(lines() == 3);
    refusals->stop();
    ioc.run_for(100ms);
    CHECK(lines() == 3);
}
