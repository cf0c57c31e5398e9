#include <catch2/catch.hpp>

#include "ir/adapters/mail_wire.hpp"

using namespace ir;

TEST_CASE("requests and results survive the worker protocol") {
    adapters::MailOptions o;
    o.account = "acc";
    o.own_addresses = {"a@b.c"};
    o.arrival = sla::from_unix_ms(123456);
    o.date_skew = std::chrono::minutes(7);
    o.outbound = true;
    const std::string raw = "From: x@y.z\r\n\r\nbinary \0 bytes\n";
    auto req = adapters::decode_mail_request(adapters::encode_mail_request(raw, o));
    REQUIRE(req);
    CHECK(req->options == o);
    CHECK(req->raw == raw);

    router::Event e;
    e.account = "acc", e.message_id = "<m@x>", e.thread_id = "<t@x>", e.body = "b";
    for (const adapters::MailResult& r :
         {adapters::MailResult{e}, adapters::MailResult{adapters::MailNotInquiry{"r", "f", "<m>"}},
          adapters::MailResult{adapters::MailError{"bad"}}}) {
        auto back = adapters::decode_mail_result(adapters::encode_mail_result(r));
        REQUIRE(back);
        CHECK(*back == r);
    }
    CHECK(!adapters::decode_mail_result("{\"kind\":\"event\",\"event\":{}}"));
    CHECK(!adapters::decode_mail_result("nonsense"));
}

TEST_CASE("frame headers are bounded") {
    auto h = adapters::read_frame_header(adapters::frame("hello"), 100);
    REQUIRE(h);
    REQUIRE(*h);
    CHECK((*h)->header_bytes == 2);
    CHECK((*h)->payload_bytes == 5);
    CHECK(!adapters::read_frame_header("1000\n", 100));
    CHECK(!adapters::read_frame_header("12a\n", 100));
    CHECK(!adapters::read_frame_header(std::string(40, '1'), 100));
    auto partial = adapters::read_frame_header("12", 100);
    REQUIRE(partial);
    CHECK(!*partial);
}
