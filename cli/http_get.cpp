#include "http_get.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
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
    bool tls = false;
    if (text.starts_with("https://")) {
        tls = true;
        text.remove_prefix(8);
    } else if (text.starts_with("http://")) {
        text.remove_prefix(7);
    }
    while (text.ends_with('/')) text.remove_suffix(1);
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
    return HostPort{std::string(host), std::string(port), tls};
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
    : HttpGetClient(std::move(server), HttpClientOptions{timeout, {}, {}}) {}

HttpGetClient::HttpGetClient(HostPort server, HttpClientOptions options)
    : server_(std::move(server)), options_(std::move(options)) {}

namespace {

// One exchange on `stream` (plain or TLS): connect, [handshake], write, read, under one
// deadline timer that also bounds the resolver. run() makes it synchronous.
template <class Stream>
struct Exchange {
    asio::io_context& ioc;
    Stream& stream;
    const HostPort& server;
    http::request<http::empty_body>& req;
    std::chrono::milliseconds timeout;
    http::response_parser<http::string_body> parser{};
    boost::system::error_code failure{};
    const char* step = "resolve";
    bool timed_out = false;

    beast::tcp_stream& tcp() { return beast::get_lowest_layer(stream); }

    void fail(const char* what, boost::system::error_code ec, asio::steady_timer& deadline) {
        step = what;
        failure = ec;
        deadline.cancel();
        tcp().socket().close(ec);
    }

    void run() {
        asio::steady_timer deadline(ioc, timeout);
        tcp::resolver resolver(ioc);
        beast::flat_buffer buffer;
        parser.body_limit(64 * 1024 * 1024);
        deadline.async_wait([&](boost::system::error_code ec) {
            if (ec) return;  // cancelled: the exchange finished in time
            timed_out = true;
            resolver.cancel();
            tcp().cancel();
        });
        auto exchange = [&] {
            http::async_write(stream, req, [&](boost::system::error_code ec, std::size_t) {
                if (ec) return fail("send", ec, deadline);
                http::async_read(stream, buffer, parser, [&](boost::system::error_code ec2, std::size_t) {
                    if (ec2) return fail("read", ec2, deadline);
                    deadline.cancel();
                    boost::system::error_code ignored;
                    tcp().socket().shutdown(tcp::socket::shutdown_both, ignored);
                });
            });
        };
        resolver.async_resolve(server.host, server.port, [&](boost::system::error_code ec, tcp::resolver::results_type r) {
            if (ec) return fail("resolve", ec, deadline);
            tcp().async_connect(r, [&](boost::system::error_code ec2, const tcp::endpoint&) {
                if (ec2) return fail("connect", ec2, deadline);
                if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
                    exchange();
                } else {
                    stream.async_handshake(asio::ssl::stream_base::client, [&](boost::system::error_code ec3) {
                        if (ec3) return fail("TLS handshake", ec3, deadline);
                        exchange();
                    });
                }
            });
        });
        ioc.run();
    }
};

Expected<HttpReply> finish(auto& x, const HostPort& server, std::string_view target, std::chrono::milliseconds timeout) {
    const std::string where = std::string(server.tls ? "https://" : "http://") + server.host + ":" + server.port +
                              std::string(target);
    if (x.failure) {
        const std::string why = x.timed_out ? "no answer within " + std::to_string(timeout.count()) + " ms"
                                            : x.failure.message();
        return Error(std::string("cannot reach the HTTP API (") + x.step + "): " + why, where);
    }
    HttpReply reply;
    reply.status = x.parser.get().result_int();
    reply.body = std::move(x.parser.get().body());
    return reply;
}

}  // namespace

Expected<HttpReply> HttpGetClient::get(std::string_view target) const {
    asio::io_context ioc;
    http::request<http::empty_body> req{http::verb::get, target, 11};
    req.set(http::field::host, server_.host + ":" + server_.port);
    req.set(http::field::user_agent, "inquiryctl");
    req.set(http::field::connection, "close");
    if (!options_.token.empty()) req.set(http::field::authorization, "Bearer " + options_.token);
    if (!server_.tls) {
        beast::tcp_stream stream(ioc);
        Exchange<beast::tcp_stream> x{ioc, stream, server_, req, options_.timeout};
        x.run();
        return finish(x, server_, target, options_.timeout);
    }
    asio::ssl::context tls(asio::ssl::context::tls_client);
    tls.set_options(asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
    boost::system::error_code ec;
    options_.ca_file.empty() ? tls.set_default_verify_paths(ec) : tls.load_verify_file(options_.ca_file, ec);
    if (ec) return Error("cannot read the CA certificates: " + ec.message(), options_.ca_file);
    tls.set_verify_mode(asio::ssl::verify_peer);
    beast::ssl_stream<beast::tcp_stream> stream(ioc, tls);
    stream.set_verify_callback(asio::ssl::host_name_verification(server_.host));
    // SNI (SSL_set_tlsext_host_name is a macro with a C cast)
    SSL_ctrl(stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
             const_cast<char*>(server_.host.c_str()));
    Exchange<beast::ssl_stream<beast::tcp_stream>> x{ioc, stream, server_, req, options_.timeout};
    x.run();
    return finish(x, server_, target, options_.timeout);
}

}  // namespace ir::cli
