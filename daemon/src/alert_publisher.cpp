#include "ir/daemon/alert_publisher.hpp"

#include <boost/asio/posix/stream_descriptor.hpp>
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <thread>

namespace ir::daemon {
namespace {

constexpr const char* kZapEndpoint = "inproc://zeromq.zap.01";  // fixed by the ZAP spec (RFC 27)

std::string z85(const void* key32) {
    char text[41] = {};
    zmq_z85_encode(text, static_cast<const std::uint8_t*>(key32), 32);
    return text;
}

}  // namespace

CurveKeyPair new_curve_key_pair() {
    char pub[41] = {}, sec[41] = {};
    if (zmq_curve_keypair(pub, sec) != 0) throw zmq::error_t();
    return {pub, sec};
}

// The ZAP handler: answers each CURVE handshake with 200 and the identity of a registered
// key, or 400. Its own thread and REP socket, so a handshake never waits for the io thread.
class AlertPublisher::Zap {
public:
    Zap(zmq::context_t& ctx, std::function<std::optional<std::string>(std::string_view)> identify)
        : socket_(ctx, zmq::socket_type::rep), identify_(std::move(identify)) {
        socket_.set(zmq::sockopt::linger, 0);
        socket_.bind(kZapEndpoint);
        thread_ = std::thread([this] {
            ::pthread_setname_np(::pthread_self(), "ir-zap");
            run();
        });
    }
    ~Zap() {
        stop_ = true;
        thread_.join();
    }
    std::uint64_t refused() const { return refused_; }

private:
    void run() {
        while (!stop_) {
            zmq::pollitem_t item{socket_.handle(), 0, ZMQ_POLLIN, 0};
            if (zmq::poll(&item, 1, std::chrono::milliseconds(100)) <= 0) continue;
            std::vector<zmq::message_t> frames;
            zmq::message_t part;
            do {
                if (!socket_.recv(part, zmq::recv_flags::none)) break;
                frames.push_back(std::move(part));
            } while (frames.back().more());
            answer(frames);
        }
    }

    // Request: version, request id, domain, address, routing id, mechanism, credentials.
    void answer(const std::vector<zmq::message_t>& f) {
        const std::string request_id = f.size() > 1 ? f[1].to_string() : "";
        std::optional<std::string> who;
        if (f.size() >= 7 && f[0].to_string_view() == "1.0" && f[5].to_string_view() == "CURVE" && f[6].size() == 32)
            who = identify_(z85(f[6].data()));
        if (!who) note_refused(f.size() > 3 ? f[3].to_string() : std::string("?"));
        const std::string status = who ? "200" : "400";
        for (const std::string& frame :
             {std::string("1.0"), request_id, status, std::string(who ? "OK" : "key not registered"), who.value_or("")})
            socket_.send(zmq::buffer(frame), zmq::send_flags::sndmore);
        socket_.send(zmq::message_t(), zmq::send_flags::none);  // metadata: none
    }

    // A scan of unregistered keys must not flood the log: one line per 10 s at most.
    void note_refused(const std::string& address) {
        ++refused_;
        const auto now = std::chrono::steady_clock::now();
        if (now < quiet_until_) return ++unlogged_, void();
        spdlog::get("inquiryd")
            ->warn("alert feed: refused a CURVE key from {} ({} more refused since the last such line)", address,
                   unlogged_);
        unlogged_ = 0;
        quiet_until_ = now + std::chrono::seconds(10);
    }

    zmq::socket_t socket_;
    std::function<std::optional<std::string>(std::string_view)> identify_;
    std::chrono::steady_clock::time_point quiet_until_{};
    std::uint64_t unlogged_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<std::uint64_t> refused_{0};
    std::thread thread_;
};

// Reads the XPUB socket's subscription messages on the io thread (through ZMQ_FD) and
// applies the allowed ones to the peer that sent them.
class AlertPublisher::Subscriptions {
public:
    Subscriptions(zmq::socket_t& socket, boost::asio::io_context& ioc, FeedSecurity security)
        : socket_(socket), fd_(ioc, socket.get(zmq::sockopt::fd)), security_(std::move(security)) {
        wait();
    }
    ~Subscriptions() { fd_.release(); }  // the descriptor is ZeroMQ's

    // Shutdown: the pending wait would keep the io_context from running out of work.
    void stop() { fd_.cancel(); }

    // ZMQ_FD is edge-triggered and also consumed by sends: read whatever is waiting.
    void drain() {
        while (socket_.get(zmq::sockopt::events) & ZMQ_POLLIN) {
            zmq::message_t m;
            if (!socket_.recv(m, zmq::recv_flags::dontwait)) return;
            take(m);
        }
    }

private:
    void wait() {
        fd_.async_wait(boost::asio::posix::stream_descriptor::wait_read, [this](boost::system::error_code ec) {
            if (ec) return;
            drain();
            wait();
        });
    }

    void take(zmq::message_t& m) {
        if (m.size() == 0) return;
        const auto* bytes = static_cast<const char*>(m.data());
        const bool subscribe = bytes[0] == 1;
        const std::string topic(bytes + 1, m.size() - 1);
        const char* user = zmq_msg_gets(m.handle(), "User-Id");
        const std::string who = user ? user : "";
        if (!subscribe) return socket_.set(zmq::sockopt::unsubscribe, topic);
        if (!who.empty() && security_.may_subscribe(who, topic)) return socket_.set(zmq::sockopt::subscribe, topic);
        security_.refused(who, topic);
    }

    zmq::socket_t& socket_;
    boost::asio::posix::stream_descriptor fd_;
    FeedSecurity security_;
};

AlertPublisher::AlertPublisher(zmq::context_t& ctx, const std::string& endpoint, boost::asio::io_context& ioc,
                               std::optional<FeedSecurity> security) {
    if (security) zap_ = std::make_unique<Zap>(ctx, security->identify);
    socket_ = zmq::socket_t(ctx, security ? zmq::socket_type::xpub : zmq::socket_type::pub);
    // Subscribers that fall behind lose messages at the high-water mark, never the daemon's
    // memory; they notice the gap in seq and fetch what they missed over HTTP.
    socket_.set(zmq::sockopt::sndhwm, 100'000);
    socket_.set(zmq::sockopt::linger, 1000);
    if (security) {
        socket_.set(zmq::sockopt::curve_server, true);
        socket_.set(zmq::sockopt::curve_secretkey, security->server.secret_key);
        socket_.set(zmq::sockopt::zap_domain, "inquiryd");
        socket_.set(zmq::sockopt::xpub_manual, 1);
    }
    socket_.bind(endpoint);
    if (security) subscriptions_ = std::make_unique<Subscriptions>(socket_, ioc, std::move(*security));
}

AlertPublisher::~AlertPublisher() = default;

void AlertPublisher::stop_reading_subscriptions() {
    if (subscriptions_) subscriptions_->stop();
}

void AlertPublisher::publish(const store::AlertRow& alert) {
    zmq::message_t topic(alert.topic.data(), alert.topic.size());
    zmq::message_t body(alert.payload.data(), alert.payload.size());
    const bool ok = socket_.send(topic, zmq::send_flags::sndmore | zmq::send_flags::dontwait) &&
                    socket_.send(body, zmq::send_flags::dontwait);
    ok ? ++published_ : ++dropped_;
    if (subscriptions_) subscriptions_->drain();
}

std::string AlertPublisher::endpoint() const {
    return socket_.get(zmq::sockopt::last_endpoint);
}

std::uint64_t AlertPublisher::keys_refused() const {
    return zap_ ? zap_->refused() : 0;
}

}  // namespace ir::daemon
