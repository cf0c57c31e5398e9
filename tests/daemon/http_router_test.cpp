#include "http_test_support.hpp"

#include <ir/daemon/http_json.hpp>
#include <ir/daemon/http_router.hpp>

#include <boost/asio/post.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

using namespace ir::daemon;
using namespace ir::daemon::test;

namespace {

boost::json::object to_object(const StringMap& map) {
    boost::json::object o;
    for (const auto& [k, v] : map) o[k] = v;
    return o;
}

// Echoes what the router extracted, so the client can check it.
HttpResponse describe(std::string_view route, const RouteRequest& req) {
    return json_response(http::status::ok, boost::json::object{{"route", route},
                                                               {"params", to_object(req.params)},
                                                               {"query", to_object(req.query)},
                                                               {"body", req.message.body()}});
}

HttpRouter make_router(net::io_context& ioc) {
    HttpRouter router;
    router.add(http::verb::get, "/v1/inquiries/{id}", [](const RouteRequest& r) { return describe("inquiry", r); });
    router.add(http::verb::get, "/v1/inquiries/stats", [](const RouteRequest& r) { return describe("stats", r); });
    // Asynchronous: answered from a later turn of the io loop.
    router.add(http::verb::post, "/v1/inquiries/{id}/reply", [&ioc](RouteRequest&& r, Responder respond) {
        net::post(ioc, [r = std::move(r), respond = std::move(respond)]() mutable { respond(describe("reply", r)); });
    });
    router.add(http::verb::post, "/v1/webhooks/marketplace/{platform}",
               [](const RouteRequest& r) { return describe("webhook", r); });
    router.add(http::verb::put, "/v1/webhooks/marketplace/{platform}",
               [](const RouteRequest& r) { return describe("webhook-put", r); });
    router.add(http::verb::get, "/", [](const RouteRequest& r) { return describe("root", r); });
    return router;
}

struct RouterFixture {
    ServerFixture server;
    HttpRouter router = make_router(server.ioc());
    RouterFixture() { server.start(std::ref(router)); }
};

boost::json::value body_of(const std::optional<HttpResponse>& res) {
    REQUIRE(res);
    CHECK((*res)[http::field::content_type] == "application/json");
    return boost::json::parse(res->body());
}

}  // namespace

TEST_CASE("router: path parameters and query strings", "[http][router]") {
    RouterFixture f;
    Client client(f.server.port());

    auto v = body_of(client.get("/v1/inquiries/42?verbose=1&tag=a%20b&tag=second&flag&q=x+y"));
    CHECK(v.at("route") == "inquiry");
    CHECK(v.at("params") == boost::json::object{{"id", "42"}});
    CHECK(v.at("query") == boost::json::object{{"verbose", "1"}, {"tag", "a b"}, {"flag", ""}, {"q", "x y"}});

    v = body_of(client.get("/v1/inquiries/stats"));  // the literal beats {id}
    CHECK(v.at("route") == "stats");

    v = body_of(client.request(make_request(http::verb::post, "/v1/inquiries/7/reply", R"({"text":"hi"})")));
    CHECK(v.at("route") == "reply");
    CHECK(v.at("params") == boost::json::object{{"id", "7"}});
    CHECK(v.at("body") == R"({"text":"hi"})");

    v = body_of(client.request(make_request(http::verb::post, "/v1/webhooks/marketplace/ali%2Dexpress", "{}")));
    CHECK(v.at("params") == boost::json::object{{"platform", "ali-express"}});

    v = body_of(client.get("/"));
    CHECK(v.at("route") == "root");
}

TEST_CASE("router: 404 and 405 with Allow, as JSON", "[http][router]") {
    RouterFixture f;
    Client client(f.server.port());

    for (const char* target : {"/nope", "/v1/inquiries/", "/v1/inquiries/1/reply/extra", "/v1"}) {
        auto res = client.get(target);
        REQUIRE(res);
        CHECK(res->result() == http::status::not_found);
        CHECK(body_of(res) == boost::json::object{{"error", "no such resource"}});
    }

    auto res = client.request(make_request(http::verb::delete_, "/v1/inquiries/42"));
    REQUIRE(res);
    CHECK(res->result() == http::status::method_not_allowed);
    CHECK((*res)[http::field::allow] == "GET");
    CHECK(body_of(res) == boost::json::object{{"error", "method not allowed"}});

    res = client.get("/v1/webhooks/marketplace/amazon");
    REQUIRE(res);
    CHECK(res->result() == http::status::method_not_allowed);
    CHECK((*res)[http::field::allow] == "POST, PUT");

    res = client.get("/v1/inquiries/42/reply");
    REQUIRE(res);
    CHECK((*res)[http::field::allow] == "POST");
    CHECK(res->keep_alive());  // errors from the router keep the connection
}

TEST_CASE("router: a target that is not a path gets 400", "[http][router]") {
    RouterFixture f;
    for (const char* line : {"GET http://example.com/v1/inquiries/1 HTTP/1.1", "OPTIONS * HTTP/1.1"}) {
        Client client(f.server.port());
        REQUIRE_FALSE(client.send_raw(std::string(line) + "\r\nHost: x\r\n\r\n"));
        auto res = client.read();
        REQUIRE(res);
        CHECK(res->result() == http::status::bad_request);
        CHECK(body_of(res) == boost::json::object{{"error", "invalid request target"}});
    }
}

TEST_CASE("router: bad patterns and duplicates are refused at registration", "[router]") {
    HttpRouter router;
    const auto ok = [](const RouteRequest&) { return text_response(http::status::ok, ""); };
    CHECK_THROWS_AS(router.add(http::verb::get, "no-slash", ok), std::invalid_argument);
    CHECK_THROWS_AS(router.add(http::verb::get, "/a/{}", ok), std::invalid_argument);
    CHECK_THROWS_AS(router.add(http::verb::get, "/a/{x}/{x}", ok), std::invalid_argument);
    CHECK_THROWS_AS(router.add(http::verb::get, "/a/b{x}", ok), std::invalid_argument);
    router.add(http::verb::get, "/a/{x}", ok);
    CHECK_THROWS_AS(router.add(http::verb::get, "/a/{x}", ok), std::invalid_argument);
    CHECK_NOTHROW(router.add(http::verb::post, "/a/{x}", ok));
}

TEST_CASE("router and Responder without a socket", "[router]") {
    HttpRouter router;
    router.add(http::verb::get, "/items/{id}", [](const RouteRequest& r) {
        return json_response(http::status::ok, boost::json::object{{"id", r.param("id")}});
    });
    router.add(http::verb::get, "/lost", [](RouteRequest&&, Responder) {});

    std::vector<HttpResponse> got;
    auto capture = [&] { return Responder::to_function([&](HttpResponse&& res) { got.push_back(std::move(res)); }); };
    router(make_request(http::verb::get, "/items/x%2Fy"), capture());
    router(make_request(http::verb::get, "/lost"), capture());  // dropped: answered 500
    router(make_request(http::verb::get, "/none"), capture());
    REQUIRE(got.size() == 3);
    CHECK(got[0].body() == R"({"id":"x/y"})");
    CHECK(got[1].result() == http::status::internal_server_error);
    CHECK(got[2].result() == http::status::not_found);

    auto r = capture();
    CHECK(r.pending());
    Responder moved = std::move(r);
    CHECK_FALSE(r.pending());  // NOLINT(bugprone-use-after-move): a moved-from Responder is empty
    moved(error_response(http::status::conflict, "duplicate", "message_id"));
    CHECK_FALSE(moved.pending());
    REQUIRE(got.size() == 4);
    CHECK(got[3].body() == R"({"error":"duplicate","field":"message_id"})");
}
