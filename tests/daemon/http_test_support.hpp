#pragma once
// Real HTTP over loopback for the server tests: the server runs its io_context on a
// thread of its own; the client runs every operation on its own io_context, bounded by
// a Beast stream timeout, so no test can hang.

#include <ir/daemon/http_server.hpp>
#include <ir/daemon/metrics.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace ir::daemon::test {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

class ServerFixture {
public:
    explicit ServerFixture(HttpServerOptions options = {}) : options_(options) {}

    // Starts serving; the handler may use ioc() (e.g. for timers), hence two steps.
    void start(HttpHandler handler) {
        server_ = std::make_unique<HttpServer>(ioc_, tcp::endpoint(net::ip::address_v4::loopback(), 0),
                                               std::move(handler), registry_, options_);
        server_->start();
        auto done = std::make_shared<std::promise<void>>();
        done_ = done->get_future();
        thread_ = std::thread([this, done] {
            ioc_.run();
            done->set_value();
        });
    }

    ~ServerFixture() {
        if (thread_.joinable()) {
            server_->stop();
            if (done_.wait_for(5s) != std::future_status::ready) ioc_.stop();
            thread_.join();
        }
    }

    ServerFixture(const ServerFixture&) = delete;
    ServerFixture& operator=(const ServerFixture&) = delete;

    [[nodiscard]] std::uint16_t port() const { return server_->port(); }
    net::io_context& ioc() { return ioc_; }

    void stop() { server_->stop(); }
    // True once the io_context ran out of work (the thread is then joined).
    bool wait_stopped(std::chrono::milliseconds limit) {
        if (done_.wait_for(limit) != std::future_status::ready) return false;
        thread_.join();
        return true;
    }

    // Runs `fn` on the io thread and returns its result (bounded wait).
    template <class F>
    auto on_io(F fn) -> decltype(fn()) {
        std::packaged_task<decltype(fn())()> task(std::move(fn));
        auto result = task.get_future();
        net::post(ioc_, [&task] { task(); });
        if (result.wait_for(5s) != std::future_status::ready) throw std::runtime_error("io thread is stuck");
        return result.get();
    }

    std::string metrics_text() {
        return on_io([this] { return registry_.render(); });
    }

private:
    HttpServerOptions options_;
    net::io_context ioc_;
    metrics::Registry registry_;
    std::unique_ptr<HttpServer> server_;
    std::future<void> done_;
    std::thread thread_;
};

inline HttpRequest make_request(http::verb method, std::string target, std::string body = {}) {
    HttpRequest req{method, target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!body.empty() || method == http::verb::post) {
        req.set(http::field::content_type, "application/json");
        req.body() = std::move(body);
        req.prepare_payload();
    }
    return req;
}

class Client {
public:
    explicit Client(std::uint16_t port, std::chrono::milliseconds timeout = 5s) : stream_(ioc_), timeout_(timeout) {
        stream_.expires_after(timeout_);
        beast::error_code result = net::error::would_block;
        stream_.async_connect(tcp::endpoint(net::ip::address_v4::loopback(), port),
                              [&](beast::error_code ec) { result = ec; });
        run();
        connect_error = result;
        if (!result) stream_.socket().set_option(tcp::no_delay(true));
    }

    beast::error_code connect_error;

    beast::error_code send_raw(std::string_view bytes) {
        beast::error_code result = net::error::would_block;
        stream_.expires_after(timeout_);
        net::async_write(stream_, net::buffer(bytes), [&](beast::error_code ec, std::size_t) { result = ec; });
        run();
        return result;
    }

    beast::error_code write(HttpRequest req) {
        beast::error_code result = net::error::would_block;
        stream_.expires_after(timeout_);
        http::async_write(stream_, req, [&](beast::error_code ec, std::size_t) { result = ec; });
        run();
        return result;
    }

    // The next response, or nothing if the read failed (`error` says why).
    std::optional<HttpResponse> read() {
        HttpResponse res;
        error = net::error::would_block;
        stream_.expires_after(timeout_);
        http::async_read(stream_, buffer_, res, [&](beast::error_code ec, std::size_t) { error = ec; });
        run();
        if (error) return std::nullopt;
        return res;
    }

    std::optional<HttpResponse> request(HttpRequest req) {
        if ((error = write(std::move(req)))) return std::nullopt;
        return read();
    }

    std::optional<HttpResponse> get(std::string target) { return request(make_request(http::verb::get, target)); }

    // Writes `req` while reading the response: for a server that answers before the body
    // is sent (413). The write's own failure is expected and ignored.
    std::optional<HttpResponse> request_while_sending(HttpRequest req) {
        HttpResponse res;
        error = net::error::would_block;
        stream_.expires_after(timeout_);
        http::async_write(stream_, req, [](beast::error_code, std::size_t) {});
        http::async_read(stream_, buffer_, res, [&](beast::error_code ec, std::size_t) {
            error = ec;
            stream_.socket().close();  // ends the write too
        });
        run();
        if (error) return std::nullopt;
        return res;
    }

    // True if the server closes the connection (EOF or reset) before the timeout; false
    // on timeout or if it sends anything.
    bool closed_by_server() {
        beast::error_code result = net::error::would_block;
        char byte = 0;
        stream_.expires_after(timeout_);
        stream_.async_read_some(net::buffer(&byte, 1), [&](beast::error_code ec, std::size_t) { result = ec; });
        run();
        error = result;
        return result == net::error::eof || result == net::error::connection_reset;
    }

    void close() {
        beast::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        stream_.close();
    }

    beast::error_code error;

private:
    void run() {
        ioc_.restart();
        ioc_.run();
    }

    net::io_context ioc_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::chrono::milliseconds timeout_;
};

// Polls `pred` until it holds or `limit` passes: for conditions with no event to wait on.
template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!pred()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

}  // namespace ir::daemon::test
