#pragma once
// What an HTTP session needs of the transport under any TLS layer, beyond reading and
// writing (http_session.hpp). Tests specialise TransportOps for beast::test::stream.
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <chrono>
#include <cstddef>

namespace ir::daemon::detail {

template <class Transport>
struct TransportOps;

template <>
struct TransportOps<boost::beast::tcp_stream> {
    using Stream = boost::beast::tcp_stream;
    static void expires_after(Stream& s, std::chrono::milliseconds d) { s.expires_after(d); }
    static void cancel(Stream& s) { s.cancel(); }
    static void close(Stream& s) { s.close(); }
    static void shutdown_send(Stream& s, boost::beast::error_code& ec) {
        s.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
    }
    static std::size_t available(Stream& s, boost::beast::error_code& ec) { return s.socket().available(ec); }
};

// A stream layered over a transport is TLS (beast::ssl_stream): the only layered one here.
template <class Stream>
concept TlsStream = requires(Stream& s) {
    s.next_layer();
};

}  // namespace ir::daemon::detail
