#pragma once
// A socket-free transport for HttpSession: Beast's test stream plus the deadline the
// session sets, which fails the pending operation with beast::error::timeout as
// beast::tcp_stream does. The test stream has no half-close and no cancel of its own:
// both close it (the peer reads eof), which is what the session does next anyway.

#include <ir/daemon/http_session.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/_experimental/test/stream.hpp>

#include <chrono>
#include <utility>

namespace ir::daemon::test {

class TestTransport {
public:
    using executor_type = boost::beast::test::stream::executor_type;

    explicit TestTransport(boost::asio::io_context& ioc) : stream_(ioc), timer_(ioc) {}
    TestTransport(boost::asio::io_context& ioc, boost::beast::test::fail_count& fc) : stream_(ioc, fc), timer_(ioc) {}

    boost::beast::test::stream& inner() noexcept { return stream_; }
    executor_type get_executor() noexcept { return stream_.get_executor(); }

    template <class Buffers, class Handler>
    void async_read_some(const Buffers& buffers, Handler&& handler) {
        stream_.async_read_some(buffers, with_timeout(std::forward<Handler>(handler)));
    }

    template <class Buffers, class Handler>
    void async_write_some(const Buffers& buffers, Handler&& handler) {
        stream_.async_write_some(buffers, with_timeout(std::forward<Handler>(handler)));
    }

    // Only once the session owns the transport: the timer's handler refers to `this`.
    void expires_after(std::chrono::milliseconds d) {
        timed_out_ = false;
        timer_.expires_after(d);
        timer_.async_wait([this](boost::beast::error_code ec) {
            if (ec) return;  // re-armed, or the transport is gone
            timed_out_ = true;
            stream_.close();  // completes the pending read with an error
        });
    }

    void cancel() { stream_.close(); }
    void close() {
        timer_.cancel();
        stream_.close();
    }
    std::size_t available() noexcept { return stream_.buffer().size(); }

private:
    template <class Handler>
    auto with_timeout(Handler&& handler) {
        return [this, h = std::forward<Handler>(handler)](boost::beast::error_code ec, std::size_t n) mutable {
            if (ec && timed_out_) ec = boost::beast::error::timeout;
            std::move(h)(ec, n);
        };
    }

    boost::beast::test::stream stream_;
    boost::asio::steady_timer timer_;
    bool timed_out_ = false;
};

}  // namespace ir::daemon::test

template <>
struct ir::daemon::detail::TransportOps<ir::daemon::test::TestTransport> {
    using Stream = ir::daemon::test::TestTransport;
    static void expires_after(Stream& s, std::chrono::milliseconds d) { s.expires_after(d); }
    static void cancel(Stream& s) { s.cancel(); }
    static void close(Stream& s) { s.close(); }
    static void shutdown_send(Stream& s, boost::beast::error_code&) { s.cancel(); }
    static std::size_t available(Stream& s, boost::beast::error_code&) { return s.available(); }
};
