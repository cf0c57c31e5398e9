#pragma once
// One HTTP/1.1 connection over any stream: plain TCP, TLS over TCP, or Beast's test stream.
// Read a request, hand it to the handler, write the response the Responder brings back,
// loop. The next request is read only after the response is written, so pipelined
// requests are answered in order and unread ones stay in the kernel's buffer.

#include <ir/daemon/http_json.hpp>
#include <ir/daemon/http_server.hpp>
#include <ir/daemon/http_transport.hpp>
#include <ir/daemon/refusal_log.hpp>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <spdlog/spdlog.h>

#include <array>
#include <cstdio>
#include <optional>
#include <string>

namespace ir::daemon::detail {

// The "error" of a JSON error body (error_response), else the body's first `max` bytes.
std::string_view error_text(std::string_view body, std::size_t max);

// The status line and header fields as they go on the wire. One gather write of this and
// the body costs a fraction of Beast's serializer (a composed operation per buffer
// sequence step, every field copied through type-erased iterators); the bodies here are
// always whole strings with a Content-Length (prepare_payload), never chunked.
void write_response_head(const HttpResponse& res, std::string& out);

template <class Stream>
class HttpSession final : public SessionBase,
                          public StreamWriter,
                          public std::enable_shared_from_this<HttpSession<Stream>> {
    using Transport = boost::beast::lowest_layer_type<Stream>;
    using Ops = TransportOps<Transport>;
    using Clock = std::chrono::steady_clock;
    static constexpr bool tls = TlsStream<Stream>;
    static constexpr std::size_t read_chunk = 8192;
    // The read buffer holds a header and at most this much more (the parser moves a body
    // out of it as it comes): what one connection can make the daemon hold, besides its body.
    static constexpr std::size_t kBufferSlack = 64 * 1024;

public:
    // `owner` keeps alive what the stream refers to (its TLS context).
    HttpSession(Stream&& stream, std::shared_ptr<ServerState> state, std::shared_ptr<const void> owner = {},
                ConnectionTerms terms = {})
        : owner_(std::move(owner)),
          stream_(std::move(stream)),
          executor_(stream_.get_executor()),
          state_(std::move(state)),
          terms_(std::move(terms)),
          buffer_(state_->options.header_limit + kBufferSlack) {
        state_->add(this);
    }
    ~HttpSession() override {
        stream_closed();
        state_->remove(this);
    }
    HttpSession(const HttpSession&) = delete;
    HttpSession& operator=(const HttpSession&) = delete;

    // Serves the connection, or, when its terms say so, answers 503 and closes.
    void run() {
        rejecting_ = !terms_.refuse.empty();
        linger_ = rejecting_;
        if constexpr (tls)
            do_handshake();
        else if (rejecting_)
            respond_reject();
        else
            do_read();
    }

    // Any thread: the response goes to the io thread; on it, it is written at once.
    void deliver(std::uint64_t seq, HttpResponse&& res, bool dropped) override {
        boost::asio::dispatch(
            executor_, [self = this->shared_from_this(), seq, dropped, res = std::move(res)]() mutable {
                self->on_response(seq, std::move(res), dropped ? "the handler dropped its Responder" : "");
            });
    }

    // Any thread, like deliver(): the head goes out on the io thread, then the producer writes.
    void deliver_stream(std::uint64_t seq, HttpResponse&& head, std::shared_ptr<StreamProducer> producer) override {
        boost::asio::dispatch(executor_, [self = this->shared_from_this(), seq, head = std::move(head),
                                          producer = std::move(producer)]() mutable {
            self->on_stream_head(seq, std::move(head), std::move(producer));
        });
    }

    void begin_stop() override {
        // A request still being read is not being handled yet: drop it. Otherwise the
        // write's completion sees `stopping` and closes after the response. A stream ends.
        if (phase_ == Phase::idle || phase_ == Phase::reading || phase_ == Phase::handshake) Ops::cancel(transport());
        if (phase_ == Phase::streaming) end();
    }

    void force_close() override {
        phase_ = Phase::closing;
        Ops::close(transport());
        stream_closed();
    }

    // StreamWriter (http_session_stream.hpp): chunks on HTTP/1.1; on 1.0 the body ends
    // with the connection.
    bool write(std::string_view data) override;
    std::size_t queued_bytes() const override { return stream_pending_.size() + stream_inflight_.size(); }
    void end() override;

private:
    enum class Phase { handshake, idle, reading, handling, writing, streaming, closing };

    const HttpServerOptions& options() const noexcept { return state_->options; }
    Transport& transport() noexcept { return boost::beast::get_lowest_layer(stream_); }
    auto self() { return this->shared_from_this(); }

    // TLS: the handshake has the request timeout; a failed one is counted and closed.
    void do_handshake() {
        if constexpr (tls) {
            phase_ = Phase::handshake;
            Ops::expires_after(transport(), options().request_timeout);
            stream_.async_handshake(boost::asio::ssl::stream_base::server,
                                    boost::beast::bind_front_handler(&HttpSession::on_handshake, self()));
        }
    }

    void on_handshake(boost::beast::error_code ec) {
        if (ec) {
            if (ec == boost::asio::error::operation_aborted) return force_close();  // stop()
            if (ec == boost::beast::error::timeout) state_->metrics.timeouts->inc();
            if (auto* failures = state_->metrics.tls_handshake_failures) failures->inc();
            state_->log->debug("TLS handshake failed: {}", ec.message());
            return force_close();
        }
        if (rejecting_) return respond_reject();
        do_read();
    }

    void respond_reject() {
        begin_request();
        respond_now(
            error_response(boost::beast::http::status::service_unavailable, terms_.refuse, {}, {{"Retry-After", "1"}}));
    }

    void do_read() {
        if (state_->stopping) return do_close();
        phase_ = Phase::idle;
        parser_.emplace();
        parser_->body_limit(options().body_limit);
        parser_->header_limit(options().header_limit);
        if (buffer_.size() > 0) return do_read_header();  // a pipelined request is already here
        // Idle until the first byte: a new connection gets the shorter request timeout.
        Ops::expires_after(transport(), seq_ == 0 ? options().request_timeout : options().idle_timeout);
        stream_.async_read_some(buffer_.prepare(read_chunk),
                                boost::beast::bind_front_handler(&HttpSession::on_first_bytes, self()));
    }

    void on_first_bytes(boost::beast::error_code ec, std::size_t n) {
        buffer_.commit(n);
        if (ec) return on_read_error(ec);
        do_read_header();
    }

    void do_read_header() {
        phase_ = Phase::reading;
        Ops::expires_after(transport(), options().request_timeout);  // until the request's last byte
        boost::beast::http::async_read_header(stream_, buffer_, *parser_,
                                              boost::beast::bind_front_handler(&HttpSession::on_read_header, self()));
    }

    void on_read_header(boost::beast::error_code ec, std::size_t) {
        static constexpr std::string_view continue_response = "HTTP/1.1 100 Continue\r\n\r\n";
        if (ec) return on_read_error(ec);
        const auto& req = parser_->get();
        if (auto refusal = admit(req)) return refuse_unread(req, std::move(*refusal));
        if (!parser_->is_done() && boost::beast::iequals(req[boost::beast::http::field::expect], "100-continue")) {
            boost::asio::async_write(stream_, boost::asio::buffer(continue_response),
                                     boost::beast::bind_front_handler(&HttpSession::on_continue_written, self()));
            return;
        }
        do_read_body();
    }

    // Admission (http_session_admit.hpp).
    template <class Header>
    std::optional<HttpResponse> admit(const Header& req);
    std::size_t declared_length() const;
    template <class Header>
    void refuse_unread(const Header& req, HttpResponse&& res);

    void on_continue_written(boost::beast::error_code ec, std::size_t) {
        if (ec) return on_read_error(ec);
        do_read_body();
    }

    void do_read_body() {
        if (parser_->is_done()) return do_handle();
        boost::beast::http::async_read(stream_, buffer_, *parser_,
                                       boost::beast::bind_front_handler(&HttpSession::on_read, self()));
    }

    void on_read(boost::beast::error_code ec, std::size_t) {
        if (ec) return on_read_error(ec);
        do_handle();
    }

    void on_read_error(boost::beast::error_code ec) {
        namespace http = boost::beast::http;
        if (ec == boost::beast::error::timeout) {
            state_->metrics.timeouts->inc();
            return force_close();
        }
        // Beast's parse errors share one category; a peer that closed early is not one.
        static const auto& parse_errors = boost::beast::error_code(http::error::bad_method).category();
        if (ec.category() == parse_errors && ec != http::error::end_of_stream && ec != http::error::partial_message) {
            return respond_to_bad_request(ec);
        }
        // The peer closed or reset, or stop() cancelled the read. Only in the last case is
        // the TLS layer still fit to say goodbye (no close_notify after a fatal TLS error).
        if (ec != boost::asio::error::operation_aborted) tls_alive_ = false;
        do_close();
    }

    void respond_to_bad_request(boost::beast::error_code ec) {
        namespace http = boost::beast::http;
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
            state_->handler(std::move(req), Responder(self(), seq_));
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
        on_response(seq_, error_response(boost::beast::http::status::internal_server_error, "internal error"));
    }

    void on_response(std::uint64_t seq, HttpResponse&& res, std::string_view failure = {}) {
        if (phase_ != Phase::handling || seq != seq_) return;  // already answered, or closed
        if (failure_.empty()) failure_ = failure;
        phase_ = Phase::writing;
        res_ = std::move(res);
        res_.version(version_);
        res_.keep_alive(keep_alive_ && !state_->stopping && res_.keep_alive());
        res_.prepare_payload();
        Ops::expires_after(transport(), options().write_timeout);
        write_response_head(res_, head_);
        const std::array<boost::asio::const_buffer, 2> wire{boost::asio::buffer(head_),
                                                            boost::asio::buffer(res_.body())};
        boost::asio::async_write(stream_, wire, boost::beast::bind_front_handler(&HttpSession::on_write, self()));
    }

    void on_write(boost::beast::error_code ec, std::size_t) {
        const auto status = res_.result_int();
        if (!rejecting_) {
            state_->metrics.count_response(status, std::chrono::duration<double>(Clock::now() - started_).count());
            if (status >= 500 || status == 429) log_failure(status);
        }
        const bool close = res_.need_eof();
        res_ = {};   // free the body now, not at the next response
        body_ = {};  // and give its request's bytes back to the pool
        if (ec == boost::beast::error::timeout) state_->metrics.timeouts->inc();
        if (ec) return force_close();
        if (close) return do_close();
        do_read();
    }

    // A streamed response (http_session_stream.hpp).
    void on_stream_head(std::uint64_t seq, HttpResponse&& head, std::shared_ptr<StreamProducer> producer);
    void on_stream_started(boost::beast::error_code ec, std::size_t);
    void do_stream_write();
    void on_stream_write(boost::beast::error_code ec, std::size_t);
    void stream_failed(boost::beast::error_code ec);
    // Tells the producer once; it may call back into the writer, which is closed by then.
    void stream_closed() {
        if (auto producer = std::move(producer_)) producer->on_closed();
    }

    // Refusals (503, 429) come in floods: counted, not logged one by one.
    void log_failure(unsigned status) const {
        static constexpr std::size_t kMaxQuoted = 160;
        std::string_view what = failure_.empty() ? std::string_view("from the handler") : std::string_view(failure_);
        if (failure_.empty() && (status == 503 || status == 429)) what = error_text(res_.body(), kMaxQuoted);
        if (state_->refusals && (status == 503 || status == 429)) {
            const std::string_view path = std::string_view(target_).substr(0, target_.find('?'));
            return state_->refusals->note(std::to_string(status) + " " + method_ + " " + std::string(path) + ": " +
                                          std::string(what));
        }
        state_->log->warn("{} {} {}: {}", status, method_, target_, what);
    }

    // Closing (http_session_close.hpp).
    void do_close();
    void do_tls_shutdown();
    void on_tls_shutdown(boost::beast::error_code ec);
    void close_transport();
    void do_drain();
    void on_drain(boost::beast::error_code ec, std::size_t);

    std::shared_ptr<const void> owner_;  // declared first: outlives the stream
    Stream stream_;
    const boost::asio::any_io_executor executor_;  // copied once: deliver() may run on any thread
    std::shared_ptr<ServerState> state_;
    ConnectionTerms terms_;
    boost::beast::flat_buffer buffer_;  // bounded: a header and kBufferSlack
    BodyReservation body_;              // the request's body in its pool, until its answer is written
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    HttpResponse res_;  // alive until its write completes
    std::string head_;  // res_'s status line and fields, serialized; reused
    Phase phase_ = Phase::idle;
    std::uint64_t seq_ = 0;  // requests seen; a Responder answers only its own
    bool rejecting_ = false;
    bool linger_ = false;    // the client may still be sending what we refused to read
    bool tls_alive_ = true;  // TLS only: no fatal error yet, close_notify may be sent

    // Of the request being answered.
    unsigned version_ = 11;
    bool keep_alive_ = false;
    Clock::time_point started_;
    std::string method_;
    std::string target_;
    std::string failure_;  // why a 5xx, when the session knows

    // Of a streamed response.
    std::shared_ptr<StreamProducer> producer_;  // until the stream closes
    std::string stream_pending_;                // framed, not yet being written
    std::string stream_inflight_;               // being written
    bool stream_writing_ = false;
    bool stream_ending_ = false;
    bool chunked_ = true;
};

}  // namespace ir::daemon::detail

#include <ir/daemon/http_session_admit.hpp>
#include <ir/daemon/http_session_close.hpp>
#include <ir/daemon/http_session_stream.hpp>
