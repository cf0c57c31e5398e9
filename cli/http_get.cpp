#include "http_get.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <charconv>

namespace ir::cli {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

Expected<HostPort> parse_host_port(std::string_view text) {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size())
        return Error("must be HOST:PORT", std::string(text), true);
    std::string_view host = text.substr(0, colon);
    const std::string_view port = text.substr(colon + 1);
    if (host.front() == '[') {
        if (host.size() < 3 || host.back() != ']') return Error("must be HOST:PORT", std::string(text), true);
        host = host.substr(1, host.size() - 2);
    } else if (host.find(':') != std::string_view::npos) {
        return Error("an IPv6 address must be written [ADDRESS]:PORT", std::string(text), true);
    }
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || end != port.data() + port.size() || value == 0 || value > 65535)
        return Error("the port must be a number from 1 to 65535", std::string(text), true);
    return HostPort{std::string(host), std::string(port)};
}

std::string url_encode(std::string_view value) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(value.size());
    for (const char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                           c == '.' || c == '_' || c == '~' || c == '/';
        if (plain) {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 0xF]);
        }
    }
    return out;
}

HttpGetClient::HttpGetClient(HostPort server, std::chrono::milliseconds timeout)
    : server_(std::move(server)), timeout_(timeout) {}

// Asynchronous steps under one deadline timer (which also bounds the resolver);
// run() makes the whole exchange synchronous.
Expected<HttpReply> HttpGetClient::get(std::string_view target) const {
    asio::io_context ioc;
    asio::steady_timer deadline(ioc, timeout_);
    tcp::resolver resolver(ioc);
    beast::tcp_stream stream(ioc);
    beast::flat_buffer buffer;
    http::request<http::empty_body> req{http::verb::get, target, 11};
    req.set(http::field::host, server_.host + ":" + server_.port);
    req.set(http::field::user_agent, "inquiryctl");
    req.set(http::field::connection, "close");
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    boost::system::error_code failure;
    const char* step = "resolve";
    bool timed_out = false;

    deadline.async_wait([&](boost::system::error_code ec) {
        if (ec) return;  // cancelled: the exchange finished in time
        timed_out = true;
        resolver.cancel();
        stream.cancel();
    });
    auto fail = [&](const char* what, boost::system::error_code ec) {
        step = what;
        failure = ec;
        deadline.cancel();
        stream.socket().close(ec);
    };
    resolver.async_resolve(
        server_.host, server_.port, [&](boost::system::error_code ec, tcp::resolver::results_type r) {
            if (ec) return fail("resolve", ec);
            stream.async_connect(r, [&](boost::system::error_code ec2, const tcp::endpoint&) {
                if (ec2) return fail("connect", ec2);
                http::async_write(stream, req, [&](boost::system::error_code ec3, std::size_t) {
                    if (ec3) return fail("send", ec3);
                    http::async_read(stream, buffer, parser, [&](boost::system::error_code ec4, std::size_t) {
                        if (ec4) return fail("read", ec4);
                        deadline.cancel();
                        boost::system::error_code ignored;
                        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
                    });
                });
            });
        });
    ioc.run();
    const std::string where = "http://" + server_.host + ":" + server_.port + std::string(target);
    if (failure) {
        const std::string why =
            timed_out ? "no answer within " + std::to_string(timeout_.count()) + " ms" : failure.message();
        return Error(std::string("cannot reach the HTTP API (") + step + "): " + why, where);
    }
    HttpReply reply;
    reply.status = parser.get().result_int();
    reply.body = std::move(parser.get().body());
    return reply;
}

}  // namespace ir::cli
