// Plain-TCP sessions, and the choice between plain and TLS for an accepted connection.

#include <ir/daemon/http_session.hpp>

namespace ir::daemon::detail {

void write_response_head(const HttpResponse& res, std::string& out) {
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

template class HttpSession<boost::beast::tcp_stream>;

void start_session(boost::asio::ip::tcp::socket socket, std::shared_ptr<ServerState> state, bool reject) {
    if (state->options.tls) return start_tls_session(std::move(socket), std::move(state), reject);
    auto session =
        std::make_shared<HttpSession<boost::beast::tcp_stream>>(boost::beast::tcp_stream(std::move(socket)), state);
    if (reject)
        session->reject();
    else
        session->run();
}

}  // namespace ir::daemon::detail
