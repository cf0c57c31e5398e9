#include <catch2/catch.hpp>

#include "ir/notify/verdict.hpp"

using namespace ir::notify;
using namespace std::chrono_literals;

namespace {
ir::Expected<HttpAnswer> answer(unsigned status, std::string body, Headers headers = {}) {
    return HttpAnswer{status, std::move(headers), std::move(body)};
}
const auto kNow = ir::sla::from_unix_ms(1445412480000);  // Wed, 21 Oct 2015 07:28:00 GMT
}  // namespace

TEST_CASE("5xx and network errors are retried; 4xx are not, except 429") {
    CHECK(judge_http(Kind::slack, answer(200, "ok"), kNow).outcome == Verdict::delivered);
    CHECK(judge_http(Kind::slack, answer(503, "busy"), kNow).outcome == Verdict::retry);
    CHECK(judge_http(Kind::slack, ir::Error("connection refused", "network"), kNow).outcome == Verdict::retry);
    CHECK(judge_http(Kind::slack, answer(400, "invalid_payload"), kNow).outcome == Verdict::rejected);
    CHECK(judge_http(Kind::slack, answer(404, "no_service"), kNow).outcome == Verdict::rejected);
    const auto v = judge_http(Kind::slack, answer(429, "", {{"retry-after", "7"}}), kNow);
    CHECK(v.outcome == Verdict::wait);
    CHECK(v.wait_for == 7000ms);
}

TEST_CASE("Retry-After in seconds or as an HTTP-date") {
    CHECK(parse_retry_after("120", kNow) == Millis(120'000));
    CHECK(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", kNow) == Millis(30'000));
    CHECK(parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", kNow) == Millis(0));
    CHECK_FALSE(parse_retry_after("soon", kNow));
}

TEST_CASE("the robots' 200 answers carry their own error codes") {
    CHECK(judge_http(Kind::dingtalk, answer(200, R"({"errcode":0,"errmsg":"ok"})"), kNow).outcome ==
          Verdict::delivered);
    CHECK(judge_http(Kind::dingtalk, answer(200, R"({"errcode":310000,"errmsg":"sign not match"})"), kNow).outcome ==
          Verdict::rejected);
    CHECK(judge_http(Kind::dingtalk, answer(200, R"({"errcode":130101,"errmsg":"send too fast"})"), kNow).outcome ==
          Verdict::wait);
    CHECK(judge_http(Kind::wecom, answer(200, R"({"errcode":45009,"errmsg":"freq"})"), kNow).outcome == Verdict::wait);
    CHECK(judge_http(Kind::feishu, answer(200, R"({"code":19021,"msg":"sign match fail"})"), kNow).outcome ==
          Verdict::rejected);
    CHECK(judge_http(Kind::feishu, answer(200, R"({"StatusCode":0})"), kNow).outcome == Verdict::delivered);
    const auto t = judge_http(Kind::telegram, answer(429, R"({"ok":false,"parameters":{"retry_after":3}})"), kNow);
    CHECK(t.outcome == Verdict::wait);
    CHECK(t.wait_for == 3000ms);
}

TEST_CASE("commands: 0 delivered, 75 and timeouts retried, other exits refused") {
    CHECK(judge_command(CommandResult{0, 0, false, ""}).outcome == Verdict::delivered);
    CHECK(judge_command(CommandResult{75, 0, false, ""}).outcome == Verdict::retry);
    CHECK(judge_command(CommandResult{-1, 0, true, ""}).outcome == Verdict::retry);
    CHECK(judge_command(CommandResult{1, 0, false, "no such user"}).outcome == Verdict::rejected);
    CHECK(judge_command(ir::Error("cannot run", "command")).outcome == Verdict::retry);
}

TEST_CASE("run_command feeds stdin and collects the output, within its deadline") {
    auto r = run_command({"/bin/sh", "-c", "tr a-z A-Z"}, "hello\n", 5000ms);
    REQUIRE(r);
    CHECK(r->exit_code == 0);
    CHECK(r->output == "HELLO\n");
    auto slow = run_command({"/bin/sleep", "5"}, "", 200ms);
    REQUIRE(slow);
    CHECK(slow->timed_out);
    CHECK_FALSE(run_command({"/nonexistent/program"}, "", 1000ms).has_value());
}
