// Streamed responses (Server-Sent Events' transport) over real loopback sockets: chunks as
// they are written, the end, HTTP/1.0, the bound on unsent bytes, stopping, a client gone.
#include "http_test_support.hpp"

#include <ir/daemon/http_json.hpp>

#include <boost/asio/steady_timer.hpp>
#include <catch2/catch.hpp>

#include <atomic>
#include <functional>

using namespace ir::daemon;
using namespace ir::daemon::test;

namespace {

// A producer that runs `on_open` with the writer, and counts what happens to it.
struct Producer final : StreamProducer {
    std::function<void(std::shared_ptr<StreamWriter>)> opened;
    std::shared_ptr<StreamWriter> writer;
    std::atomic<int> closed{0};
    std::atomic<int> drained{0};

    void on_open(std::shared_ptr<StreamWriter> w) override {
        writer = w;
        if (opened) opened(w);
    }
    void on_drained() override { ++drained; }
    void on_closed() override {
        ++closed;
        writer.reset();
    }
};

HttpResponse event_stream_head() {
    HttpResponse head{http::status::ok, 11};
    head.set(http::field::content_type, "text/event-stream");
    return head;
}

// A handler that streams through `producer`.
HttpHandler streaming(std::shared_ptr<Producer> producer) {
    return [producer](HttpRequest&&, Responder respond) { respond.stream(event_stream_head(), producer); };
}

}  // namespace

TEST_CASE("stream: the body goes out as chunks and ends with the connection", "[http_stream]") {
    auto producer = std::make_shared<Producer>();
    std::atomic<bool> written{false}, late_refused{false};  // on the io thread: checked here
    producer->opened = [&](const std::shared_ptr<StreamWriter>& w) {
        written = w->write("data: one\n\n") && w->write("data: two\n\n");
        w->end();
        late_refused = !w->write("late");  // after end()
    };
    ServerFixture server;
    server.start(streaming(producer));
    Client client(server.port());
    auto res = client.get("/v1/stream");
    REQUIRE(res);
    CHECK(res->result() == http::status::ok);
    CHECK(res->chunked());
    CHECK_FALSE(res->keep_alive());
    CHECK(res->has_content_length() == false);
    CHECK(res->body() == "data: one\n\ndata: two\n\n");
    CHECK(client.closed_by_server());
    CHECK(eventually([&] { return producer->closed == 1; }));
    CHECK(written);
    CHECK(late_refused);
}

TEST_CASE("stream: to an HTTP/1.0 client the body is sent as it is, until the close", "[http_stream]") {
    auto producer = std::make_shared<Producer>();
    producer->opened = [](const std::shared_ptr<StreamWriter>& w) {
        w->write("abc");
        w->end();
    };
    ServerFixture server;
    server.start(streaming(producer));
    Client client(server.port());
    REQUIRE_FALSE(client.send_raw("GET /v1/stream HTTP/1.0\r\nHost: x\r\n\r\n"));
    auto res = client.read();
    REQUIRE(res);
    CHECK_FALSE(res->chunked());
    CHECK(res->body() == "abc");
    CHECK(eventually([&] { return producer->closed == 1; }));
}

TEST_CASE("stream: a producer that ends at once, holding the only reference, ends it cleanly", "[http_stream]") {
    // HTTP/1.0: nothing to send at the end, so end() closes from inside the producer's call.
    auto producer = std::make_shared<Producer>();
    producer->opened = [](const std::shared_ptr<StreamWriter>& w) { w->end(); };
    ServerFixture server;
    server.start(streaming(producer));
    Client client(server.port());
    REQUIRE_FALSE(client.send_raw("GET /v1/stream HTTP/1.0\r\nHost: x\r\n\r\n"));
    auto res = client.read();
    REQUIRE(res);
    CHECK(res->body().empty());
    CHECK(eventually([&] { return producer->closed == 1; }));
}

TEST_CASE("stream: a client that does not read is dropped once the unsent bytes pass the limit", "[http_stream]") {
    HttpServerOptions options;
    options.stream_buffer_limit = 256 * 1024;
    options.write_timeout = 30s;  // the limit, not the timeout, must drop it
    ServerFixture server(options);
    auto producer = std::make_shared<Producer>();
    std::atomic<int> writes{0};
    std::atomic<std::size_t> most_queued{0};
    std::atomic<bool> refused{false};
    const std::string chunk(16 * 1024, 'x');
    // One write per turn of the io_context, so the socket's writes progress in between.
    std::function<void()> pump = [&] {
        auto w = producer->writer;
        if (!w) return;
        if (!w->write(chunk)) return refused.store(true);
        most_queued = std::max<std::size_t>(most_queued, w->queued_bytes());
        if (++writes < 4096) net::post(server.ioc(), pump);  // 64 MiB: far beyond any socket buffer
    };
    producer->opened = [&](const std::shared_ptr<StreamWriter>&) { net::post(server.ioc(), pump); };
    server.start(streaming(producer));
    tcp::socket client(server.ioc().get_executor());  // never read: connected and silent
    client.open(tcp::v4());
    client.set_option(net::socket_base::receive_buffer_size(4096));
    client.connect(tcp::endpoint(net::ip::address_v4::loopback(), server.port()));
    net::write(client, net::buffer(std::string("GET /v1/stream HTTP/1.1\r\nHost: x\r\n\r\n")));
    REQUIRE(eventually([&] { return refused.load(); }, 10s));
    CHECK(eventually([&] { return producer->closed == 1; }));
    CHECK(most_queued <= options.stream_buffer_limit);
    CHECK(writes < 4096);
    INFO("writes accepted before the drop: " << writes);
    server.on_io([&] { client.close(); });
}

TEST_CASE("stream: stopping the server ends an open stream, the producer is told", "[http_stream]") {
    auto producer = std::make_shared<Producer>();
    producer->opened = [](const std::shared_ptr<StreamWriter>& w) { w->write("first"); };
    ServerFixture server;
    server.start(streaming(producer));
    Client client(server.port());
    REQUIRE_FALSE(client.write(make_request(http::verb::get, "/v1/stream")));
    REQUIRE(eventually([&] { return producer->drained >= 1; }));
    server.stop();
    auto res = client.read();  // the last chunk came: the response is whole
    REQUIRE(res);
    CHECK(res->body() == "first");
    CHECK(server.wait_stopped(5s));
    CHECK(producer->closed == 1);
}

TEST_CASE("stream: a client that left is noticed at a write, and the producer told once", "[http_stream]") {
    auto producer = std::make_shared<Producer>();
    ServerFixture server;
    server.start(streaming(producer));
    {
        Client client(server.port());
        REQUIRE_FALSE(client.write(make_request(http::verb::get, "/v1/stream")));
        REQUIRE(eventually([&] { return server.on_io([&] { return producer->writer != nullptr; }); }));
        client.close();
    }
    // Like the pings of /v1/stream: written until the socket says the peer is gone.
    REQUIRE(eventually([&] {
        return server.on_io([&] {
            if (producer->writer) producer->writer->write(": ping\n\n");
            return producer->closed == 1;
        });
    }));
    CHECK(producer->closed == 1);
}

TEST_CASE("stream: a handler that gives its Responder a producer after the client left closes it", "[http_stream]") {
    auto producer = std::make_shared<Producer>();
    Responder held;
    ServerFixture server;
    server.start([&](HttpRequest&&, Responder respond) { held = std::move(respond); });
    {
        Client client(server.port());
        REQUIRE_FALSE(client.write(make_request(http::verb::get, "/v1/stream")));
        REQUIRE(eventually([&] { return server.on_io([&] { return held.pending(); }); }));
        client.close();
    }
    server.on_io([&] { held.stream(event_stream_head(), producer); });
    // The head's write fails (or succeeds into a closed socket and the next write fails):
    // either way the producer hears of the end.
    REQUIRE(eventually([&] {
        return server.on_io([&] {
            if (producer->writer) producer->writer->write(": ping\n\n");
            return producer->closed == 1;
        });
    }));
}
