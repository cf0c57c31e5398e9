// Plain-TCP sessions, and the choice between plain and TLS for an accepted connection.

#include <ir/daemon/http_session.hpp>

#include <algorithm>

namespace ir::daemon::detail {

std::string_view error_text(std::string_view body, std::size_t max) {
    static constexpr std::string_view prefix = R"({"error":")";
    if (body.starts_with(prefix)) {
        const auto text = body.substr(prefix.size());
        const auto end = text.find('"');  // an escaped quote cuts the quote short: fine for a log line
        if (end != std::string_view::npos) return text.substr(0, std::min(end, max));
    }
    return body.substr(0, max);
}

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

void start_session(boost::asio::ip::tcp::socket socket, std::shared_ptr<ServerState> state, ConnectionTerms terms) {
    if (state->options.tls) return start_tls_session(std::move(socket), std::move(state), std::move(terms));
    std::make_shared<HttpSession<boost::beast::tcp_stream>>(boost::beast::tcp_stream(std::move(socket)),
                                                            std::move(state), nullptr, std::move(terms))
        ->run();
}

}  // namespace ir::daemon::detail
