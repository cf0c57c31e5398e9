// The HTTP listeners: the API one and the optional webhook-only one, sharing one admission.
#include "ir/daemon/app.hpp"

#include <boost/asio/ip/address.hpp>

namespace ir::daemon {
namespace asio = boost::asio;

// Both listeners share one admission: the bodies they hold count against one budget, of
// which a quarter is kept for the webhooks, as are an eighth of the connections.
std::shared_ptr<HttpAdmission> App::admission() {
    if (admission_) return admission_;
    const std::size_t bytes = config_.queued_bytes();
    AdmissionOptions a;
    a.connections_per_client = config_.http.max_connections_per_client;
    a.rate_per_client = static_cast<double>(config_.http.rate_per_client);
    a.reserved_body_bytes = bytes / 4;
    a.body_bytes = bytes - a.reserved_body_bytes;
    a.reserved_prefix = "/v1/webhooks/";
    admission_ = HttpAdmission::create(std::move(a));
    return admission_;
}

std::unique_ptr<HttpServer> App::listen_http(const std::string& host, std::uint16_t port, HttpRouter& router) {
    HttpServerOptions hopts;
    hopts.body_limit = config_.http.max_body_bytes;
    hopts.request_timeout = config_.http.request_timeout;
    hopts.idle_timeout = config_.http.idle_timeout;
    hopts.max_connections = config_.http.max_connections;
    hopts.reserved_connections = config_.http.max_connections / 8;
    hopts.admission = admission();
    hopts.tls = tls_;
    const asio::ip::tcp::endpoint listen(asio::ip::make_address(host), port);
    return std::make_unique<HttpServer>(ioc_, listen, std::ref(router), registry_, hopts);
}

}  // namespace ir::daemon
