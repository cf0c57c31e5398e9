#include "ir/notify/http_client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <strings.h>

#include <charconv>

namespace ir::notify {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using asio::use_awaitable;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t kMaxAnswerBytes = 256 * 1024;

struct Target {
    bool tls = true;
    std::string host, port, target, host_header;
};

Expected<Target> target_of(const std::string& url) {
    auto u = boost::urls::parse_absolute_uri(url);
    if (!u) return Error("not an absolute URL", "url");
    Target t;
    t.tls = u->scheme() == "https";
    if (!t.tls && u->scheme() != "http") return Error("only http:// and https:// are supported", "url");
    t.host = u->encoded_host().decode();
    t.port = u->has_port() ? std::string(u->port()) : (t.tls ? "443" : "80");
    std::uint16_t port = 0;
    const auto [end, ec] = std::from_chars(t.port.data(), t.port.data() + t.port.size(), port);
    if (ec != std::errc{} || end != t.port.data() + t.port.size() || port == 0)
        return Error("not a port: " + t.port, "url");
    t.host_header = u->has_port() ? t.host + ":" + t.port : t.host;
    t.target = std::string(u->encoded_path().empty() ? "/" : u->encoded_path());
    if (u->has_query()) t.target += "?" + std::string(u->encoded_query());
    return t;
}

std::uint16_t port_number(const std::string& port) {  // checked by target_of
    std::uint16_t n = 0;
    std::from_chars(port.data(), port.data() + port.size(), n);
    return n;
}

http::request<http::string_body> request_of(const Target& t, const HttpPost& p) {
    http::request<http::string_body> req{http::verb::post, t.target, 11};
    req.set(http::field::host, t.host_header);
    req.set(http::field::user_agent, "inquiryd-notify/1");
    req.set(http::field::connection, "close");
    for (const auto& [k, v] : p.headers) req.set(k, v);
    req.body() = p.body;
    req.prepare_payload();
    return req;
}

template <class Stream>
asio::awaitable<HttpAnswer> exchange(Stream& stream, http::request<http::string_body>& req,
                                     std::chrono::steady_clock::time_point deadline) {
    beast::get_lowest_layer(stream).expires_at(deadline);
    co_await http::async_write(stream, req, use_awaitable);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxAnswerBytes);
    beast::get_lowest_layer(stream).expires_at(deadline);
    co_await http::async_read(stream, buffer, parser, use_awaitable);
    auto res = parser.release();
    HttpAnswer a;
    a.status = res.result_int();
    for (const auto& f : res) a.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    a.body = std::move(res.body());
    co_return a;
}

asio::awaitable<HttpAnswer> post_once(Target t, const HttpPost& p, ssl::context& ctx,
                                      std::chrono::steady_clock::time_point deadline) {
    auto ex = co_await asio::this_coro::executor;
    beast::tcp_stream tcp_stream(ex);
    tcp_stream.expires_at(deadline);
    boost::system::error_code not_literal;
    const auto address = asio::ip::make_address(t.host, not_literal);
    if (!not_literal) {  // an IP literal: no resolver (its thread would be started for each request)
        co_await tcp_stream.async_connect(tcp::endpoint(address, port_number(t.port)), use_awaitable);
    } else {
        tcp::resolver resolver(ex);
        auto endpoints = co_await resolver.async_resolve(t.host, t.port, use_awaitable);
        co_await tcp_stream.async_connect(endpoints, use_awaitable);
    }
    auto req = request_of(t, p);
    if (!t.tls) co_return co_await exchange(tcp_stream, req, deadline);
    beast::ssl_stream<beast::tcp_stream> stream(std::move(tcp_stream), ctx);
    // SNI (SSL_set_tlsext_host_name is a macro with a C cast)
    if (!::SSL_ctrl(stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                    const_cast<char*>(t.host.c_str())))
        throw beast::system_error(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category());
    stream.set_verify_mode(ssl::verify_peer);
    stream.set_verify_callback(ssl::host_name_verification(t.host));
    beast::get_lowest_layer(stream).expires_at(deadline);
    co_await stream.async_handshake(ssl::stream_base::client, use_awaitable);
    co_return co_await exchange(stream, req, deadline);  // Connection: close, no TLS shutdown wait
}

}  // namespace

std::string HttpAnswer::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (k.size() == name.size() && ::strncasecmp(k.data(), name.data(), k.size()) == 0) return v;
    return {};
}

struct HttpClient::Impl {
    ssl::context ctx{ssl::context::tls_client};
};

HttpClient::HttpClient(std::string ca_file) : impl_(std::make_unique<Impl>()) {
    impl_->ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                           ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    boost::system::error_code ec;
    if (ca_file.empty())
        impl_->ctx.set_default_verify_paths(ec);
    else
        impl_->ctx.load_verify_file(ca_file, ec);
    impl_->ctx.set_verify_mode(ssl::verify_peer);
}

HttpClient::~HttpClient() = default;

Expected<HttpAnswer> HttpClient::post(const HttpPost& request, std::chrono::milliseconds timeout,
                                      const std::atomic<bool>* cancel) {
    auto target = target_of(request.url);
    if (!target) return target.error();
    // A fresh io_context per request: whatever is still pending at the deadline is
    // destroyed with it, and nothing is shared between destinations' threads.
    asio::io_context ioc;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::optional<Expected<HttpAnswer>> result;
    asio::co_spawn(ioc, post_once(*target, request, impl_->ctx, deadline),
                   [&result](std::exception_ptr e, HttpAnswer a) {
                       if (!e) return result.emplace(std::move(a)), void();
                       try {
                           std::rethrow_exception(e);
                       } catch (const beast::system_error& se) {
                           result.emplace(Error(se.code().message(), "network"));
                       } catch (const std::exception& ex) {
                           result.emplace(Error(ex.what(), "network"));
                       }
                   });
    const auto give_up = deadline + std::chrono::milliseconds(200);  // DNS is not covered by the stream's deadline
    while (!result && !ioc.stopped() && std::chrono::steady_clock::now() < give_up) {
        if (cancel && cancel->load()) return Error("cancelled: stopping", "shutdown");
        ioc.run_for(std::chrono::milliseconds(100));
    }
    if (!result) return Error("no answer within " + std::to_string(timeout.count()) + " ms", "timeout");
    return std::move(*result);
}

}  // namespace ir::notify
