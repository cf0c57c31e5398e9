// One HTTP/1.1 connection: read a request, hand it to the handler, write the response the
// Responder brings back, loop. The next request is read only after the response is written,
// so pipelined requests are answered in order and unread ones stay in the kernel's buffer.

#include <ir/daemon/http_json.hpp>
#include <ir/daemon/http_server.hpp>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/core/string.hpp>
#include <spdlog/spdlog.h>

#include <array>
#include <optional>
#include <string>

namespace ir::daemon::detail {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr std::string_view continue_response = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr std::size_t read_chunk = 8192;

// The status line and header fields as they go on the wire. One gather write of this and
// the body costs a fraction of Beast's serializer (a composed operation per buffer
// sequence step, every field copied through type-erased iterators); the bodies here are
// always whole strings with a Content-Length (prepare_payload), never chunked.
void write_head(const HttpResponse& res, std::string& out) {
    out.clear();
    out += res.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    out += std::to_string(res.result_int());
    out += ' ';
    out += res.reason();
    out += "\r\n";
    for (const auto& field : res) {
        out += field.name_string();
        out += ": ";
        out += field.value();
        out += "\r\n";
    }
    out += "\r\n";
}

class Session final : public SessionBase, public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket&& socket, std::shared_ptr<ServerState> state)
        : stream_(std::move(socket)), executor_(stream_.get_executor()), state_(std::move(state)) {
        state_->add(this);
    }
    ~Session() override { state_->remove(this); }
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    void run() { do_read(); }

    void reject() {
        rejecting_ = true;
        linger_ = true;
        begin_request();
        respond_now(
            error_response(http::status::service_unavailable, "too many connections", {}, {{"Retry-After", "1"}}));
    }

    // Any thread: the response goes to the io thread; on it, it is written at once.
    void deliver(std::uint64_t seq, HttpResponse&& res, bool dropped) override {
        net::dispatch(executor_, [self = shared_from_this(), seq, dropped, res = std::move(res)]() mutable {
            self->on_response(seq, std::move(res), dropped ? "the handler dropped its Responder" : "");
        });
    }

    void begin_stop() override {
        // A request still being read is not being handled yet: drop it. Otherwise the
        // write's completion sees `stopping` and closes after the response.
        if (phase_ == Phase::idle || phase_ == Phase::reading) stream_.cancel();
    }

    void force_close() override {
        phase_ = Phase::closing;
        stream_.close();
    }

private:
    enum class Phase { idle, reading, handling, writing, closing };

    const HttpServerOptions& options() const noexcept { return state_->options; }

    void do_read() {
        if (state_->stopping) return do_close();
        phase_ = Phase::idle;
        parser_.emplace();
        parser_->body_limit(options().body_limit);
        parser_->header_limit(options().header_limit);
        if (buffer_.size() > 0) return do_read_header();  // a pipelined request is already here
        // Idle until the first byte: a new connection gets the shorter request timeout.
        stream_.expires_after(seq_ == 0 ? options().request_timeout : options().idle_timeout);
        stream_.async_read_some(buffer_.prepare(read_chunk),
                                beast::bind_front_handler(&Session::on_first_bytes, shared_from_this()));
    }

    void on_first_bytes(beast::error_code ec, std::size_t n) {
        buffer_.commit(n);
        if (ec) return on_read_error(ec);
        do_read_header();
    }

    void do_read_header() {
        phase_ = Phase::reading;
        stream_.expires_after(options().request_timeout);  // until the request's last byte
        http::async_read_header(stream_, buffer_, *parser_,
                                beast::bind_front_handler(&Session::on_read_header, shared_from_this()));
    }

    void on_read_header(beast::error_code ec, std::size_t) {
        if (ec) return on_read_error(ec);
        const auto& req = parser_->get();
        if (!parser_->is_done() && beast::iequals(req[http::field::expect], "100-continue")) {
            net::async_write(stream_, net::buffer(continue_response),
                             beast::bind_front_handler(&Session::on_continue_written, shared_from_this()));
            return;
        }
        do_read_body();
    }

    void on_continue_written(beast::error_code ec, std::size_t) {
        if (ec) return on_read_error(ec);
        do_read_body();
    }

    void do_read_body() {
        if (parser_->is_done()) return do_handle();
        http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_read, shared_from_this()));
    }

    void on_read(beast::error_code ec, std::size_t) {
        if (ec) return on_read_error(ec);
        do_handle();
    }

    void on_read_error(beast::error_code ec) {
        if (ec == beast::error::timeout) {
            state_->metrics.timeouts->inc();
            return force_close();
        }
        // Beast's parse errors share one category; a peer that closed early is not one.
        static const auto& parse_errors = beast::error_code(http::error::bad_method).category();
        if (ec.category() == parse_errors && ec != http::error::end_of_stream && ec != http::error::partial_message) {
            return respond_to_bad_request(ec);
        }
        do_close();  // the peer closed or reset, or stop() cancelled the read
    }

    void respond_to_bad_request(beast::error_code ec) {
        begin_request();
        linger_ = true;
        if (ec == http::error::body_limit) {
            return respond_now(error_response(http::status::payload_too_large, "request body too large"));
        }
        if (ec == http::error::header_limit) {
            return respond_now(
                error_response(http::status::request_header_fields_too_large, "request header too large"));
        }
        respond_now(error_response(http::status::bad_request, "malformed HTTP request: " + ec.message()));
    }

    // A response that does not come from the handler, e.g. for a malformed request.
    void respond_now(HttpResponse&& res) {
        phase_ = Phase::handling;
        on_response(seq_, std::move(res));
    }

    void begin_request() {
        started_ = Clock::now();
        ++seq_;
        failure_.clear();
        version_ = 11;
        keep_alive_ = false;
        method_.clear();
        target_.clear();
    }

    void do_handle() {
        begin_request();
        phase_ = Phase::handling;
        auto req = parser_->release();
        version_ = req.version();
        keep_alive_ = req.keep_alive();
        method_.assign(req.method_string());
        target_.assign(req.target());
        try {
            state_->handler(std::move(req), Responder(shared_from_this(), seq_));
        } catch (const std::exception& e) {
            on_handler_exception(e.what());
        } catch (...) {
            on_handler_exception("unknown exception");
        }
    }

    void on_handler_exception(std::string_view what) {
        // If the Responder was still in hand it has answered 500 while unwinding; if the
        // handler had passed it on, the 500 goes out now and the later answer is ignored.
        failure_ = "the handler threw: ";  // not "dropped": the write completes later
        failure_ += what;
        if (phase_ == Phase::writing && res_.result_int() < 500) {  // answered, then threw
            state_->log->error("{} {}: {}", method_, target_, failure_);
        }
        on_response(seq_, error_response(http::status::internal_server_error, "internal error"));
    }

    void on_response(std::uint64_t seq, HttpResponse&& res, std::string_view failure = {}) {
        if (phase_ != Phase::handling || seq != seq_) return;  // already answered, or closed
        if (failure_.empty()) failure_ = failure;
        phase_ = Phase::writing;
        res_ = std::move(res);
        res_.version(version_);
        res_.keep_alive(keep_alive_ && !state_->stopping && res_.keep_alive());
        res_.prepare_payload();
        stream_.expires_after(options().write_timeout);
        write_head(res_, head_);
        const std::array<net::const_buffer, 2> wire{net::buffer(head_), net::buffer(res_.body())};
        net::async_write(stream_, wire, beast::bind_front_handler(&Session::on_write, shared_from_this()));
    }

    void on_write(beast::error_code ec, std::size_t) {
        const auto status = res_.result_int();
        if (!rejecting_) {
            state_->metrics.count_response(status, std::chrono::duration<double>(Clock::now() - started_).count());
            if (status >= 500) log_failure(status);
        }
        const bool close = res_.need_eof();
        res_ = {};  // free the body now, not at the next response
        if (ec == beast::error::timeout) state_->metrics.timeouts->inc();
        if (ec) return force_close();
        if (close) return do_close();
        do_read();
    }

    void log_failure(unsigned status) const {
        const auto& what = failure_.empty() ? std::string_view("from the handler") : std::string_view(failure_);
        state_->log->warn("{} {} {}: {}", status, method_, target_, what);
    }

    // Send FIN, then close. If the client may still be sending (the request was refused
    // unread, or more bytes are waiting), first read and discard until it closes or
    // linger_timeout passes: closing with unread bytes would reset the connection, and a
    // reset can destroy the response before the client reads it.
    void do_close() {
        if (phase_ == Phase::closing) return;
        phase_ = Phase::closing;
        beast::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
        const bool pending = !ec && (linger_ || buffer_.size() > 0 || stream_.socket().available(ec) > 0);
        if (ec || !pending) return stream_.close();
        stream_.expires_after(options().linger_timeout);
        do_drain();
    }

    void do_drain() {
        buffer_.clear();
        stream_.async_read_some(buffer_.prepare(read_chunk),
                                beast::bind_front_handler(&Session::on_drain, shared_from_this()));
    }

    void on_drain(beast::error_code ec, std::size_t) {
        if (ec) return stream_.close();
        do_drain();
    }

    beast::tcp_stream stream_;
    const net::any_io_executor executor_;  // copied once: deliver() may run on any thread
    std::shared_ptr<ServerState> state_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    HttpResponse res_;  // alive until its write completes
    std::string head_;  // res_'s status line and fields, serialized; reused
    Phase phase_ = Phase::idle;
    std::uint64_t seq_ = 0;  // requests seen; a Responder answers only its own
    bool rejecting_ = false;
    bool linger_ = false;  // the client may still be sending what we refused to read

    // Of the request being answered.
    unsigned version_ = 11;
    bool keep_alive_ = false;
    Clock::time_point started_;
    std::string method_;
    std::string target_;
    std::string failure_;  // why a 5xx, when the session knows
};

}  // namespace

void start_session(tcp::socket socket, std::shared_ptr<ServerState> state, bool reject) {
    auto session = std::make_shared<Session>(std::move(socket), std::move(state));
    if (reject)
        session->reject();
    else
        session->run();
}

}  // namespace ir::daemon::detail
