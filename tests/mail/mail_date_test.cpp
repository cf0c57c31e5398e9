// Date: is taken only within date_skew of the receiving server's Received: time (or arrival).
#include <catch2/catch.hpp>

#include "ir/adapters/event_json.hpp"
#include "ir/adapters/mail_date.hpp"
#include "ir/adapters/mail_parser.hpp"
#include "ir/adapters/mail_wire.hpp"

using namespace ir;
using namespace std::chrono_literals;

namespace {

sla::TimePoint at(const char* rfc3339) {
    return *adapters::parse_rfc3339(rfc3339);
}

std::string text(sla::TimePoint t) {
    return adapters::format_rfc3339(t);
}

const sla::TimePoint kArrival = at("2026-12-07T10:00:30Z");
const sla::TimePoint kReceived = at("2026-12-07T10:00:00Z");

}  // namespace

TEST_CASE("Date: within the skew of the topmost Received: is the buyer's time") {
    const auto r = adapters::received_time(at("2026-12-07T09:50:00Z"), kReceived, kArrival, 15min);
    CHECK(text(r.at) == "2026-12-07T09:50:00Z");
    CHECK(r.clamped.empty());
    CHECK(adapters::received_time(at("2026-12-07T10:14:00Z"), kReceived, kArrival, 15min).clamped.empty());
}

TEST_CASE("a backdated Date: is clamped to the Received: time, so the mail does not arrive breached") {
    const auto r = adapters::received_time(at("2026-12-04T08:00:00Z"), kReceived, kArrival, 15min);
    CHECK(text(r.at) == "2026-12-07T10:00:00Z");
    CHECK(r.clamped ==
          "Date: 2026-12-04T08:00:00Z is 3d 2h before the topmost Received: 2026-12-07T10:00:00Z (date_skew 15m): "
          "that time taken");
    SECTION("a wider skew takes it") {
        CHECK(adapters::received_time(at("2026-12-04T08:00:00Z"), kReceived, kArrival, 96h).clamped.empty());
    }
}

TEST_CASE("a Date: in the future is clamped too, so it cannot hold the clocks off") {
    const auto r = adapters::received_time(at("2026-12-08T10:00:00Z"), kReceived, kArrival, 15min);
    CHECK(text(r.at) == "2026-12-07T10:00:00Z");
    CHECK(r.clamped.find("is 1d after the topmost Received:") != std::string::npos);
}

TEST_CASE("without a readable Received: (or one stamped after the arrival) the arrival is the reference") {
    auto r = adapters::received_time(at("2026-12-01T10:00:00Z"), std::nullopt, kArrival, 15min);
    CHECK(r.at == kArrival);
    CHECK(r.clamped.find("before its arrival 2026-12-07T10:00:30Z") != std::string::npos);
    r = adapters::received_time(at("2026-12-09T10:00:00Z"), at("2026-12-09T10:00:00Z"), kArrival, 15min);
    CHECK(r.at == kArrival);  // a Received: of the future is no better than the Date:
    r = adapters::received_time(std::nullopt, kReceived, kArrival, 15min);
    CHECK(r.at == kReceived);
    CHECK(r.clamped == "no readable Date:; the topmost Received: 2026-12-07T10:00:00Z taken");
}

TEST_CASE("parse_mail reads the topmost Received: (folded, after its last ';'), not a forged one below") {
    adapters::MailOptions o;
    o.account = "alibaba-electronics";
    o.arrival = kArrival;
    const std::string raw =
        "Received: from mail.weber-handel.de (mail.weber-handel.de [192.0.2.7])\r\n"
        "\tby mx.seller.example with ESMTPS id 4Qx7; \r\n\tMon, 07 Dec 2026 11:00:00 +0100\r\n"
        "Received: from forged by forged; Fri, 04 Dec 2026 08:00:00 +0000\r\n"
        "From: Jonas Weber <j.weber@weber-handel.de>\r\nTo: sales@seller.example\r\n"
        "Date: Fri, 04 Dec 2026 08:00:00 +0000\r\nMessage-ID: <old@x>\r\nSubject: X9\r\n\r\nPrice?\r\n";
    std::string note;
    auto r = adapters::parse_mail(raw, o, &note);
    REQUIRE(std::holds_alternative<router::Event>(r));
    CHECK(text(std::get<router::Event>(r).received_at) == "2026-12-07T10:00:00Z");
    CHECK(note.find("Date: 2026-12-04T08:00:00Z is 3d 2h before the topmost Received:") == 0);

    SECTION("the note travels through the worker protocol") {
        std::string back_note;
        auto back = adapters::decode_mail_result(adapters::encode_mail_result(r, note), &back_note);
        REQUIRE(back);
        CHECK(back_note == note);
    }
    SECTION("no Received: at all: the arrival") {
        auto plain = adapters::parse_mail(raw.substr(raw.find("From:")), o, &note);
        CHECK(std::get<router::Event>(plain).received_at == kArrival);
    }
    SECTION("a Received: without a date that parses: the arrival") {
        auto bad = adapters::parse_mail("Received: from x by y; not a date\r\n" + raw.substr(raw.find("From:")), o);
        CHECK(std::get<router::Event>(bad).received_at == kArrival);
    }
}
