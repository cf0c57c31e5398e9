#pragma once
// Publishes committed alerts on a ZeroMQ PUB socket as [topic][serialized inquiry.v1.Alert].
// Only the io thread touches the socket (ZeroMQ sockets are not thread-safe).
#include <zmq.hpp>

#include <string>

#include "ir/store/rows.hpp"

namespace ir::daemon {

class AlertPublisher {
public:
    // Binds at once; throws zmq::error_t when the endpoint cannot be bound.
    AlertPublisher(zmq::context_t& ctx, const std::string& endpoint);

    // The stored row as it is: the payload was serialized once, for the store.
    void publish(const store::AlertRow& alert);
    std::string endpoint() const;  // the bound endpoint (resolves "tcp://127.0.0.1:*")
    std::uint64_t published() const { return published_; }
    std::uint64_t dropped() const { return dropped_; }

private:
    zmq::socket_t socket_;
    std::uint64_t published_ = 0;
    std::uint64_t dropped_ = 0;
};

}  // namespace ir::daemon
