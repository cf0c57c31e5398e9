#include <ir/bench/load_generator.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cmath>
#include <deque>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>

namespace ir::bench {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

// The pacer sleeps at least this long between sends: at high rates it sends what fell due
// meanwhile in one go rather than waking the machine for every request (latency is still
// counted from each request's due time, so the lag shows in the results).
constexpr std::chrono::microseconds kPacerTick{500};

// Bodies as templates: body n is head + n + tail, where the number lands inside the
// "message_id" string. Serializing once keeps JSON work out of the request loop.
class BodySource {
public:
    BodySource(const std::vector<std::string>& bodies, bool unique_ids, const std::string& run_tag) {
        for (const auto& body : bodies) templates_.push_back(make_template(body, unique_ids, run_tag));
        if (templates_.empty()) templates_.push_back({"{}", "", false});
    }

    void build(std::string& out, std::uint64_t n) const {
        const auto& t = templates_[n % templates_.size()];
        out.assign(t.head);
        if (t.numbered) {
            out += std::to_string(n);
            out += t.tail;
        }
    }

private:
    struct Template {
        std::string head;
        std::string tail;
        bool numbered;
    };

    static Template make_template(const std::string& body, bool unique_ids, const std::string& run_tag) {
        static constexpr std::string_view sentinel = "@@ir-loadgen-id@@";
        if (!unique_ids) return {body, "", false};
        boost::system::error_code ec;
        auto value = boost::json::parse(body, ec);
        auto* object = ec ? nullptr : value.if_object();
        auto* id = object ? object->if_contains("message_id") : nullptr;
        if (!id || !id->is_string()) return {body, "", false};
        const auto original = boost::json::serialize(boost::json::value(id->as_string()));  // quoted, escaped
        *id = sentinel;
        const auto text = boost::json::serialize(value);
        const auto at = text.find(sentinel);
        return {text.substr(0, at) + original.substr(1, original.size() - 2) + "#" + run_tag + "-",
                text.substr(at + sentinel.size()), true};
    }

    std::vector<Template> templates_;
};

// What every worker reads and nobody writes once the run starts.
struct Plan {
    LoadOptions options;
    BodySource bodies;
    std::string request_head;  // request line and headers up to "Content-Length: "
    tcp::endpoint endpoint;
    Clock::time_point start;
    Clock::time_point measure_from;
    Clock::time_point end;
};

struct Tally {
    std::vector<std::uint64_t> latencies_ns;
    std::uint64_t errors = 0;
    std::uint64_t not_sent = 0;
    std::map<unsigned, std::uint64_t> by_status;
    Clock::time_point last_response{};
};

class Worker;

// One keep-alive connection: take a due request, write it, read the response, repeat;
// reconnect after an error or a "Connection: close". Like any HTTP client, it sends a
// request again, once, on a new connection when the server had closed an idle one (its
// idle timeout) and no byte of the answer came back; nothing was read, so nothing is lost.
class Conn : public std::enable_shared_from_this<Conn> {
public:
    Conn(Worker& worker, net::io_context& ioc) : worker_(worker), stream_(ioc), retry_(ioc) {}
    void start() { do_connect(); }
    void send(Clock::time_point due);
    void stop() { stream_.close(); }

private:
    void do_connect();
    void on_connect(beast::error_code ec);
    void next();
    void on_write(beast::error_code ec, std::size_t);
    void on_read(beast::error_code ec, std::size_t);
    void fail();
    bool resend_after_stale_close();

    Worker& worker_;
    beast::tcp_stream stream_;
    net::steady_timer retry_;
    beast::flat_buffer buffer_;
    std::optional<http::response_parser<http::string_body>> parser_;
    std::string body_;
    std::string out_;
    Clock::time_point due_;
    bool parked_ = false;  // waited for the pacer: the server may have closed it meanwhile
    bool may_resend_ = false;
    bool resending_ = false;
};

class Worker {
public:
    Worker(const Plan& plan, std::size_t index, std::size_t stride, std::size_t connections, double rate,
           std::uint64_t max_requests)
        : plan_(plan),
          index_(index),
          stride_(stride),
          connections_(connections),
          rate_(rate),
          max_requests_(max_requests),
          pacer_(ioc_) {
        const auto seconds = std::chrono::duration<double>(plan.end - plan.start).count();
        tally.latencies_ns.reserve(rate > 0 ? static_cast<std::size_t>(rate * seconds * 1.1) + 16 : 1 << 20);
    }

    void run() {
        for (std::size_t i = 0; i < connections_; ++i) {
            conns_.push_back(std::make_shared<Conn>(*this, ioc_));
            conns_.back()->start();
        }
        conns_.clear();  // the connections keep themselves alive
        if (rate_ > 0) {
            pacer_.expires_at(plan_.start);
            pacer_.async_wait([this](beast::error_code) { on_pace(); });
        }
        ioc_.run();
    }

    // The next request for a connection that is free, with the time it was due.
    bool take(Clock::time_point& due) {
        if (rate_ > 0) {
            if (backlog_.empty()) return false;
            due = backlog_.front();
            backlog_.pop_front();
            if (pacing_done_ && backlog_.empty()) pacer_.cancel();  // drained: no need to wait
            return true;
        }
        due = Clock::now();
        if (due >= plan_.end || limit_reached()) return false;
        issued_ += due >= plan_.measure_from ? 1 : 0;  // the warmup does not use up max_requests
        return true;
    }

    // Open loop: a free connection waits for the pacer, unless pacing is over.
    bool park(const std::shared_ptr<Conn>& conn) {
        if (rate_ == 0 || pacing_done_) return false;
        idle_.push_back(conn);
        return true;
    }

    [[nodiscard]] bool finished() const {
        return rate_ > 0 ? pacing_done_ && backlog_.empty() : Clock::now() >= plan_.end || limit_reached();
    }
    [[nodiscard]] const Plan& plan() const { return plan_; }
    std::uint64_t next_body_number() { return index_ + stride_ * bodies_used_++; }

    void record(Clock::time_point due, unsigned status) {
        const auto now = Clock::now();
        if (due < plan_.measure_from) return;
        tally.latencies_ns.push_back(static_cast<std::uint64_t>((now - due).count()));
        ++tally.by_status[status];
        tally.last_response = std::max(tally.last_response, now);
    }

    void record_error() {
        if (Clock::now() >= plan_.measure_from) ++tally.errors;
    }

    Tally tally;

private:
    [[nodiscard]] bool limit_reached() const { return max_requests_ > 0 && issued_ >= max_requests_; }

    Clock::time_point due_time(std::uint64_t n) const {
        return plan_.start + std::chrono::nanoseconds(static_cast<std::int64_t>(static_cast<double>(n) * 1e9 / rate_));
    }

    void on_pace() {
        const auto now = Clock::now();
        for (auto due = due_time(scheduled_); due <= now && due < plan_.end && !limit_reached();
             due = due_time(scheduled_)) {
            backlog_.push_back(due);
            ++scheduled_;
            issued_ += due >= plan_.measure_from ? 1 : 0;
        }
        while (!idle_.empty() && !backlog_.empty()) {
            auto conn = std::move(idle_.back());
            idle_.pop_back();
            Clock::time_point due;
            take(due);
            conn->send(due);
        }
        const auto next = due_time(scheduled_);
        if (next < plan_.end && !limit_reached()) {
            pacer_.expires_at(std::max(next, now + kPacerTick));
            return pacer_.async_wait([this](beast::error_code) { on_pace(); });
        }
        end_pacing();
    }

    // Busy connections drain what is already due, for at most one timeout.
    void end_pacing() {
        pacing_done_ = true;
        for (auto& conn : idle_) conn->stop();
        idle_.clear();
        if (backlog_.empty()) return;
        pacer_.expires_after(plan_.options.timeout);
        pacer_.async_wait([this](beast::error_code) {
            for (auto due : backlog_) tally.not_sent += due >= plan_.measure_from ? 1 : 0;
            backlog_.clear();
        });
    }

    const Plan& plan_;
    std::size_t index_;
    std::size_t stride_;
    std::size_t connections_;
    double rate_;
    std::uint64_t max_requests_;
    net::io_context ioc_{1};
    net::steady_timer pacer_;
    std::vector<std::shared_ptr<Conn>> conns_;
    std::vector<std::shared_ptr<Conn>> idle_;
    std::deque<Clock::time_point> backlog_;
    std::uint64_t issued_ = 0;     // measured requests sent (closed) or scheduled (open)
    std::uint64_t scheduled_ = 0;  // open loop: every request scheduled, warmup included
    std::uint64_t bodies_used_ = 0;
    bool pacing_done_ = false;
};

void Conn::do_connect() {
    stream_.expires_after(worker_.plan().options.timeout);
    stream_.async_connect(worker_.plan().endpoint, beast::bind_front_handler(&Conn::on_connect, shared_from_this()));
}

void Conn::on_connect(beast::error_code ec) {
    if (!ec && resending_) {
        resending_ = false;
        stream_.socket().set_option(tcp::no_delay(true), ec);
        stream_.expires_after(worker_.plan().options.timeout);
        return net::async_write(stream_, net::buffer(out_),
                                beast::bind_front_handler(&Conn::on_write, shared_from_this()));
    }
    if (!ec) {
        stream_.socket().set_option(tcp::no_delay(true), ec);
        if (Clock::now() >= worker_.plan().start) return next();
        retry_.expires_at(worker_.plan().start);  // every connection starts together
        return retry_.async_wait([self = shared_from_this()](beast::error_code) { self->next(); });
    }
    worker_.record_error();
    stream_.close();
    if (worker_.finished()) return;
    retry_.expires_after(std::chrono::milliseconds(50));  // do not spin on a refused port
    retry_.async_wait([self = shared_from_this()](beast::error_code) { self->do_connect(); });
}

void Conn::next() {
    Clock::time_point due;
    if (worker_.take(due)) return send(due);
    parked_ = worker_.park(shared_from_this());
    if (!parked_) stop();  // no more work for this connection
}

void Conn::send(Clock::time_point due) {
    due_ = due;
    may_resend_ = parked_;
    parked_ = false;
    parser_.reset();  // until the write is done: no byte of this answer yet
    worker_.plan().bodies.build(body_, worker_.next_body_number());
    out_.assign(worker_.plan().request_head);
    out_ += std::to_string(body_.size());
    out_ += "\r\n\r\n";
    out_ += body_;
    stream_.expires_after(worker_.plan().options.timeout);
    net::async_write(stream_, net::buffer(out_), beast::bind_front_handler(&Conn::on_write, shared_from_this()));
}

void Conn::on_write(beast::error_code ec, std::size_t) {
    if (ec) return fail();
    parser_.emplace();
    parser_->body_limit(64 * 1024 * 1024);
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Conn::on_read, shared_from_this()));
}

void Conn::on_read(beast::error_code ec, std::size_t) {
    if (ec) return fail();
    worker_.record(due_, parser_->get().result_int());
    if (!parser_->get().need_eof()) return next();
    stream_.close();
    buffer_.clear();
    if (!worker_.finished()) do_connect();
}

bool Conn::resend_after_stale_close() {
    const bool answered = parser_ && parser_->got_some();
    if (!may_resend_ || answered) return false;
    may_resend_ = false;
    resending_ = true;
    stream_.close();
    buffer_.clear();
    do_connect();
    return true;
}

void Conn::fail() {
    if (resend_after_stale_close()) return;
    worker_.record_error();
    stream_.close();
    buffer_.clear();
    if (!worker_.finished()) do_connect();
}

tcp::endpoint resolve(const LoadOptions& o) {
    boost::system::error_code ec;
    const auto address = net::ip::make_address(o.host, ec);
    if (!ec) return {address, o.port};
    net::io_context ioc;
    tcp::resolver resolver(ioc);
    const auto results = resolver.resolve(o.host, std::to_string(o.port), ec);
    if (ec || results.empty()) throw std::runtime_error("cannot resolve " + o.host + ": " + ec.message());
    return *results.begin();
}

std::string request_head(const LoadOptions& o) {
    std::string head = o.method + " " + o.path + " HTTP/1.1\r\nHost: " + o.host + ":" + std::to_string(o.port) +
                       "\r\nContent-Type: " + o.content_type + "\r\n";
    for (const auto& [name, value] : o.headers) head += name + ": " + value + "\r\n";
    return head + "Content-Length: ";
}

double percentile_us(const std::vector<std::uint64_t>& sorted, double p) {
    if (sorted.empty()) return 0;
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
    return static_cast<double>(sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1]) / 1000.0;
}

LoadResult summarize(std::vector<Tally>& tallies, const Plan& plan) {
    LoadResult r;
    std::vector<std::uint64_t> all;
    Clock::time_point last{};
    for (auto& t : tallies) {
        all.insert(all.end(), t.latencies_ns.begin(), t.latencies_ns.end());
        r.errors += t.errors;
        r.not_sent += t.not_sent;
        for (const auto& [status, n] : t.by_status) r.by_status[status] += n;
        last = std::max(last, t.last_response);
    }
    std::sort(all.begin(), all.end());
    r.requests = all.size();
    const auto window = all.empty() ? plan.end - plan.measure_from : last - plan.measure_from;
    r.seconds = std::chrono::duration<double>(window).count();
    r.requests_per_second = r.seconds > 0 ? static_cast<double>(r.requests) / r.seconds : 0;
    double sum = 0;
    for (auto v : all) sum += static_cast<double>(v);
    r.mean_us = all.empty() ? 0 : sum / static_cast<double>(all.size()) / 1000.0;
    r.p50_us = percentile_us(all, 50);
    r.p90_us = percentile_us(all, 90);
    r.p99_us = percentile_us(all, 99);
    r.p999_us = percentile_us(all, 99.9);
    r.max_us = all.empty() ? 0 : static_cast<double>(all.back()) / 1000.0;
    return r;
}

}  // namespace

LoadResult run_load(const LoadOptions& options) {
    if (options.port == 0 || options.connections == 0 || options.threads == 0 || options.rate < 0 ||
        options.threads > options.connections || (options.max_requests && options.max_requests < options.threads)) {
        throw std::invalid_argument(
            "load options: need a port, connections >= threads >= 1, rate >= 0, max_requests 0 or >= threads");
    }
    // The run tag keeps message ids unique across runs against the same database too.
    const auto tag = std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
    const auto start = Clock::now() + std::chrono::milliseconds(20);  // connections open meanwhile
    Plan plan{options,
              BodySource(options.bodies, options.unique_message_ids, tag),
              request_head(options),
              resolve(options),
              start,
              start + options.warmup,
              start + options.warmup + options.duration};

    const auto n = options.threads;
    std::vector<std::unique_ptr<Worker>> workers;
    for (std::size_t i = 0; i < n; ++i) {
        const auto conns = options.connections / n + (i < options.connections % n ? 1 : 0);
        const auto max = options.max_requests / n + (i < options.max_requests % n ? 1 : 0);
        workers.push_back(std::make_unique<Worker>(plan, i, n, conns, options.rate / static_cast<double>(n), max));
    }
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < n; ++i) threads.emplace_back([&, i] { workers[i]->run(); });
    workers[0]->run();
    for (auto& t : threads) t.join();

    std::vector<Tally> tallies;
    for (auto& w : workers) tallies.push_back(std::move(w->tally));
    return summarize(tallies, plan);
}

}  // namespace ir::bench
