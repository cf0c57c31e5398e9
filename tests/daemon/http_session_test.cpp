// HttpSession over Beast's test stream: no sockets, one io_context run on the test's
// thread, every wait bounded.

#include "test_stream_transport.hpp"

#include <ir/daemon/http_json.hpp>
#include <ir/daemon/http_session.hpp>
#include <ir/daemon/metrics.hpp>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/parser.hpp>
#include <catch2/catch.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

using namespace ir::daemon;
using namespace std::chrono_literals;
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Session = detail::HttpSession<test::TestTransport>;

namespace {

HttpServerOptions short_timeouts() {
    HttpServerOptions o;
    o.request_timeout = 100ms;
    o.idle_timeout = 200ms;
    o.write_timeout = 200ms;
    o.linger_timeout = 50ms;
    return o;
}

// Parses every whole response in `wire`, in order.
std::vector<HttpResponse> parse_responses(std::string_view wire) {
    std::vector<HttpResponse> out;
    while (!wire.empty()) {
        http::response_parser<http::string_body> parser;
        parser.eager(true);
        beast::error_code ec;
        std::size_t used = 0;
        while (!parser.is_done() && used < wire.size()) {
            const auto n = parser.put(net::buffer(wire.data() + used, wire.size() - used), ec);
            if (ec) return out;  // an incomplete response: not yet
            used += n;
        }
        if (!parser.is_done()) return out;
        out.push_back(parser.release());
        wire.remove_prefix(used);
    }
    return out;
}

struct SessionFixture {
    explicit SessionFixture(HttpServerOptions options = short_timeouts()) {
        state->options = options;
        state->metrics.register_in(registry, false);
        state->log = http_logger();
    }

    // A session still open refers to the registry: it ends before the fixture does.
    ~SessionFixture() {
        const std::vector<detail::SessionBase*> open(state->sessions.begin(), state->sessions.end());
        for (auto* s : open) s->force_close();
        run_until([&] { return state->sessions.empty(); }, 1s);
    }
    SessionFixture(const SessionFixture&) = delete;
    SessionFixture& operator=(const SessionFixture&) = delete;

    void open(HttpHandler handler, beast::test::fail_count* fc = nullptr) {
        state->handler = std::move(handler);
        auto server = fc ? test::TestTransport(ioc, *fc) : test::TestTransport(ioc);
        client.connect(server.inner());
        auto s = std::make_shared<Session>(std::move(server), state);
        session = s;
        s->run();
    }

    void send(std::string_view text) { net::write(client, net::buffer(text)); }

    // Runs the io_context until `done` holds or `limit` passes; says whether it held.
    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 2s) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!done()) {
            if (std::chrono::steady_clock::now() >= deadline) return false;
            ioc.restart();
            ioc.run_one_for(10ms);
        }
        return true;
    }

    std::vector<HttpResponse> responses() const { return parse_responses(client.str()); }
    bool responses_are(std::size_t n) {
        return run_until([&] { return responses().size() >= n; });
    }
    bool closed() {
        return run_until([&] { return state->sessions.empty(); });
    }

    // What HttpServer::stop() does to its sessions.
    void stop_server() {
        state->stopping = true;
        const std::vector<detail::SessionBase*> open(state->sessions.begin(), state->sessions.end());
        for (auto* s : open) s->begin_stop();
    }

    net::io_context ioc;
    ir::daemon::metrics::Registry registry;
    std::shared_ptr<detail::ServerState> state = std::make_shared<detail::ServerState>();
    beast::test::stream client{ioc};
    std::weak_ptr<Session> session;
};

void echo(HttpRequest&& req, Responder respond) {
    respond(text_response(http::status::ok, std::string(req.target())));
}

std::string get(std::string_view target, std::string_view extra = {}) {
    return "GET " + std::string(target) + " HTTP/1.1\r\nHost: x\r\n" + std::string(extra) + "\r\n";
}

}  // namespace

TEST_CASE("session: keep-alive answers request after request on one connection", "[http_session]") {
    SessionFixture f;
    f.open(echo);
    for (int i = 1; i <= 3; ++i) {
        f.send(get("/r" + std::to_string(i)));
        REQUIRE(f.responses_are(i));
        const auto res = f.responses().back();
        CHECK(res.result() == http::status::ok);
        CHECK(res.keep_alive());
        CHECK(res.body() == "/r" + std::to_string(i));
    }
    CHECK_FALSE(f.state->sessions.empty());
    f.send(get("/last", "Connection: close\r\n"));
    REQUIRE(f.responses_are(4));
    CHECK_FALSE(f.responses().back().keep_alive());
    CHECK(f.closed());
}

TEST_CASE("session: pipelined requests are handled one at a time and answered in order", "[http_session]") {
    SessionFixture f;
    int handling = 0, most_at_once = 0;
    std::vector<std::string> seen;
    f.open([&](HttpRequest&& req, Responder respond) {
        seen.emplace_back(req.target());
        most_at_once = std::max(most_at_once, ++handling);
        // Answered later, from the io_context, as a handler waiting for a commit does.
        net::post(f.ioc, [&, target = std::string(req.target()), respond = std::move(respond)]() mutable {
            --handling;
            respond(text_response(http::status::ok, target));
        });
    });
    f.send(get("/a") + get("/b") + get("/c"));
    REQUIRE(f.responses_are(3));
    const auto res = f.responses();
    CHECK(res[0].body() == "/a");
    CHECK(res[1].body() == "/b");
    CHECK(res[2].body() == "/c");
    CHECK(seen == std::vector<std::string>{"/a", "/b", "/c"});
    CHECK(most_at_once == 1);
}

TEST_CASE("session: a body over the limit gets 413 with a reason, then the connection closes", "[http_session]") {
    auto options = short_timeouts();
    options.body_limit = 16;
    SessionFixture f(options);
    bool handled = false;
    f.open([&](HttpRequest&&, Responder respond) {
        handled = true;
        respond(text_response(http::status::ok, "no"));
    });
    f.send("POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n" +
           std::string(100, 'x'));
    REQUIRE(f.responses_are(1));
    const auto res = f.responses().front();
    CHECK(res.result() == http::status::payload_too_large);
    CHECK(res.body().find("request body too large") != std::string::npos);
    CHECK_FALSE(res.keep_alive());
    CHECK_FALSE(handled);
    CHECK(f.closed());
}

TEST_CASE("session: a malformed request gets 400 with a reason", "[http_session]") {
    SessionFixture f;
    f.open(echo);
    f.send("NOT HTTP AT ALL\r\n\r\n");
    REQUIRE(f.responses_are(1));
    const auto res = f.responses().front();
    CHECK(res.result() == http::status::bad_request);
    CHECK(res.body().find("malformed HTTP request") != std::string::npos);
    CHECK(f.closed());
    CHECK(f.state->metrics.requests_by_class[3]->value() == 1);
}

TEST_CASE("session: a request that stops half-way times out and is closed", "[http_session]") {
    SessionFixture f;
    f.open(echo);
    f.send("GET /slow HTTP/1.1\r\nHost: x\r\n");  // and never the blank line
    CHECK(f.closed());
    CHECK(f.responses().empty());
    CHECK(f.state->metrics.timeouts->value() == 1);
}

TEST_CASE("session: an idle keep-alive connection is closed after the idle timeout", "[http_session]") {
    SessionFixture f;
    f.open(echo);
    f.send(get("/once"));
    REQUIRE(f.responses_are(1));
    const auto answered = std::chrono::steady_clock::now();
    CHECK(f.closed());
    CHECK(std::chrono::steady_clock::now() - answered >= 150ms);  // the idle timeout, not the request one
    CHECK(f.state->metrics.timeouts->value() == 1);
}

TEST_CASE("session: shutdown closes an idle connection and finishes the request in hand", "[http_session]") {
    SECTION("idle") {
        SessionFixture f;
        f.open(echo);
        f.send(get("/once"));
        REQUIRE(f.responses_are(1));
        f.stop_server();
        CHECK(f.closed());
        CHECK(f.state->metrics.timeouts->value() == 0);
    }
    SECTION("a request being handled is answered, with Connection: close") {
        SessionFixture f;
        Responder pending;
        f.open([&](HttpRequest&&, Responder respond) { pending = std::move(respond); });
        f.send(get("/commit"));
        REQUIRE(f.run_until([&] { return pending.pending(); }));
        f.stop_server();
        pending(text_response(http::status::accepted, "done"));
        REQUIRE(f.responses_are(1));
        CHECK(f.responses().front().result() == http::status::accepted);
        CHECK_FALSE(f.responses().front().keep_alive());
        CHECK(f.closed());
    }
}

TEST_CASE("session: a transport failure at any step closes the session without a crash", "[http_session]") {
    // Fail the 1st, 2nd, ... operation on the server's stream until an exchange succeeds.
    bool succeeded = false;
    for (std::size_t n = 0; n < 20 && !succeeded; ++n) {
        beast::test::fail_count fc(n);
        SessionFixture f;
        f.open(echo, &fc);
        f.send(get("/a") + get("/b", "Connection: close\r\n"));
        REQUIRE(f.closed());  // whatever failed, the session ends and frees itself
        CHECK(f.session.expired());
        succeeded = f.responses().size() == 2;
    }
    CHECK(succeeded);
}

TEST_CASE("session: a body the pool cannot hold is refused after its header, before a byte of it is read",
          "[http_session]") {
    auto options = short_timeouts();
    options.admission = HttpAdmission::create({.body_bytes = 1000});
    SessionFixture f(options);
    std::vector<Responder> held;  // the first request's answer waits: its body stays in the pool
    f.open([&](HttpRequest&&, Responder respond) { held.push_back(std::move(respond)); });
    const std::string post = "POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
    f.send(post + "Content-Length: 800\r\n\r\n" + std::string(800, 'x'));
    REQUIRE(f.run_until([&] { return held.size() == 1; }));
    CHECK(options.admission->body_bytes_held(false) == 800);
    held.front()(text_response(http::status::accepted, "ok"));
    REQUIRE(f.responses_are(1));  // given back once the answer is written
    REQUIRE(f.run_until([&] { return options.admission->body_bytes_held(false) == 0; }));
    // A second connection takes 800, then this one's next request (header only, no body
    // sent) is refused at once with 503 and Retry-After.
    auto other = options.admission->admit({}, "/v1/events", 800, std::chrono::steady_clock::now());
    REQUIRE(other.verdict == HttpAdmission::Verdict::admitted);
    f.send(post + "Content-Length: 500\r\n\r\n");
    REQUIRE(f.responses_are(2));
    const auto res = f.responses().back();
    CHECK(res.result() == http::status::service_unavailable);
    CHECK(res[http::field::retry_after] == "1");
    CHECK(res.body().find("max_queued_bytes") != std::string::npos);
    CHECK_FALSE(res.keep_alive());  // its body was not read: the connection cannot go on
    CHECK(held.size() == 1);
    CHECK(f.state->metrics.body_budget->value() == 1);
}

TEST_CASE("session: over the client's rate, 429 with Retry-After; a request without a body keeps the connection",
          "[http_session]") {
    auto options = short_timeouts();
    options.admission = HttpAdmission::create({.rate_per_client = 2});
    SessionFixture f(options);
    f.open(echo);
    f.send(get("/1") + get("/2") + get("/3"));
    REQUIRE(f.responses_are(3));
    const auto res = f.responses();
    CHECK(res[0].result() == http::status::ok);
    CHECK(res[1].result() == http::status::ok);
    CHECK(res[2].result() == http::status::too_many_requests);
    CHECK(res[2][http::field::retry_after] == "1");
    CHECK(res[2].keep_alive());
    CHECK(f.state->metrics.rate_limited->value() == 1);
}

TEST_CASE("session: in a reserved slot only the reserved routes are served", "[http_session]") {
    auto options = short_timeouts();
    options.admission = HttpAdmission::create({.reserved_prefix = "/v1/webhooks/"});
    SessionFixture f(options);
    f.state->handler = echo;
    auto server = test::TestTransport(f.ioc);
    f.client.connect(server.inner());
    detail::ConnectionTerms terms;
    terms.reserved_only = true;
    std::make_shared<Session>(std::move(server), f.state, nullptr, std::move(terms))->run();
    f.send(get("/v1/webhooks/telegram") + get("/v1/events"));
    REQUIRE(f.responses_are(2));
    const auto res = f.responses();
    CHECK(res[0].result() == http::status::ok);
    CHECK(res[1].result() == http::status::service_unavailable);
    CHECK(res[1].body().find("/v1/webhooks/") != std::string::npos);
}
