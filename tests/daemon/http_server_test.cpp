#include "http_test_support.hpp"

#include <ir/daemon/http_json.hpp>
#include <ir/daemon/http_router.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>
#include <catch2/catch.hpp>

#include <atomic>

using namespace ir::daemon;
using namespace ir::daemon::test;

namespace {

// Answers `after` later from a timer on the io thread, like a handler waiting for a commit.
void answer_later(net::io_context& ioc, std::chrono::milliseconds after, Responder respond, HttpResponse res) {
    auto timer = std::make_shared<net::steady_timer>(ioc, after);
    timer->async_wait([timer, respond = std::move(respond), res = std::move(res)](beast::error_code) mutable {
        respond(std::move(res));
    });
}

HttpResponse echo_target(const HttpRequest& req) {
    return text_response(http::status::ok, std::string(req.target()));
}

void echo(HttpRequest&& req, Responder respond) {
    respond(echo_target(req));
}

// The value of one series in the metrics text, "absent" if it is not there.
std::string sample(const std::string& metrics, const std::string& series) {
    const auto pos = metrics.find("\n" + series + " ");
    if (pos == std::string::npos) return "absent";
    const auto start = pos + series.size() + 2;
    return metrics.substr(start, metrics.find('\n', start) - start);
}

// Metrics are counted once a response is written, which the client may see first.
bool sample_becomes(ServerFixture& server, const std::string& series, const std::string& value) {
    return eventually([&] { return sample(server.metrics_text(), series) == value; });
}

}  // namespace

TEST_CASE("keep-alive: several requests on one connection", "[http]") {
    ServerFixture server;
    server.start(echo);
    Client client(server.port());
    REQUIRE_FALSE(client.connect_error);
    for (int i = 0; i < 5; ++i) {
        auto res = client.get("/r" + std::to_string(i));
        REQUIRE(res);
        CHECK(res->result() == http::status::ok);
        CHECK(res->keep_alive());
        CHECK(res->body() == "/r" + std::to_string(i));
    }
    CHECK(sample_becomes(server, "http_connections_accepted_total", "1"));
    CHECK(sample_becomes(server, "http_requests_total{code=\"2xx\"}", "5"));
}

TEST_CASE("pipelined requests are answered in order, a late answer included", "[http]") {
    ServerFixture server;
    server.start([&](HttpRequest&& req, Responder respond) {
        auto res = echo_target(req);
        if (req.target() == "/slow") return answer_later(server.ioc(), 100ms, std::move(respond), std::move(res));
        respond(std::move(res));
    });
    Client client(server.port());
    const std::string one = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
    const std::string slow = "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n";
    const std::string post = "POST /c HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}";
    REQUIRE_FALSE(client.send_raw(one + slow + post + "GET /d HTTP/1.1\r\nHost: x\r\n\r\n"));
    for (const char* expected : {"/a", "/slow", "/c", "/d"}) {
        auto res = client.read();
        REQUIRE(res);
        CHECK(res->body() == expected);
    }
}

TEST_CASE("a handler that answers after a timer, or from another thread", "[http]") {
    std::vector<std::jthread> workers;  // joined even if a check fails
    ServerFixture server;
    server.start([&](HttpRequest&& req, Responder respond) {
        auto res = json_response(http::status::accepted, boost::json::object{{"target", req.target()}});
        if (req.target() == "/timer") return answer_later(server.ioc(), 50ms, std::move(respond), std::move(res));
        // Like a database thread: the Responder hands the response back to the io thread.
        workers.emplace_back([respond = std::move(respond), res = std::move(res)]() mutable {
            std::this_thread::sleep_for(20ms);
            respond(std::move(res));
        });
    });
    Client client(server.port());
    for (const char* target : {"/timer", "/thread", "/timer", "/thread"}) {
        auto res = client.get(target);
        REQUIRE(res);
        CHECK(res->result() == http::status::accepted);
        CHECK((*res)[http::field::content_type] == "application/json");
        CHECK(res->body() == std::string("{\"target\":\"") + target + "\"}");
    }
    server.stop();
    REQUIRE(server.wait_stopped(3s));  // no handler runs from here on: the workers are all known
    for (auto& w : workers) w.join();
}

TEST_CASE("a body over the limit gets 413 and the server keeps serving", "[http]") {
    ServerFixture server;
    server.start(echo);
    SECTION("declared by Content-Length") {
        Client big(server.port());
        auto res =
            big.request_while_sending(make_request(http::verb::post, "/v1/events", std::string(10'000'000, 'x')));
        REQUIRE(res);
        CHECK(res->result() == http::status::payload_too_large);
        CHECK(res->body() == R"({"error":"request body too large"})");
        CHECK_FALSE(res->keep_alive());
    }
    SECTION("chunked") {
        Client big(server.port());
        auto req = make_request(http::verb::post, "/v1/events", std::string(2'000'000, 'x'));
        req.chunked(true);
        auto res = big.request_while_sending(std::move(req));
        REQUIRE(res);
        CHECK(res->result() == http::status::payload_too_large);
    }
    Client other(server.port());
    auto res = other.get("/still-here");
    REQUIRE(res);
    CHECK(res->result() == http::status::ok);
}

TEST_CASE("a header over the limit gets 431", "[http]") {
    HttpServerOptions options;
    options.header_limit = 1024;
    ServerFixture server(options);
    server.start(echo);
    Client client(server.port());
    auto req = make_request(http::verb::get, "/");
    req.set("X-Filler", std::string(4000, 'y'));
    auto res = client.request_while_sending(std::move(req));
    REQUIRE(res);
    CHECK(res->result() == http::status::request_header_fields_too_large);
}

TEST_CASE("bytes that are not HTTP get 400, then the connection closes", "[http]") {
    ServerFixture server;
    server.start(echo);
    static constexpr char tls_hello[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n";
    for (std::string garbage : {std::string("HELLO THERE\r\n\r\n"), std::string("GET / HTTP/9.9\r\n\r\n"),
                                std::string(tls_hello, sizeof tls_hello - 1)}) {
        Client client(server.port());
        REQUIRE_FALSE(client.send_raw(garbage));
        auto res = client.read();
        REQUIRE(res);
        CHECK(res->result() == http::status::bad_request);
        CHECK_FALSE(res->keep_alive());
        CHECK(client.closed_by_server());
    }
    Client good(server.port());
    REQUIRE(good.get("/ok"));
}

TEST_CASE("slow-loris: a half-sent header is cut off while others are served", "[http]") {
    HttpServerOptions options;
    options.request_timeout = 300ms;
    ServerFixture server(options);
    server.start(echo);
    Client loris(server.port());
    const auto start = std::chrono::steady_clock::now();
    REQUIRE_FALSE(loris.send_raw("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: "));
    Client other(server.port());
    for (int i = 0; i < 3; ++i) REQUIRE(other.get("/served"));
    CHECK(loris.closed_by_server());
    CHECK(std::chrono::steady_clock::now() - start >= 250ms);
    CHECK(sample_becomes(server, "http_timeouts_total", "1"));
    REQUIRE(other.get("/served"));  // the other connection, used within its own timeouts, stays open
}

TEST_CASE("an idle keep-alive connection is closed after the idle timeout", "[http]") {
    HttpServerOptions options;
    options.idle_timeout = 200ms;
    ServerFixture server(options);
    server.start(echo);
    Client client(server.port());
    REQUIRE(client.get("/once"));
    CHECK(client.closed_by_server());
}

TEST_CASE("beyond the connection limit: 503 and close", "[http]") {
    HttpServerOptions options;
    options.max_connections = 2;
    ServerFixture server(options);
    server.start(echo);
    auto a = std::make_unique<Client>(server.port());
    Client b(server.port());
    REQUIRE(a->get("/a"));  // both accepted and served before the third arrives
    REQUIRE(b.get("/b"));
    {
        Client c(server.port());
        auto res = c.get("/c");
        REQUIRE(res);
        CHECK(res->result() == http::status::service_unavailable);
        CHECK((*res)["Retry-After"] == "1");
        CHECK(c.closed_by_server());
    }
    a.reset();  // frees a slot once the server has seen the close
    CHECK(eventually([&] {
        Client d(server.port());
        auto res = d.get("/d");
        return res && res->result() == http::status::ok;
    }));
    CHECK(sample(server.metrics_text(), "http_connections_rejected_total") != "0");  // d may have been refused too
}

TEST_CASE("graceful stop answers the request in flight, then closes everything", "[http]") {
    std::atomic<bool> in_flight{false};
    ServerFixture server;
    server.start([&](HttpRequest&& req, Responder respond) {
        if (req.target() == "/slow") {
            in_flight = true;
            return answer_later(server.ioc(), 200ms, std::move(respond), echo_target(req));
        }
        respond(echo_target(req));
    });
    Client idle(server.port());
    REQUIRE(idle.get("/warm"));
    Client busy(server.port());
    REQUIRE_FALSE(busy.write(make_request(http::verb::get, "/slow")));
    REQUIRE(eventually([&] { return in_flight.load(); }));

    server.stop();
    auto res = busy.read();
    REQUIRE(res);
    CHECK(res->body() == "/slow");
    CHECK_FALSE(res->keep_alive());
    CHECK(busy.closed_by_server());
    CHECK(idle.closed_by_server());
    CHECK(server.wait_stopped(3s));  // the io_context ran out of work
    Client late(server.port());
    CHECK(late.connect_error);
}

TEST_CASE("a throwing handler gets 500 and the server carries on", "[http]") {
    ServerFixture server;
    server.start([](HttpRequest&& req, Responder respond) {
        if (req.target() == "/throw") throw std::runtime_error("boom");
        if (req.target() == "/drop") return;  // the Responder is destroyed unanswered
        respond(echo_target(req));
    });
    Client client(server.port());
    for (const char* target : {"/throw", "/drop"}) {
        auto res = client.get(target);
        REQUIRE(res);
        CHECK(res->result() == http::status::internal_server_error);
        CHECK(res->body() == R"({"error":"internal error"})");
        REQUIRE(client.get("/fine"));  // same connection
    }
    CHECK(sample_becomes(server, "http_requests_total{code=\"5xx\"}", "2"));
}

TEST_CASE("answering after the client went away is harmless", "[http]") {
    std::atomic<int> answered{0};
    ServerFixture server;
    server.start([&](HttpRequest&& req, Responder respond) {
        auto timer = std::make_shared<net::steady_timer>(server.ioc(), 100ms);
        timer->async_wait([&, timer, respond = std::move(respond), res = echo_target(req)](beast::error_code) mutable {
            respond(std::move(res));
            ++answered;
        });
    });
    {
        Client gone(server.port());
        REQUIRE_FALSE(gone.write(make_request(http::verb::get, "/x")));
        gone.close();
    }
    REQUIRE(eventually([&] { return answered.load() == 1; }));
    Client next(server.port());
    REQUIRE(next.get("/y"));
}

TEST_CASE("Expect: 100-continue and HTTP/1.0", "[http]") {
    ServerFixture server;
    server.start([](HttpRequest&& req, Responder respond) { respond(text_response(http::status::ok, req.body())); });
    SECTION("100-continue") {
        Client client(server.port());
        REQUIRE_FALSE(
            client.send_raw("POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"));
        auto interim = client.read();
        REQUIRE(interim);
        CHECK(interim->result() == http::status::continue_);
        REQUIRE_FALSE(client.send_raw("hello"));
        auto res = client.read();
        REQUIRE(res);
        CHECK(res->body() == "hello");
    }
    SECTION("HTTP/1.0 closes after the response") {
        Client client(server.port());
        auto req = make_request(http::verb::post, "/old", "body");
        req.version(10);
        auto res = client.request(std::move(req));
        REQUIRE(res);
        CHECK(res->version() == 10);
        CHECK_FALSE(res->keep_alive());
        CHECK(client.closed_by_server());
    }
}
