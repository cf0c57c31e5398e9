#include "ir/daemon/alert_publisher.hpp"

namespace ir::daemon {

AlertPublisher::AlertPublisher(zmq::context_t& ctx, const std::string& endpoint) : socket_(ctx, zmq::socket_type::pub) {
    // Subscribers that fall behind lose messages at the high-water mark, never the daemon's
    // memory; they notice the gap in seq and fetch what they missed over HTTP.
    socket_.set(zmq::sockopt::sndhwm, 100'000);
    socket_.set(zmq::sockopt::linger, 1000);
    socket_.bind(endpoint);
}

void AlertPublisher::publish(const store::AlertRow& alert) {
    zmq::message_t topic(alert.topic.data(), alert.topic.size());
    zmq::message_t body(alert.payload.data(), alert.payload.size());
    const bool ok = socket_.send(topic, zmq::send_flags::sndmore | zmq::send_flags::dontwait) &&
                    socket_.send(body, zmq::send_flags::dontwait);
    ok ? ++published_ : ++dropped_;
}

std::string AlertPublisher::endpoint() const {
    return socket_.get(zmq::sockopt::last_endpoint);
}

}  // namespace ir::daemon
