// The whole tail loop without a daemon: a real XPUB socket on 127.0.0.1:* (it tells us when
// tail has subscribed) and a small HTTP server answering GET /v1/alerts from a list.
#include <catch2/catch.hpp>

#include <CLI/CLI.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <mutex>
#include <sstream>
#include <thread>
#include <zmq.hpp>

#include "alert_text.hpp"
#include "tail_command.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using ir::cli::TailOptions;
using tcp = asio::ip::tcp;

namespace {

inquiry::v1::Alert make_alert(std::uint64_t seq, const std::string& topic) {
    inquiry::v1::Alert a;
    a.set_seq(seq);
    a.set_kind(inquiry::v1::ALERT_KIND_ESCALATION);
    a.set_clock(inquiry::v1::CLOCK_KIND_FAST);
    a.set_inquiry_id(seq * 10);
    a.set_account("acme");
    a.set_tier(1);
    a.set_topic(topic);
    return a;
}

// Answers GET /v1/alerts?since&topic&limit from `alerts`, one request per connection.
class FakeAlertsApi {
public:
    FakeAlertsApi() : acceptor_(ioc_, {asio::ip::make_address("127.0.0.1"), 0}) {
        thread_ = std::thread([this] { serve(); });
    }
    ~FakeAlertsApi() {
        stop_ = true;
        boost::system::error_code ec;
        tcp::socket poke(ioc_);
        poke.connect(acceptor_.local_endpoint(), ec);  // wakes the accept
        thread_.join();
    }
    FakeAlertsApi(const FakeAlertsApi&) = delete;
    FakeAlertsApi& operator=(const FakeAlertsApi&) = delete;

    std::string host_port() const { return "127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()); }
    void store(const inquiry::v1::Alert& a) {
        std::lock_guard lock(mu_);
        alerts_.push_back(a);
    }
    int requests() const {
        std::lock_guard lock(mu_);
        return requests_;
    }

private:
    void serve() {
        while (!stop_) {
            tcp::socket s(ioc_);
            boost::system::error_code ec;
            acceptor_.accept(s, ec);
            if (ec || stop_) return;
            beast::flat_buffer buf;
            http::request<http::string_body> req;
            http::read(s, buf, req, ec);
            if (ec) continue;
            http::response<http::string_body> res{http::status::ok, 11};
            res.body() = answer(req.target());
            res.prepare_payload();
            http::write(s, res, ec);
        }
    }
    std::string answer(std::string_view target) {
        auto url = boost::urls::parse_origin_form(target);
        std::uint64_t since = 0;
        std::size_t limit = 1000;
        std::string topic;
        for (auto p : url->params()) {
            if (p.key == "since") since = std::stoull(p.value);
            if (p.key == "limit") limit = std::stoul(p.value);
            if (p.key == "topic") topic = p.value;
        }
        std::lock_guard lock(mu_);
        ++requests_;
        json::array out;
        std::uint64_t last = 0;
        for (const auto& a : alerts_) {
            last = std::max<std::uint64_t>(last, a.seq());
            if (a.seq() > since && a.topic().starts_with(topic) && out.size() < limit)
                out.push_back(ir::cli::alert_to_json(a));
        }
        return json::serialize(json::object{{"alerts", out}, {"last_seq", last}});
    }

    asio::io_context ioc_;
    tcp::acceptor acceptor_;
    std::thread thread_;
    std::atomic<bool> stop_{false};
    mutable std::mutex mu_;
    std::vector<inquiry::v1::Alert> alerts_;
    int requests_ = 0;
};

class Publisher {
public:
    Publisher() : socket_(ctx_, zmq::socket_type::xpub) {
        socket_.set(zmq::sockopt::linger, 0);
        socket_.bind("tcp://127.0.0.1:*");
    }
    std::string endpoint() const { return socket_.get(zmq::sockopt::last_endpoint); }
    // Bounded wait for a subscriber's subscription to `topic`.
    bool wait_subscribed(const std::string& topic, std::chrono::milliseconds timeout) {
        const auto end = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < end) {
            zmq::pollitem_t item{socket_.handle(), 0, ZMQ_POLLIN, 0};
            zmq::poll(&item, 1, std::chrono::milliseconds(50));
            zmq::message_t m;
            if ((item.revents & ZMQ_POLLIN) && socket_.recv(m, zmq::recv_flags::dontwait) && m.size() > 0 &&
                m.data<char>()[0] == 1 && m.to_string_view().substr(1) == topic)
                return true;
        }
        return false;
    }
    void publish(const inquiry::v1::Alert& a) {
        const std::string body = a.SerializeAsString();
        socket_.send(zmq::buffer(a.topic()), zmq::send_flags::sndmore);
        socket_.send(zmq::buffer(body), zmq::send_flags::none);
    }

private:
    zmq::context_t ctx_;
    zmq::socket_t socket_;
};

std::vector<std::uint64_t> printed_seqs(const std::string& out) {
    std::vector<std::uint64_t> seqs;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);)
        seqs.push_back(json::value_to<std::uint64_t>(json::parse(line).as_object().at("seq")));
    return seqs;
}

int parse_tail(std::vector<std::string> args, TailOptions& o) {
    CLI::App app;
    auto* cmd = ir::cli::add_tail_subcommand(app, o);
    args.insert(args.begin(), "tail");
    std::reverse(args.begin(), args.end());  // CLI11 takes them back to front
    try {
        app.parse(args);
    } catch (const CLI::ParseError& e) {
        return e.get_exit_code();
    }
    return *cmd ? 0 : -1;
}

}  // namespace

TEST_CASE("tail options choose one topic prefix") {
    TailOptions o;
    REQUIRE(parse_tail({"--escalations", "--account", "acme", "--since", "5", "--for", "1.5", "--json"}, o) == 0);
    CHECK(*ir::cli::tail_topic(o) == "escalation/acme/");
    CHECK(o.since == 5u);
    CHECK(o.for_seconds == 1.5);
    CHECK(o.json);
    TailOptions all;
    REQUIRE(parse_tail({"--escalations"}, all) == 0);
    CHECK(*ir::cli::tail_topic(all) == "escalation/");
    CHECK_FALSE(all.since);
    TailOptions agent;
    REQUIRE(parse_tail({"--agent", "alice"}, agent) == 0);
    CHECK(*ir::cli::tail_topic(agent) == "agent/alice/");
    TailOptions queue;
    REQUIRE(parse_tail({"--queue", "acme"}, queue) == 0);
    CHECK(*ir::cli::tail_topic(queue) == "queue/acme/");
    TailOptions two;
    CHECK(parse_tail({"--agent", "alice", "--queue", "acme"}, two) != 0);
    TailOptions account_alone;
    CHECK(parse_tail({"--queue", "q", "--account", "acme"}, account_alone) != 0);
    TailOptions none;
    REQUIRE(parse_tail({}, none) == 0);
    CHECK_FALSE(ir::cli::tail_topic(none));
    none.agent = "a/b";
    CHECK_FALSE(ir::cli::tail_topic(none));
}

TEST_CASE("tail refuses to start with exit code 2 and says why") {
    TailOptions o;
    o.escalations = true;
    std::ostringstream out, err;
    SECTION("no topic") {
        o.escalations = false;
        CHECK(ir::cli::run_tail(o, out, err) == 2);
        CHECK_THAT(err.str(), Catch::Contains("exactly one of"));
    }
    SECTION("bad --http") {
        o.http = "nowhere";
        CHECK(ir::cli::run_tail(o, out, err) == 2);
        CHECK_THAT(err.str(), Catch::Contains("HOST:PORT"));
    }
    SECTION("bad --sub") {
        o.sub = "nonsense://x";
        CHECK(ir::cli::run_tail(o, out, err) == 2);
        CHECK_THAT(err.str(), Catch::Contains("--sub nonsense://x"));
    }
    SECTION("nothing listens on --http") {
        asio::io_context ioc;
        tcp::acceptor a(ioc, {asio::ip::make_address("127.0.0.1"), 0});
        o.http = "127.0.0.1:" + std::to_string(a.local_endpoint().port());
        a.close();  // the port was free a moment ago; now nothing listens on it
        o.sub = "ipc:///nonexistent/ir-tail.sock";
        CHECK(ir::cli::run_tail(o, out, err) == 2);
        CHECK_THAT(err.str(), Catch::Contains("cannot reach the HTTP API"));
    }
    CHECK(out.str().empty());
}

TEST_CASE("tail back-fills, then merges the live stream, repairing losses, each alert once in seq order") {
    FakeAlertsApi api;
    Publisher pub;
    // Stored before tail starts: 1..6, on our prefix and others.
    const std::vector<std::pair<std::uint64_t, std::string>> before = {
        {1, "escalation/acme/"}, {2, "queue/acme/"},      {3, "escalation/acme/"},
        {4, "agent/alice/"},     {5, "escalation/zeta/"}, {6, "escalation/acme/"}};
    for (const auto& [seq, topic] : before) api.store(make_alert(seq, topic));

    TailOptions o;
    o.escalations = true;
    o.account = "acme";
    o.since = 1;
    o.json = true;
    o.http = api.host_port();
    o.sub = pub.endpoint();
    o.for_seconds = 3.0;
    o.quiet_check = std::chrono::milliseconds(300);
    std::ostringstream out, err;
    int code = -1;
    std::thread tail([&] { code = ir::cli::run_tail(o, out, err); });
    REQUIRE(pub.wait_subscribed("escalation/acme/", std::chrono::seconds(5)));

    // Live: 6 again (a duplicate of the back-fill), 7 on another topic (not seen), 8 lost,
    // 9 published, 10 on another topic, 11 published, 12 lost at the very end.
    auto live = [&](std::uint64_t seq, const std::string& topic, bool deliver) {
        const auto a = make_alert(seq, topic);
        api.store(a);
        if (deliver) pub.publish(a);
    };
    pub.publish(make_alert(6, "escalation/acme/"));
    live(7, "queue/acme/", false);
    live(8, "escalation/acme/", false);
    live(9, "escalation/acme/", true);
    live(10, "agent/bob/", false);
    live(11, "escalation/acme/", true);
    live(12, "escalation/acme/", false);  // only the quiet-time check can find it
    tail.join();

    CHECK(code == 0);
    INFO(err.str());
    CHECK(printed_seqs(out.str()) == std::vector<std::uint64_t>{3, 6, 8, 9, 11, 12});
    CHECK(api.requests() >= 3);
}
