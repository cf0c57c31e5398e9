#pragma once
// bench_notify's receiver: answers every POST with 200 "ok" and notes, per path, when each
// alert seq (X-Inquiry-Alert-Seqs, "3-5,9") first arrived. Beast's default limits, as a
// real server has them: a request whose headers pass 8 KB is refused.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace bench_notify {

inline std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

class Receiver {
public:
    Receiver() : acceptor_(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
        accept();
        thread_ = std::thread([this] { ioc_.run(); });
    }
    ~Receiver() {
        ioc_.stop();
        thread_.join();
    }
    unsigned short port() const { return acceptor_.local_endpoint().port(); }
    struct Stats {
        std::vector<std::int64_t> arrival_ms;  // by seq; 0: not yet
        std::size_t messages = 0, alerts = 0;
    };
    std::map<std::string, Stats> stats() {
        std::lock_guard lock(mutex_);
        return stats_;
    }
    std::size_t refused() {
        std::lock_guard lock(mutex_);
        return refused_;
    }

private:
    using Request = boost::beast::http::request<boost::beast::http::string_body>;
    using Socket = boost::asio::ip::tcp::socket;

    void accept() {
        acceptor_.async_accept([this](boost::system::error_code ec, Socket s) {
            if (!ec) serve(std::make_shared<Socket>(std::move(s)));
            accept();
        });
    }
    void serve(std::shared_ptr<Socket> s) {
        namespace http = boost::beast::http;
        auto buf = std::make_shared<boost::beast::flat_buffer>();
        auto req = std::make_shared<Request>();
        http::async_read(*s, *buf, *req, [this, s, buf, req](boost::system::error_code ec, std::size_t) {
            if (ec) {
                std::lock_guard lock(mutex_);
                ++refused_;
                return;
            }
            record(*req);
            auto res = std::make_shared<http::response<http::string_body>>(http::status::ok, 11);
            res->body() = "ok";
            res->keep_alive(false);
            res->prepare_payload();
            http::async_write(*s, *res, [s, res](boost::system::error_code, std::size_t) {});
        });
    }
    void record(const Request& req) {
        const auto at = now_ms();
        std::lock_guard lock(mutex_);
        const auto target = req.target();  // DingTalk's signature is in the query: keyed by the path
        auto& st = stats_[std::string(target.substr(0, target.find('?')))];
        ++st.messages;
        const std::string seqs(req["X-Inquiry-Alert-Seqs"]);
        for (std::size_t pos = 0; pos < seqs.size();) {
            const auto comma = std::min(seqs.find(',', pos), seqs.size());
            char* end = nullptr;
            const auto first = std::strtoull(seqs.c_str() + pos, &end, 10);
            const auto last = *end == '-' ? std::strtoull(end + 1, nullptr, 10) : first;
            if (st.arrival_ms.size() <= last) st.arrival_ms.resize(last + 1, 0);
            for (auto seq = first; seq <= last; ++seq)
                if (st.arrival_ms[seq] == 0) ++st.alerts, st.arrival_ms[seq] = at;
            pos = comma + 1;
        }
    }

    boost::asio::io_context ioc_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::thread thread_;
    std::mutex mutex_;
    std::map<std::string, Stats> stats_;
    std::size_t refused_ = 0;
};

}  // namespace bench_notify
