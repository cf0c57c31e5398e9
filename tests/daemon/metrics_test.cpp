#include <ir/daemon/metrics.hpp>

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace ir::daemon::metrics;

TEST_CASE("metrics: counters, labels and gauges render in the text format", "[metrics]") {
    Registry r;
    auto& ok = r.counter("http_requests_total", "Requests by class", {{"code", "2xx"}});
    auto& bad = r.counter("http_requests_total", "Requests by class", {{"code", "4xx"}});
    auto& up = r.gauge("up_connections", "Open\nconnections \\ now");
    auto& plain = r.counter("events_total", "Events");
    ok.inc();
    ok.inc(41);
    bad.inc();
    up.set(3);
    up.dec(0.5);
    CHECK(&r.counter("http_requests_total", "Requests by class", {{"code", "2xx"}}) == &ok);
    plain.inc(7);
    r.counter("odd_total", "Escapes", {{"path", "a\"b\\c\nd"}, {"z", ""}});

    CHECK(r.render() ==
          "# HELP events_total Events\n"
          "# TYPE events_total counter\n"
          "events_total 7\n"
          "# HELP http_requests_total Requests by class\n"
          "# TYPE http_requests_total counter\n"
          "http_requests_total{code=\"2xx\"} 42\n"
          "http_requests_total{code=\"4xx\"} 1\n"
          "# HELP odd_total Escapes\n"
          "# TYPE odd_total counter\n"
          "odd_total{path=\"a\\\"b\\\\c\\nd\",z=\"\"} 0\n"
          "# HELP up_connections Open\\nconnections \\\\ now\n"
          "# TYPE up_connections gauge\n"
          "up_connections 2.5\n");
}

TEST_CASE("metrics: histogram buckets are cumulative, with sum and count", "[metrics]") {
    Registry r;
    auto& h = r.histogram("latency_seconds", "Latency", {0.005, 0.1, 1});
    for (double v : {0.001, 0.005, 0.05, 0.2, 0.3, 7.0}) h.observe(v);
    auto& labelled = r.histogram("size_bytes", "Sizes", {10}, {{"kind", "body"}});
    labelled.observe(20);

    CHECK(r.render() ==
          "# HELP latency_seconds Latency\n"
          "# TYPE latency_seconds histogram\n"
          "latency_seconds_bucket{le=\"0.005\"} 2\n"  // 0.005 itself is "le"
          "latency_seconds_bucket{le=\"0.1\"} 3\n"
          "latency_seconds_bucket{le=\"1\"} 5\n"
          "latency_seconds_bucket{le=\"+Inf\"} 6\n"
          "latency_seconds_sum 7.556\n"
          "latency_seconds_count 6\n"
          "# HELP size_bytes Sizes\n"
          "# TYPE size_bytes histogram\n"
          "size_bytes_bucket{kind=\"body\",le=\"10\"} 0\n"
          "size_bytes_bucket{kind=\"body\",le=\"+Inf\"} 1\n"
          "size_bytes_sum{kind=\"body\"} 20\n"
          "size_bytes_count{kind=\"body\"} 1\n");
}

TEST_CASE("metrics: programmer errors are refused", "[metrics]") {
    Registry r;
    r.counter("a_total", "A");
    CHECK_THROWS_AS(r.gauge("a_total", "A"), std::invalid_argument);
    CHECK_THROWS_AS(r.counter("1bad", "B"), std::invalid_argument);
    CHECK_THROWS_AS(r.counter("ok_total", "B", {{"bad-label", "x"}}), std::invalid_argument);
    CHECK_THROWS_AS(r.histogram("h", "H", {1, 0.5}), std::invalid_argument);
    CHECK_THROWS_AS(r.histogram("h2", "H", {1}, {{"le", "x"}}), std::invalid_argument);
}
