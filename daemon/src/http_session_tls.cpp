// TLS sessions: the same session over beast::ssl_stream, with the context that was
// current when the connection was accepted (a reload affects only later connections).

#include <ir/daemon/http_session.hpp>
#include <ir/daemon/tls_context.hpp>

#include <boost/beast/ssl/ssl_stream.hpp>

namespace ir::daemon::detail {

using TlsTcpStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

template class HttpSession<TlsTcpStream>;

void start_tls_session(boost::asio::ip::tcp::socket socket, std::shared_ptr<ServerState> state, ConnectionTerms terms) {
    auto context = state->options.tls->current();
    TlsTcpStream stream(std::move(socket), *context);
    std::make_shared<HttpSession<TlsTcpStream>>(std::move(stream), std::move(state), std::move(context),
                                                std::move(terms))
        ->run();
}

}  // namespace ir::daemon::detail
