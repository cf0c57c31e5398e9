#pragma once
// Publishes committed alerts on ZeroMQ as [topic][serialized inquiry.v1.Alert]. Only the
// io thread touches the socket (ZeroMQ sockets are not thread-safe).
//
// Open (loopback, no access control): a PUB socket, as any subscriber expects.
// Secured (`[access] require = true`): an XPUB socket with CURVE; a ZAP handler admits
// only registered client keys and names the identity behind each; every subscription
// is read on the io thread and applied (XPUB_MANUAL) only if that identity may read the
// topic; a refused one is reported, and the peer receives nothing for it.
#include <boost/asio/io_context.hpp>
#include <zmq.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ir/store/rows.hpp"

namespace ir::daemon {

struct CurveKeyPair {
    std::string public_key;  // Z85, 40 characters
    std::string secret_key;
};
// A new key pair (zmq_curve_keypair); throws zmq::error_t if CURVE is not available.
CurveKeyPair new_curve_key_pair();

struct FeedSecurity {
    CurveKeyPair server;
    // The identity of a client key, or nullopt to refuse it. Called on the ZAP thread.
    std::function<std::optional<std::string>(std::string_view client_key_z85)> identify;
    // Whether `identity` may subscribe to `topic`. Called on the io thread.
    std::function<bool(std::string_view identity, std::string_view topic)> may_subscribe;
    // A refused subscription. Called on the io thread. (Refused keys are counted:
    // keys_refused(), and logged by the ZAP thread.)
    std::function<void(std::string_view identity, std::string_view topic)> refused;
};

class AlertPublisher {
public:
    // Binds at once; throws zmq::error_t when the endpoint cannot be bound.
    AlertPublisher(zmq::context_t& ctx, const std::string& endpoint, boost::asio::io_context& ioc,
                   std::optional<FeedSecurity> security = std::nullopt);
    ~AlertPublisher();
    AlertPublisher(const AlertPublisher&) = delete;
    AlertPublisher& operator=(const AlertPublisher&) = delete;

    // The stored row as it is: the payload was serialized once, for the store.
    void publish(const store::AlertRow& alert);
    // At shutdown, after the last publish: releases the io_context (secured feed only).
    void stop_reading_subscriptions();
    std::string endpoint() const;  // the bound endpoint (resolves "tcp://127.0.0.1:*")
    std::uint64_t published() const { return published_; }
    std::uint64_t dropped() const { return dropped_; }
    std::uint64_t keys_refused() const;  // ZAP denials (unregistered or forged keys)

private:
    class Zap;
    class Subscriptions;

    std::unique_ptr<Zap> zap_;  // before the socket: it must answer the first handshake
    zmq::socket_t socket_;
    std::unique_ptr<Subscriptions> subscriptions_;
    std::uint64_t published_ = 0;
    std::uint64_t dropped_ = 0;
};

}  // namespace ir::daemon
