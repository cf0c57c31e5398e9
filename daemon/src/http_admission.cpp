#include "ir/daemon/http_admission.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace ir::daemon {

// ---- ClientSlot ----

ClientSlot::ClientSlot(std::shared_ptr<HttpAdmission> owner, boost::asio::ip::address client)
    : owner_(std::move(owner)), client_(client) {}

ClientSlot& ClientSlot::operator=(ClientSlot&& other) noexcept {
    if (this != &other) {
        release();
        owner_ = std::move(other.owner_);
        client_ = other.client_;
    }
    return *this;
}

ClientSlot::~ClientSlot() {
    release();
}

void ClientSlot::release() noexcept {
    if (auto owner = std::exchange(owner_, nullptr)) owner->closed(client_);
}

// ---- BodyReservation ----

BodyReservation::BodyReservation(std::shared_ptr<HttpAdmission> owner, bool reserved, std::size_t bytes)
    : owner_(std::move(owner)), reserved_(reserved), bytes_(bytes) {}

BodyReservation::BodyReservation(BodyReservation&& other) noexcept
    : owner_(std::move(other.owner_)), reserved_(other.reserved_), bytes_(std::exchange(other.bytes_, 0)) {}

BodyReservation& BodyReservation::operator=(BodyReservation&& other) noexcept {
    if (this != &other) {
        release();
        owner_ = std::move(other.owner_);
        reserved_ = other.reserved_;
        bytes_ = std::exchange(other.bytes_, 0);
    }
    return *this;
}

BodyReservation::~BodyReservation() {
    release();
}

void BodyReservation::release() noexcept {
    if (auto owner = std::exchange(owner_, nullptr)) owner->released(reserved_, std::exchange(bytes_, 0));
}

// ---- HttpAdmission ----

namespace {
// Clients with no connection and a full bucket are forgotten; the rest are looked over
// again once the table has doubled since the last look.
constexpr std::size_t kFirstSweep = 4096;
}  // namespace

std::shared_ptr<HttpAdmission> HttpAdmission::create(AdmissionOptions options) {
    return std::shared_ptr<HttpAdmission>(new HttpAdmission(std::move(options)));
}

std::size_t HttpAdmission::KeyHash::operator()(const Key& k) const noexcept {
    std::uint64_t a = 0, b = 0;
    std::memcpy(&a, k.data(), 8);
    std::memcpy(&b, k.data() + 8, 8);
    return static_cast<std::size_t>(a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull + (a << 6) + (a >> 2)));
}

HttpAdmission::Key HttpAdmission::key_of(const boost::asio::ip::address& a) {
    if (a.is_v6()) return a.to_v6().to_bytes();
    return boost::asio::ip::make_address_v6(boost::asio::ip::v4_mapped, a.to_v4()).to_bytes();
}

bool HttpAdmission::is_reserved(std::string_view target) const {
    return !options_.reserved_prefix.empty() && target.starts_with(options_.reserved_prefix);
}

std::optional<ClientSlot> HttpAdmission::open(const boost::asio::ip::address& client) {
    if (options_.connections_per_client == 0 && options_.rate_per_client <= 0) return ClientSlot();
    auto& c = clients_[key_of(client)];
    if (options_.connections_per_client != 0 && c.connections >= options_.connections_per_client) return std::nullopt;
    ++c.connections;
    if (clients_.size() >= sweep_at_) sweep(Clock::now());
    return ClientSlot(shared_from_this(), client);
}

HttpAdmission::Admission HttpAdmission::admit(const boost::asio::ip::address& client, std::string_view target,
                                              std::size_t body_bytes, Clock::time_point now) {
    const bool reserved = is_reserved(target);
    Admission out;
    if (options_.rate_per_client > 0) {
        auto& c = clients_[key_of(client)];
        if (auto wait = take(reserved ? c.reserved : c.api, now)) {
            out.verdict = Verdict::rate_limited;
            out.retry_after = *wait;
            return out;
        }
    }
    if (body_bytes == 0) return out;
    const std::size_t limit = reserved ? options_.reserved_body_bytes : options_.body_bytes;
    std::size_t& held = reserved ? reserved_held_ : held_;
    // A body larger than the whole pool still gets in when the pool is empty: the body
    // limit, not the pool, decides what is too large.
    if (limit != 0 && held != 0 && held + body_bytes > limit) {
        out.verdict = Verdict::body_budget;
        out.retry_after = std::chrono::seconds(1);
        return out;
    }
    held += body_bytes;
    out.body = BodyReservation(shared_from_this(), reserved, body_bytes);
    return out;
}

// Takes one token; if there is none, how long until there is.
std::optional<std::chrono::seconds> HttpAdmission::take(Bucket& b, Clock::time_point now) const {
    const double rate = options_.rate_per_client;
    const double burst = std::max(1.0, rate);
    if (b.tokens < 0) {
        b.tokens = burst;
    } else {
        const double elapsed = std::chrono::duration<double>(now - b.last).count();
        b.tokens = std::min(burst, b.tokens + std::max(0.0, elapsed) * rate);
    }
    b.last = now;
    if (b.tokens >= 1) {
        b.tokens -= 1;
        return std::nullopt;
    }
    return std::chrono::seconds(static_cast<std::int64_t>(std::ceil((1 - b.tokens) / rate)));
}

bool HttpAdmission::bucket_full(const Bucket& b, Clock::time_point now) const {
    if (b.tokens < 0 || options_.rate_per_client <= 0) return true;
    const double elapsed = std::chrono::duration<double>(now - b.last).count();
    return b.tokens + elapsed * options_.rate_per_client >= std::max(1.0, options_.rate_per_client);
}

void HttpAdmission::closed(const boost::asio::ip::address& client) noexcept {
    auto it = clients_.find(key_of(client));
    if (it == clients_.end()) return;
    auto& c = it->second;
    if (c.connections > 0) --c.connections;
    const auto now = Clock::now();
    if (c.connections == 0 && bucket_full(c.api, now) && bucket_full(c.reserved, now)) clients_.erase(it);
}

void HttpAdmission::released(bool reserved, std::size_t bytes) noexcept {
    std::size_t& held = reserved ? reserved_held_ : held_;
    held -= std::min(held, bytes);
}

void HttpAdmission::sweep(Clock::time_point now) {
    std::erase_if(clients_, [&](const auto& entry) {
        const Client& c = entry.second;
        return c.connections == 0 && bucket_full(c.api, now) && bucket_full(c.reserved, now);
    });
    sweep_at_ = std::max(kFirstSweep, 2 * clients_.size());
}

}  // namespace ir::daemon
