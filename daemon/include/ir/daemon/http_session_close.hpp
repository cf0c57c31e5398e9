#pragma once
// HttpSession's close, included by http_session.hpp: TLS close_notify, then FIN, lingering
// to read what the client still sends so that it reads our last response.
#include <ir/daemon/http_session.hpp>

namespace ir::daemon::detail {

template <class Stream>
void HttpSession<Stream>::do_close() {
    if (phase_ == Phase::closing) return;
    phase_ = Phase::closing;
    if constexpr (tls) {
        if (tls_alive_) return do_tls_shutdown();
    }
    close_transport();
}

// close_notify both ways, bounded by the linger timeout; then the transport closes.
template <class Stream>
void HttpSession<Stream>::do_tls_shutdown() {
    if constexpr (tls) {
        Ops::expires_after(transport(), options().linger_timeout);
        stream_.async_shutdown(boost::beast::bind_front_handler(&HttpSession::on_tls_shutdown, self()));
    }
}

template <class Stream>
void HttpSession<Stream>::on_tls_shutdown(boost::beast::error_code ec) {
    if (ec == boost::beast::error::timeout) return Ops::close(transport());
    close_transport();
}

// Send FIN, then close. If the client may still be sending (the request was refused
// unread, or more bytes are waiting), first read and discard until it closes or
// linger_timeout passes: closing with unread bytes would reset the connection, and a
// reset can destroy the response before the client reads it.
template <class Stream>
void HttpSession<Stream>::close_transport() {
    boost::beast::error_code ec;
    Ops::shutdown_send(transport(), ec);
    const bool pending = !ec && (linger_ || buffer_.size() > 0 || Ops::available(transport(), ec) > 0);
    if (ec || !pending) return Ops::close(transport());
    Ops::expires_after(transport(), options().linger_timeout);
    do_drain();
}

template <class Stream>
void HttpSession<Stream>::do_drain() {
    buffer_.clear();
    transport().async_read_some(buffer_.prepare(read_chunk),
                                boost::beast::bind_front_handler(&HttpSession::on_drain, self()));
}

template <class Stream>
void HttpSession<Stream>::on_drain(boost::beast::error_code ec, std::size_t) {
    if (ec) return Ops::close(transport());
    do_drain();
}

}  // namespace ir::daemon::detail
