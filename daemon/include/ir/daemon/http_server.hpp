#pragma once
// Async HTTP/1.1 server on one io_context thread, shaped like Beast's example servers:
// the handler turns a request into a response, the session only reads, calls, writes, loops.

#include <ir/daemon/http_stream.hpp>
#include <ir/daemon/http_admission.hpp>
#include <ir/daemon/metrics.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_set>

namespace spdlog {
class logger;
}

namespace ir::daemon {

class TlsContext;
class RefusalLog;

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

struct HttpServerOptions {
    std::uint64_t body_limit = 1024 * 1024;  // larger bodies: 413, then close
    std::uint32_t header_limit = 16 * 1024;  // larger headers: 431, then close
    // From a request's first byte to its last (slow-loris); also a new connection's
    // wait for its first byte.
    std::chrono::milliseconds request_timeout{10'000};
    std::chrono::milliseconds idle_timeout{60'000};   // keep-alive wait for the next request
    std::chrono::milliseconds write_timeout{30'000};  // a client that does not read its response
    // After an error response or at stop: stop sending, read and discard what the client
    // still sends for this long, so it reads our response instead of a reset.
    std::chrono::milliseconds linger_timeout{2'000};
    std::chrono::milliseconds stop_timeout{10'000};  // stop() closes what is still open then
    std::size_t max_connections = 1024;              // beyond it: 503, then close
    // A streamed response (http_stream.hpp) with more than this unsent is closed.
    std::size_t stream_buffer_limit = 1024 * 1024;
    // The last slots of max_connections: a connection accepted into one serves only the
    // admission's reserved routes (the webhooks), so idle or flooding clients elsewhere
    // cannot take every slot from them.
    std::size_t reserved_connections = 0;
    // Per-client connections and rate, the bodies held at once (may be shared by several
    // servers on the same io thread). None: only the limits above.
    std::shared_ptr<HttpAdmission> admission;
    // Set: every connection speaks TLS (the handshake gets request_timeout), each with the
    // context current at its accept, so a reload() serves new connections only.
    std::shared_ptr<TlsContext> tls;
};

namespace detail {
// Where a Responder delivers; implemented by the session. Any thread.
class ResponseSink {
public:
    virtual ~ResponseSink() = default;
    virtual void deliver(std::uint64_t seq, HttpResponse&& res, bool dropped) = 0;
    // A streamed answer; where nothing can stream (a test's function), the head alone.
    virtual void deliver_stream(std::uint64_t seq, HttpResponse&& head, std::shared_ptr<StreamProducer> producer) {
        deliver(seq, std::move(head), false);
        producer->on_closed();
    }
};
}  // namespace detail

// The one-shot answer to a request: move it anywhere (e.g. to the database thread) and
// call it exactly once. Calling from another thread is safe: the response is handed to the
// io thread. The connection keeps itself alive until then; if it died meanwhile, the call
// is a no-op. A Responder destroyed without being called answers 500, so a buggy handler
// cannot hang a connection. The io_context must outlive every Responder.
class Responder {
public:
    Responder() = default;
    Responder(std::shared_ptr<detail::ResponseSink> sink, std::uint64_t seq) noexcept;
    Responder(Responder&& other) noexcept;
    Responder& operator=(Responder&& other) noexcept;
    Responder(const Responder&) = delete;
    Responder& operator=(const Responder&) = delete;
    ~Responder();

    void operator()(HttpResponse&& res);
    // Answers with `head` (no Content-Length: the body is chunked, and ends with the
    // connection), then hands `producer` a writer for the body (http_stream.hpp).
    void stream(HttpResponse&& head, std::shared_ptr<StreamProducer> producer);
    [[nodiscard]] bool pending() const noexcept { return sink_ != nullptr; }

    // For unit tests of handlers without a socket: `fn` receives the response.
    static Responder to_function(std::function<void(HttpResponse&&)> fn);

private:
    void drop() noexcept;

    std::shared_ptr<detail::ResponseSink> sink_;
    std::uint64_t seq_ = 0;
};

using HttpHandler = std::function<void(HttpRequest&&, Responder)>;

namespace detail {
// What a server shares with its sessions (http_server.cpp, http_session.cpp).
class SessionBase : public ResponseSink {
public:
    virtual void begin_stop() = 0;   // finish the response in flight, if any, then close
    virtual void force_close() = 0;  // stop_timeout has passed
};

struct ServerMetrics {
    std::array<metrics::Counter*, 5> requests_by_class{};  // 1xx..5xx
    metrics::Histogram* latency = nullptr;
    metrics::Gauge* connections = nullptr;
    metrics::Counter* accepted = nullptr;
    metrics::Counter* rejected = nullptr;
    metrics::Counter* timeouts = nullptr;
    metrics::Counter* tls_handshake_failures = nullptr;  // registered with TLS only
    metrics::Counter* client_over_cap = nullptr;         // connections closed: their client held its cap
    metrics::Counter* rate_limited = nullptr;            // requests answered 429
    metrics::Counter* body_budget = nullptr;             // requests answered 503: too many bodies held
    metrics::Counter* reserved_only = nullptr;           // requests answered 503 in a reserved slot

    void register_in(metrics::Registry& registry, bool tls);
    void count_response(unsigned status, double seconds) const noexcept;
};

struct ServerState {
    HttpServerOptions options;
    HttpHandler handler;
    ServerMetrics metrics;
    std::shared_ptr<spdlog::logger> log;
    std::shared_ptr<RefusalLog> refusals;  // 503s and 429s, counted; none: each is logged
    bool stopping = false;
    std::unordered_set<SessionBase*> sessions;
    std::function<void()> on_drained;  // the last session ended while stopping

    void add(SessionBase* s);
    void remove(SessionBase* s);
};

// What the listener decided about a connection before its first byte.
struct ConnectionTerms {
    std::string refuse;          // set: answer 503 with this reason, then close (a limit is reached)
    bool reserved_only = false;  // in a reserved slot: requests for other routes get 503
    ClientSlot slot;             // counted against its client's cap while the session lives
    boost::asio::ip::address client;
};

// Serves an accepted connection, over TLS when options.tls is set.
void start_session(boost::asio::ip::tcp::socket socket, std::shared_ptr<ServerState> state, ConnectionTerms terms);
void start_tls_session(boost::asio::ip::tcp::socket socket, std::shared_ptr<ServerState> state, ConnectionTerms terms);
}  // namespace detail

// The "http" spdlog logger, created on first use.
std::shared_ptr<spdlog::logger> http_logger();

class HttpServer {
public:
    // Binds and listens at once (throws boost::system::system_error if it cannot), so
    // port() is known before start(). `registry` must outlive the server and its sessions.
    HttpServer(boost::asio::io_context& ioc, const boost::asio::ip::tcp::endpoint& listen, HttpHandler handler,
               metrics::Registry& registry, HttpServerOptions options = {});
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    void start();  // from any thread; accepting begins on the io thread
    // Graceful, from any thread: stop accepting, answer the requests being handled, close
    // every connection; the io_context then runs out of this server's work.
    void stop();

    [[nodiscard]] boost::asio::ip::tcp::endpoint local_endpoint() const;
    [[nodiscard]] std::uint16_t port() const { return local_endpoint().port(); }

private:
    class Listener;
    std::shared_ptr<Listener> listener_;
};

}  // namespace ir::daemon
