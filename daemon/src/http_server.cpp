#include <ir/daemon/http_json.hpp>
#include <ir/daemon/http_server.hpp>
#include <ir/daemon/refusal_log.hpp>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cassert>
#include <mutex>
#include <vector>

namespace ir::daemon {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

std::shared_ptr<spdlog::logger> http_logger() {
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    if (auto log = spdlog::get("http")) return log;  // the daemon may have made it already
    return spdlog::stderr_color_mt("http");
}

// ---- Responder ----

namespace {
class FunctionSink final : public detail::ResponseSink {
public:
    explicit FunctionSink(std::function<void(HttpResponse&&)> fn) : fn_(std::move(fn)) {}
    void deliver(std::uint64_t, HttpResponse&& res, bool) override { fn_(std::move(res)); }

private:
    std::function<void(HttpResponse&&)> fn_;
};
}  // namespace

Responder::Responder(std::shared_ptr<detail::ResponseSink> sink, std::uint64_t seq) noexcept
    : sink_(std::move(sink)), seq_(seq) {}

Responder::Responder(Responder&& other) noexcept : sink_(std::move(other.sink_)), seq_(other.seq_) {}

Responder& Responder::operator=(Responder&& other) noexcept {
    if (this != &other) {
        drop();
        sink_ = std::move(other.sink_);
        seq_ = other.seq_;
    }
    return *this;
}

Responder::~Responder() {
    drop();
}

void Responder::operator()(HttpResponse&& res) {
    assert(sink_ && "a Responder must be called exactly once");
    if (!sink_) return;
    auto sink = std::move(sink_);
    sink->deliver(seq_, std::move(res), false);
}

void Responder::stream(HttpResponse&& head, std::shared_ptr<StreamProducer> producer) {
    assert(sink_ && "a Responder must be called exactly once");
    if (!sink_) return producer->on_closed();
    auto sink = std::move(sink_);
    sink->deliver_stream(seq_, std::move(head), std::move(producer));
}

void Responder::drop() noexcept {
    if (!sink_) return;
    auto sink = std::move(sink_);
    try {
        sink->deliver(seq_, error_response(boost::beast::http::status::internal_server_error, "internal error"), true);
    } catch (...) {
        // Out of memory while answering for a lost response: the connection times out instead.
    }
}

Responder Responder::to_function(std::function<void(HttpResponse&&)> fn) {
    return Responder(std::make_shared<FunctionSink>(std::move(fn)), 0);
}

// ---- shared server state ----

void detail::ServerMetrics::register_in(metrics::Registry& registry, bool tls) {
    static constexpr const char* classes[] = {"1xx", "2xx", "3xx", "4xx", "5xx"};
    for (std::size_t i = 0; i < requests_by_class.size(); ++i) {
        requests_by_class[i] =
            &registry.counter("http_requests_total", "HTTP responses sent, by status class", {{"code", classes[i]}});
    }
    latency = &registry.histogram("http_request_duration_seconds",
                                  "From a request's last byte read to its response's last byte written",
                                  metrics::latency_buckets_seconds());
    connections = &registry.gauge("http_connections", "Open HTTP connections");
    accepted = &registry.counter("http_connections_accepted_total", "HTTP connections accepted");
    rejected = &registry.counter("http_connections_rejected_total", "HTTP connections refused at the limit");
    timeouts = &registry.counter("http_timeouts_total", "HTTP connections closed by an idle, request or write timeout");
    client_over_cap = &registry.counter("http_connections_refused_per_client_total",
                                        "HTTP connections closed at once: their client address held its cap");
    const auto refused = [&](const char* reason) {
        return &registry.counter("http_requests_refused_total",
                                 "HTTP requests refused before their body was read, by limit", {{"limit", reason}});
    };
    rate_limited = refused("rate");
    body_budget = refused("body_bytes");
    reserved_only = refused("reserved_connections");
    if (tls) {
        tls_handshake_failures = &registry.counter(
            "http_tls_handshake_failures_total", "TLS handshakes that failed or timed out (e.g. plain HTTP, old TLS)");
    }
}

void detail::ServerMetrics::count_response(unsigned status, double seconds) const noexcept {
    const auto cls = std::clamp<unsigned>(status / 100, 1, 5) - 1;
    requests_by_class[cls]->inc();
    latency->observe(seconds);
}

void detail::ServerState::add(SessionBase* s) {
    sessions.insert(s);
    metrics.connections->set(static_cast<double>(sessions.size()));
}

void detail::ServerState::remove(SessionBase* s) {
    sessions.erase(s);
    metrics.connections->set(static_cast<double>(sessions.size()));
    if (stopping && sessions.empty() && on_drained) on_drained();
}

// ---- listener ----

class HttpServer::Listener : public std::enable_shared_from_this<Listener> {
public:
    Listener(net::io_context& ioc, const tcp::endpoint& listen, std::shared_ptr<detail::ServerState> state)
        : acceptor_(ioc), retry_timer_(ioc), stop_timer_(ioc), state_(std::move(state)) {
        acceptor_.open(listen.protocol());
        acceptor_.set_option(net::socket_base::reuse_address(true));
        acceptor_.bind(listen);
        acceptor_.listen(net::socket_base::max_listen_connections);
        endpoint_ = acceptor_.local_endpoint();
    }

    void start() {
        net::dispatch(acceptor_.get_executor(), [self = shared_from_this()] { self->do_start(); });
    }

    void stop() {
        net::dispatch(acceptor_.get_executor(), [self = shared_from_this()] { self->do_stop(); });
    }

    [[nodiscard]] const tcp::endpoint& endpoint() const noexcept { return endpoint_; }

private:
    // Sessions beyond max_connections + this are closed at once instead of being told 503.
    static constexpr std::size_t reject_slack = 64;

    void do_start() {
        if (state_->stopping) return;
        state_->on_drained = [weak = weak_from_this()] {
            if (auto self = weak.lock()) self->on_drained();
        };
        state_->log->info("listening on {}:{}{}", endpoint_.address().to_string(), endpoint_.port(),
                          state_->options.tls ? " (TLS)" : "");
        do_accept();
    }

    void do_accept() { acceptor_.async_accept(beast::bind_front_handler(&Listener::on_accept, shared_from_this())); }

    void on_accept(beast::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted || state_->stopping) return;
        if (ec) return on_accept_error(ec);
        state_->metrics.accepted->inc();
        detail::ConnectionTerms terms;
        if (auto remote = socket.remote_endpoint(ec); !ec) terms.client = remote.address();
        const auto& o = state_->options;
        const std::size_t open = state_->sessions.size();
        if (open >= o.max_connections) {
            on_over_limit(std::move(socket), std::move(terms));
        } else if (auto slot = o.admission ? o.admission->open(terms.client) : std::optional(ClientSlot())) {
            if (refused_ > 0) {
                state_->log->info("accepting connections again ({} refused at the limit)", refused_);
                refused_ = 0;
            }
            terms.slot = std::move(*slot);
            terms.reserved_only = o.reserved_connections > 0 && open + o.reserved_connections >= o.max_connections;
            socket.set_option(tcp::no_delay(true), ec);  // pipelined responses must not wait for ACKs
            detail::start_session(std::move(socket), state_, std::move(terms));
        } else {
            // Closed unanswered: a 503 would need a session, which is what the cap withholds.
            state_->metrics.client_over_cap->inc();
            note_refusal("connection from " + terms.client.to_string() + " closed: it holds " +
                         std::to_string(o.admission->options().connections_per_client) +
                         " connections ([http] max_connections_per_client)");
        }
        do_accept();
    }

    void on_over_limit(tcp::socket socket, detail::ConnectionTerms terms) {
        state_->metrics.rejected->inc();
        if (refused_++ == 0) {
            state_->log->warn("connection limit {} reached: refusing new connections", state_->options.max_connections);
        }
        if (state_->sessions.size() < state_->options.max_connections + reject_slack) {
            terms.refuse = "too many connections";
            detail::start_session(std::move(socket), state_, std::move(terms));
        }  // else the socket closes here
    }

    void note_refusal(const std::string& what) {
        if (state_->refusals)
            state_->refusals->note(what);
        else
            state_->log->warn("{}", what);
    }

    void on_accept_error(beast::error_code ec) {
        // Out of descriptors or memory: wait instead of spinning on the same error.
        if (ec == net::error::no_descriptors || ec == net::error::no_buffer_space || ec == net::error::no_memory) {
            state_->log->warn("accept: {}; retrying in 100 ms", ec.message());
            retry_timer_.expires_after(std::chrono::milliseconds(100));
            retry_timer_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
                if (!wait_ec && !self->state_->stopping) self->do_accept();
            });
            return;
        }
        do_accept();  // e.g. the peer reset before we accepted
    }

    void do_stop() {
        if (state_->stopping) return;
        state_->stopping = true;
        beast::error_code ec;
        acceptor_.close(ec);
        retry_timer_.cancel();
        if (state_->refusals) state_->refusals->stop();
        state_->log->info("stopping: {} connection(s) open", state_->sessions.size());
        if (state_->sessions.empty()) return state_->log->info("stopped");
        const std::vector<detail::SessionBase*> open(state_->sessions.begin(), state_->sessions.end());
        for (auto* s : open) s->begin_stop();
        stop_timer_.expires_after(state_->options.stop_timeout);
        stop_timer_.async_wait(beast::bind_front_handler(&Listener::on_stop_deadline, shared_from_this()));
    }

    void on_stop_deadline(beast::error_code ec) {
        if (ec || state_->sessions.empty()) return;
        state_->log->warn("stop: closing {} connection(s) still open after {} ms", state_->sessions.size(),
                          state_->options.stop_timeout.count());
        const std::vector<detail::SessionBase*> open(state_->sessions.begin(), state_->sessions.end());
        for (auto* s : open) s->force_close();
    }

    void on_drained() {
        stop_timer_.cancel();
        state_->log->info("stopped");
    }

    tcp::acceptor acceptor_;
    net::steady_timer retry_timer_;
    net::steady_timer stop_timer_;
    std::shared_ptr<detail::ServerState> state_;
    tcp::endpoint endpoint_;
    std::uint64_t refused_ = 0;  // in the current episode at the limit
};

// ---- server ----

HttpServer::HttpServer(net::io_context& ioc, const tcp::endpoint& listen, HttpHandler handler,
                       metrics::Registry& registry, HttpServerOptions options) {
    auto state = std::make_shared<detail::ServerState>();
    state->options = options;
    state->handler = std::move(handler);
    state->metrics.register_in(registry, state->options.tls != nullptr);
    state->log = http_logger();
    state->refusals = RefusalLog::create(ioc.get_executor(), state->log);
    listener_ = std::make_shared<Listener>(ioc, listen, std::move(state));
}

HttpServer::~HttpServer() {
    listener_->stop();
}

void HttpServer::start() {
    listener_->start();
}

void HttpServer::stop() {
    listener_->stop();
}

tcp::endpoint HttpServer::local_endpoint() const {
    return listener_->endpoint();
}

}  // namespace ir::daemon
