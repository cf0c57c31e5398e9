#pragma once
// Who may hold what of the HTTP servers: connections per client address, requests per
// second per client (a token bucket), and the request bodies held in memory at once, in
// two pools so that a flood on one kind of route cannot take what the other needs (the
// webhooks' pool stays free while /v1/events is flooded). Decided once a request's
// header is read, before its body is: a refused body is never buffered.
// One io thread owns it (both listeners run on it); no locking.
#include <boost/asio/ip/address.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ir::daemon {

struct AdmissionOptions {
    std::size_t connections_per_client = 0;  // 0: no cap
    double rate_per_client = 0;              // requests per second, 0: no limit; a bucket holds a second's worth
    std::size_t body_bytes = 0;              // bodies held at once on the other routes; 0: no limit
    std::size_t reserved_body_bytes = 0;     // bodies held at once on the reserved routes; 0: no limit
    std::string reserved_prefix{};           // targets starting with it use the reserved pool and bucket
};

class HttpAdmission;

// A connection counted against its client's cap, until destroyed.
class ClientSlot {
public:
    ClientSlot() = default;
    ClientSlot(std::shared_ptr<HttpAdmission> owner, boost::asio::ip::address client);
    ClientSlot(ClientSlot&& other) noexcept = default;
    ClientSlot& operator=(ClientSlot&& other) noexcept;
    ClientSlot(const ClientSlot&) = delete;
    ClientSlot& operator=(const ClientSlot&) = delete;
    ~ClientSlot();

    [[nodiscard]] const boost::asio::ip::address& client() const noexcept { return client_; }
    [[nodiscard]] bool counted() const noexcept { return owner_ != nullptr; }

private:
    void release() noexcept;
    std::shared_ptr<HttpAdmission> owner_;
    boost::asio::ip::address client_;
};

// Bytes of one request's body held in a pool, until destroyed (once its answer is written).
class BodyReservation {
public:
    BodyReservation() = default;
    BodyReservation(std::shared_ptr<HttpAdmission> owner, bool reserved, std::size_t bytes);
    BodyReservation(BodyReservation&& other) noexcept;
    BodyReservation& operator=(BodyReservation&& other) noexcept;
    BodyReservation(const BodyReservation&) = delete;
    BodyReservation& operator=(const BodyReservation&) = delete;
    ~BodyReservation();

private:
    void release() noexcept;
    std::shared_ptr<HttpAdmission> owner_;
    bool reserved_ = false;
    std::size_t bytes_ = 0;
};

class HttpAdmission : public std::enable_shared_from_this<HttpAdmission> {
public:
    using Clock = std::chrono::steady_clock;

    enum class Verdict { admitted, rate_limited, body_budget };
    struct Admission {
        Verdict verdict = Verdict::admitted;
        BodyReservation body;                 // admitted: held until the answer is written
        std::chrono::seconds retry_after{0};  // refused: when to come back
    };

    static std::shared_ptr<HttpAdmission> create(AdmissionOptions options);

    // A new connection from `client`: a slot, or nothing if the client holds its cap.
    std::optional<ClientSlot> open(const boost::asio::ip::address& client);
    // A request whose header is read: `body_bytes` is its Content-Length (or the body
    // limit when chunked). The rate applies to every request, the pools to bodies.
    Admission admit(const boost::asio::ip::address& client, std::string_view target, std::size_t body_bytes,
                    Clock::time_point now);
    [[nodiscard]] bool is_reserved(std::string_view target) const;

    [[nodiscard]] const AdmissionOptions& options() const noexcept { return options_; }
    [[nodiscard]] std::size_t body_bytes_held(bool reserved) const noexcept {
        return reserved ? reserved_held_ : held_;
    }
    [[nodiscard]] std::size_t clients_tracked() const noexcept { return clients_.size(); }

private:
    friend class ClientSlot;
    friend class BodyReservation;
    using Key = std::array<std::uint8_t, 16>;  // the address as IPv6 (IPv4 mapped)
    struct KeyHash {
        std::size_t operator()(const Key& k) const noexcept;
    };
    struct Bucket {
        double tokens = -1;  // < 0: full (never used)
        Clock::time_point last{};
    };
    struct Client {
        std::size_t connections = 0;
        Bucket api, reserved;
    };

    explicit HttpAdmission(AdmissionOptions options) : options_(std::move(options)) {}
    static Key key_of(const boost::asio::ip::address& a);
    std::optional<std::chrono::seconds> take(Bucket& b, Clock::time_point now) const;
    bool bucket_full(const Bucket& b, Clock::time_point now) const;
    void closed(const boost::asio::ip::address& client) noexcept;
    void released(bool reserved, std::size_t bytes) noexcept;
    void sweep(Clock::time_point now);

    AdmissionOptions options_;
    std::unordered_map<Key, Client, KeyHash> clients_;
    std::size_t held_ = 0;
    std::size_t reserved_held_ = 0;
    std::size_t sweep_at_ = 4096;  // the table's size at which clients are looked over again
};

}  // namespace ir::daemon
