#pragma once
// HttpSession's streamed responses (http_stream.hpp), included by http_session.hpp: the
// head without a length, then whatever the producer writes, as HTTP/1.1 chunks (on 1.0 the
// body ends with the connection). What waits unsent is bounded: past the limit the client
// is dropped, never buffered without end.
#include <ir/daemon/http_session.hpp>

#include <cstdio>

namespace ir::daemon::detail {

template <class Stream>
void HttpSession<Stream>::on_stream_head(std::uint64_t seq, HttpResponse&& head,
                                         std::shared_ptr<StreamProducer> producer) {
    if (phase_ != Phase::handling || seq != seq_) return producer->on_closed();  // answered, or closed
    producer_ = std::move(producer);
    phase_ = Phase::writing;
    res_ = std::move(head);
    res_.version(version_);
    res_.body().clear();
    res_.erase(boost::beast::http::field::content_length);
    res_.keep_alive(false);  // the body ends with the connection
    chunked_ = version_ == 11;
    if (chunked_) res_.chunked(true);
    Ops::expires_after(transport(), options().write_timeout);
    write_response_head(res_, head_);
    boost::asio::async_write(stream_, boost::asio::buffer(head_),
                             boost::beast::bind_front_handler(&HttpSession::on_stream_started, self()));
}

template <class Stream>
void HttpSession<Stream>::on_stream_started(boost::beast::error_code ec, std::size_t) {
    state_->metrics.count_response(res_.result_int(), std::chrono::duration<double>(Clock::now() - started_).count());
    res_ = {};
    if (ec) return stream_failed(ec);
    phase_ = Phase::streaming;
    if (producer_) producer_->on_open(self());
    if (state_->stopping) end();
}

template <class Stream>
bool HttpSession<Stream>::write(std::string_view data) {
    if (phase_ != Phase::streaming || stream_ending_) return false;
    if (queued_bytes() + data.size() > options().stream_buffer_limit) {
        state_->log->info("{} {}: dropped a client that reads too slowly ({} bytes unsent)", method_, target_,
                          queued_bytes());
        const auto keep = self();  // the producer may let go of its writer, this session, when told
        force_close();
        return false;
    }
    if (data.empty()) return true;
    if (chunked_) {
        char size[24];
        const int n = std::snprintf(size, sizeof size, "%zx\r\n", data.size());
        stream_pending_.append(size, static_cast<std::size_t>(n));
    }
    stream_pending_.append(data);
    if (chunked_) stream_pending_ += "\r\n";
    if (!stream_writing_) do_stream_write();
    return true;
}

template <class Stream>
void HttpSession<Stream>::end() {
    if (phase_ != Phase::streaming || stream_ending_) return;
    stream_ending_ = true;
    if (chunked_) stream_pending_ += "0\r\n\r\n";
    if (!stream_writing_) do_stream_write();
}

template <class Stream>
void HttpSession<Stream>::do_stream_write() {
    if (stream_pending_.empty()) {
        if (!stream_ending_) return;
        const auto keep = self();  // the producer may let go of its writer, this session, when told
        stream_closed();
        return do_close();
    }
    stream_writing_ = true;
    std::swap(stream_pending_, stream_inflight_);  // what comes meanwhile waits for the next write
    Ops::expires_after(transport(), options().write_timeout);
    boost::asio::async_write(stream_, boost::asio::buffer(stream_inflight_),
                             boost::beast::bind_front_handler(&HttpSession::on_stream_write, self()));
}

template <class Stream>
void HttpSession<Stream>::on_stream_write(boost::beast::error_code ec, std::size_t) {
    stream_writing_ = false;
    stream_inflight_.clear();
    if (ec) return stream_failed(ec);
    if (phase_ != Phase::streaming) return;
    if (!stream_pending_.empty() || stream_ending_) return do_stream_write();
    if (producer_) producer_->on_drained();
}

template <class Stream>
void HttpSession<Stream>::stream_failed(boost::beast::error_code ec) {
    if (ec == boost::beast::error::timeout) state_->metrics.timeouts->inc();
    tls_alive_ = false;
    force_close();
}

}  // namespace ir::daemon::detail
