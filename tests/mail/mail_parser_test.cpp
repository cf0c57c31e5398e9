#include <catch2/catch.hpp>

#include "ir/adapters/event_json.hpp"
#include "ir/adapters/mail_parser.hpp"

using namespace ir;
using adapters::MailOptions;

namespace {

MailOptions options() {
    MailOptions o;
    o.account = "alibaba-electronics";
    o.own_addresses = {"sales@seller.example"};
    o.arrival = *adapters::parse_rfc3339("2026-11-20T08:20:00Z");  // 5 minutes after the Date: of simple()
    return o;
}

router::Event event_of(const std::string& raw, const MailOptions& o = options()) {
    auto r = adapters::parse_mail(raw, o);
    if (auto* err = std::get_if<adapters::MailError>(&r)) FAIL("error: " << err->reason);
    if (auto* ni = std::get_if<adapters::MailNotInquiry>(&r)) FAIL("not an inquiry: " << ni->reason);
    return std::get<router::Event>(r);
}

std::string not_inquiry(const std::string& raw) {
    auto r = adapters::parse_mail(raw, options());
    REQUIRE(std::holds_alternative<adapters::MailNotInquiry>(r));
    return std::get<adapters::MailNotInquiry>(r).reason;
}

std::string simple(const std::string& headers, const std::string& body) {
    return "From: Jonas Weber <j.weber@weber-handel.de>\r\nTo: sales@seller.example\r\n"
           "Date: Fri, 20 Nov 2026 08:15:00 +0000\r\n" +
           headers + "\r\n" + body;
}

}  // namespace

TEST_CASE("a plain mail becomes an inbound email event") {
    auto e = event_of(simple("Message-ID: <CAF1x2@mail.example.de>\r\nSubject: X9 smart watch - 500 pcs\r\n",
                             "Hello,\r\nwe need 500 pcs of the X9 smart watch.\r\n"));
    CHECK(e.channel == router::Channel::email);
    CHECK(e.account == "alibaba-electronics");
    CHECK(e.message_id == "<CAF1x2@mail.example.de>");
    CHECK(e.thread_id == "<CAF1x2@mail.example.de>");
    CHECK(adapters::format_rfc3339(e.received_at) == "2026-11-20T08:15:00Z");
    CHECK(e.direction == router::Direction::inbound);
    CHECK(e.sender.name == "Jonas Weber");
    CHECK(e.sender.email == "j.weber@weber-handel.de");
    CHECK(e.sender.country == "DE");
    CHECK(e.subject == "X9 smart watch - 500 pcs");
    CHECK(e.body == "Hello,\nwe need 500 pcs of the X9 smart watch.");
    CHECK(e.attachments == 0);
}

TEST_CASE("encoded words in several charsets are decoded to UTF-8") {
    auto e = event_of(
        "From: =?UTF-8?B?5L2g5aW9?= <buyer@example.cn>\r\n"
        "Subject: =?ISO-8859-1?Q?Gr=FC=DFe?= =?GB2312?B?xOO6ww==?= =?Shift_JIS?B?grGC8YLJgr+CzQ==?=\r\n"
        "Message-ID: <a@b>\r\n\r\nbody\r\n");
    CHECK(e.sender.name == "你好");
    CHECK(e.subject == "Grüße你好こんにちは");
}

TEST_CASE("bodies in legacy charsets are converted to UTF-8") {
    auto body_in = [](const std::string& charset, const std::string& bytes) {
        return event_of(simple("Message-ID: <c@d>\r\nContent-Type: text/plain; charset=" + charset +
                                   "\r\nContent-Transfer-Encoding: 8bit\r\n",
                               bytes))
            .body;
    };
    CHECK(body_in("ISO-8859-1",
                  "Gr\xFC\xDF"
                  "e") == "Grüße");
    CHECK(body_in("windows-1252",
                  "\x80"
                  "5 \x93ok\x94") == "€5 “ok”");
    CHECK(body_in("GB2312", "\xC4\xE3\xBA\xC3") == "你好");
    CHECK(body_in("Shift_JIS", "\x82\xB1\x82\xF1\x82\xC9\x82\xBF\x82\xCD") == "こんにちは");
    CHECK(body_in("koi8-r", "\xF0\xD2\xC9\xD7\xC5\xD4") == "Привет");
    // No charset and not UTF-8: read as Windows-1252 rather than dropped.
    CHECK(event_of(simple("Message-ID: <e@f>\r\n", "caf\xE9")).body == "café");
    // Bytes Windows-1252 leaves undefined (0x81): read as Latin-1, nothing lost.
    CHECK(event_of(simple("Message-ID: <e2@f>\r\n", "x\x81y")).body == "x\u0081y");
    // A charset nobody knows: still valid UTF-8.
    CHECK(body_in("x-unknown", "abc \xFF").find("abc") == 0);
}

TEST_CASE("multipart/alternative prefers text/plain - HTML-only mail is stripped to text") {
    const std::string alt =
        simple("Message-ID: <g@h>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=XX\r\n",
               "--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlain version\r\n"
               "--XX\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>HTML version</p>\r\n--XX--\r\n");
    CHECK(event_of(alt).body == "Plain version");
    const std::string html =
        simple("Message-ID: <i@j>\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n",
               "<html><head><style>p{color:red}</style><title>T</title></head><body><script>alert(1)</script>"
               "<p>Price for 200&nbsp;pcs &amp; MOQ?</p><div>Caf&#233; &#x4F60;&lt;ok&gt;</div>"
               "<blockquote>old quoted text</blockquote></body></html>");
    CHECK(event_of(html).body == "Price for 200 pcs & MOQ?\nCafé 你<ok>");
}

TEST_CASE("attachments are counted, not read as body") {
    const std::string mixed = simple(
        "Message-ID: <k@l>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=YY\r\n",
        "--YY\r\nContent-Type: text/plain\r\n\r\nSee the drawings.\r\n"
        "--YY\r\nContent-Type: application/pdf; name=a.pdf\r\nContent-Disposition: attachment; filename=a.pdf\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n"
        "--YY\r\nContent-Type: image/png\r\nContent-Disposition: inline\r\n\r\nxx\r\n"
        "--YY\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=spec.txt\r\n\r\nspec\r\n"
        "--YY--\r\n");
    auto e = event_of(mixed);
    CHECK(e.body == "See the drawings.");
    CHECK(e.attachments == 3);
}

TEST_CASE("quoted history and the signature stay out of the body - contact comes from the signature") {
    const std::string body =
        "Hi,\r\nplease quote 1000 pcs of the X9 watch.\r\n\r\nBest regards,\r\nJonas Weber\r\n"
        "Weber Handel GmbH\r\nTel: +49 30 1234567\r\nWhatsApp: +49 151 12345678\r\n"
        "Address: Friedrichstr. 10, 10117 Berlin\r\n\r\n"
        "On Thu, 19 Nov 2026 at 10:00, Sales <sales@seller.example> wrote:\r\n> Thank you for your interest.\r\n"
        "> Our price list is attached.\r\n";
    auto e = event_of(simple("Message-ID: <m@n>\r\nFrom: j.weber@weber-handel.de\r\n", body));
    CHECK(e.body == "Hi,\nplease quote 1000 pcs of the X9 watch.");
    CHECK(e.sender.company == "Weber Handel GmbH");
    CHECK(e.sender.phone == "+49 30 1234567");
    CHECK(e.sender.im == "whatsapp:+4915112345678");
    CHECK(e.sender.address == "Friedrichstr. 10, 10117 Berlin");
    CHECK(e.sender.country == "DE");

    const std::string outlook =
        "Can you ship to Lyon?\r\n-- \r\nMarie Dupont\r\nMob. +33 6 12 34 56 78\r\n\r\n"
        "________________________________\r\nFrom: Sales <sales@seller.example>\r\nSent: Monday\r\nSubject: Re\r\n";
    auto f = event_of("From: marie@example.com\r\nMessage-ID: <o@p>\r\n\r\n" + outlook);
    CHECK(f.body == "Can you ship to Lyon?");
    CHECK(f.sender.name == "Marie Dupont");
    CHECK(f.sender.phone == "+33 6 12 34 56 78");
    CHECK(f.sender.country == "FR");

    auto g = event_of(
        simple("Message-ID: <q@r>\r\n", "Price?\r\n\r\n-----Original Message-----\r\nFrom: x\r\nold text\r\n"));
    CHECK(g.body == "Price?");
}

TEST_CASE("replies join their conversation by References, else In-Reply-To") {
    auto a = event_of(simple("Message-ID: <r2@x>\r\nIn-Reply-To: <r1@x>\r\nReferences: <r0@x> <r1@x>\r\n", "b"));
    CHECK(a.thread_id == "<r0@x>");
    auto b = event_of(simple("Message-ID: <r3@x>\r\nIn-Reply-To: <r1@x>\r\n", "b"));
    CHECK(b.thread_id == "<r1@x>");
}

TEST_CASE("mail from our own address is outbound with the trusted server's dmarc=pass, or from the Sent folder") {
    auto o = options();
    o.trusted_authserv_id = "mx.example.com";
    const std::string reply =
        "From: Sales <Sales@Seller.Example>\r\nTo: j@x.de\r\nMessage-ID: <s@x>\r\n"
        "In-Reply-To: <CAF1x2@mail.example.de>\r\n\r\nHere is our quote.\r\n";
    auto e = event_of(
        "Authentication-Results: mx.example.com;\r\n dkim=pass; dmarc=pass header.from=seller.example\r\n" + reply, o);
    CHECK(e.direction == router::Direction::outbound);
    CHECK(e.thread_id == "<CAF1x2@mail.example.de>");
    o.outbound = true;
    CHECK(event_of(simple("Message-ID: <t@x>\r\n", "x"), o).direction == router::Direction::outbound);
}

TEST_CASE("a forged From: our own address is an inbound mail") {
    auto o = options();
    o.trusted_authserv_id = "mx.example.com";
    const std::string reply =
        "From: Sales <sales@seller.example>\r\nTo: sales@seller.example\r\nMessage-ID: <f@x>\r\n"
        "In-Reply-To: <CAF1x2@mail.example.de>\r\n\r\nHere is our quote.\r\n";
    CHECK(event_of(reply, o).direction == router::Direction::inbound);  // no Authentication-Results
    CHECK(event_of("Authentication-Results: mx.example.com; dmarc=fail\r\n"
                   "Authentication-Results: mx.example.com; dmarc=pass\r\n" +
                       reply,
                   o)
              .direction == router::Direction::inbound);  // the sender's own header, below the real one
    CHECK(event_of("Authentication-Results: mx.attacker.example; dmarc=pass\r\n" + reply, o).direction ==
          router::Direction::inbound);
    CHECK(event_of("Authentication-Results: mx.example.com; dmarc=pass\r\n" + reply, options()).direction ==
          router::Direction::inbound);  // no trusted server configured
}

TEST_CASE("Amazon buyer messages relayed by mail are marketplace events") {
    auto e = event_of(
        "From: \"Jane Doe - Amazon Marketplace\" <8xk2m3zq@marketplace.amazon.de>\r\n"
        "Message-ID: <amz1@amazon.de>\r\nSubject: Question about the X9\r\n\r\nDoes it fit?\r\n");
    CHECK(e.channel == router::Channel::marketplace);
    CHECK(e.sender.name == "Jane Doe");
    auto c = event_of("From: abc@marketplace.amazon.com\r\nMessage-ID: <amz2@amazon.com>\r\n\r\nHi\r\n");
    CHECK(c.channel == router::Channel::marketplace);
}

TEST_CASE("bounces, delivery reports and auto-replies are not inquiries") {
    CHECK(not_inquiry("From: MAILER-DAEMON@mx.example\r\nSubject: Undelivered\r\n\r\nsorry\r\n").find("bounce") == 0);
    CHECK(not_inquiry("From: postmaster@mx.example\r\n\r\nx\r\n").find("bounce") == 0);
    CHECK(not_inquiry("From: a@b.c\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=Z\r\n\r\n"
                      "--Z\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--Z--\r\n")
              .find("delivery report") == 0);
    CHECK(not_inquiry("From: a@b.c\r\nAuto-Submitted: auto-replied\r\n\r\nI am away\r\n") ==
          "automatic mail (Auto-Submitted: auto-replied)");
    CHECK(not_inquiry("From: a@b.c\r\nX-Autoreply: yes\r\n\r\nI am away\r\n").find("auto-reply") == 0);
    CHECK(not_inquiry("From: a@b.c\r\nPrecedence: bulk\r\n\r\nnews\r\n").find("automatic mail") == 0);
    // "Auto-Submitted: no" is a person's mail.
    CHECK(event_of(simple("Auto-Submitted: no\r\nMessage-ID: <u@x>\r\n", "hi")).body == "hi");
}

TEST_CASE("a mail without Message-ID gets a stable id from its bytes") {
    const std::string raw = simple("Subject: no id\r\n", "hello");
    auto a = event_of(raw), b = event_of(raw), c = event_of(raw + "!");
    CHECK(a.message_id == b.message_id);
    CHECK(a.message_id != c.message_id);
    CHECK(a.message_id.rfind("<sha256-", 0) == 0);
    CHECK(a.thread_id == a.message_id);
    auto o = options();
    CHECK(adapters::format_rfc3339(event_of("From: a@b.c\r\n\r\nx", o).received_at) ==
          adapters::format_rfc3339(o.arrival));
}

TEST_CASE("oversize, empty, headerless and too deeply nested mail are errors with a reason") {
    auto o = options();
    o.max_bytes = 100;
    auto big = adapters::parse_mail(simple("", std::string(200, 'x')), o);
    REQUIRE(std::holds_alternative<adapters::MailError>(big));
    CHECK(std::get<adapters::MailError>(big).reason.find("mail too big") == 0);
    CHECK(std::holds_alternative<adapters::MailError>(adapters::parse_mail("", options())));
    CHECK(std::holds_alternative<adapters::MailError>(adapters::parse_mail("just some words\n", options())));
    std::string nested = "From: a@b.c\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n";
    for (int i = 1; i < 30; ++i)
        nested += "--b" + std::to_string(i - 1) + "\r\nContent-Type: multipart/mixed; boundary=b" + std::to_string(i) +
                  "\r\n\r\n";
    auto deep = adapters::parse_mail(nested, options());
    REQUIRE(std::holds_alternative<adapters::MailError>(deep));
    CHECK(std::get<adapters::MailError>(deep).reason.find("nested deeper") != std::string::npos);
}

TEST_CASE("every event the parser makes is one the generic ingest accepts") {
    auto e = event_of(simple("Message-ID: <v@x>\r\nSubject: " + std::string(9000, 's') + "\r\n", "b"));
    CHECK(e.subject.size() <= adapters::kMaxSubjectBytes);
    auto again = adapters::parse_event(boost::json::value(adapters::to_json(e)));
    REQUIRE(again);
    CHECK(*again == e);
}
