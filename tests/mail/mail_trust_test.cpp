#include <catch2/catch.hpp>

#include "ir/adapters/mail_trust.hpp"

using ir::adapters::dmarc_verdict;
using ir::adapters::judge_own_mail;

TEST_CASE("dmarc_verdict reads the trusted server's dmarc result, comments and versions aside") {
    CHECK(dmarc_verdict("mx.example.com; spf=pass smtp.mailfrom=seller.example; dkim=pass header.d=seller.example;"
                        " dmarc=pass (p=reject dis=none) header.from=seller.example",
                        "mx.example.com") == "pass");
    CHECK(dmarc_verdict("MX.Example.COM 1;\r\n\tdmarc = pass header.from=seller.example", "mx.example.com") == "pass");
    CHECK(dmarc_verdict("mx.example.com (amavis; dmarc=pass); dmarc=fail header.from=seller.example",
                        "mx.example.com") == "fail");
    CHECK(dmarc_verdict("mx.example.com; dmarc/1=pass", "mx.example.com") == "pass");
    CHECK(dmarc_verdict("mx.example.com; none", "mx.example.com") == "no dmarc result");
    CHECK(dmarc_verdict("mx.example.com; spf=pass; dkim=pass", "mx.example.com") == "no dmarc result");
    CHECK(dmarc_verdict("mx.example.com; dmarc=pass; dmarc=fail", "mx.example.com") == "fail");
    CHECK(dmarc_verdict("mx.attacker.example; dmarc=pass", "mx.example.com").empty());
    CHECK(dmarc_verdict("mx.example.com.attacker.example; dmarc=pass", "mx.example.com").empty());
    CHECK(dmarc_verdict("\"mx.example.com\"; dmarc=pass", "mx.example.com") == "pass");
    CHECK(dmarc_verdict("", "mx.example.com").empty());
    CHECK(dmarc_verdict("mx.example.com; dmarc=\"pass;x\"", "mx.example.com") != "pass");
}

TEST_CASE("own mail is trusted only by the topmost Authentication-Results of the trusted server") {
    const std::string id = "mx.example.com";
    CHECK(judge_own_mail({"mx.example.com; dmarc=pass header.from=seller.example"}, id).trusted);
    // Another server's header above is ignored; the trusted server's own decides.
    CHECK(judge_own_mail({"relay.example.net; dmarc=fail", "mx.example.com; dmarc=pass"}, id).trusted);
    // A sender's own header lower down does not count: the trusted server's topmost one does.
    const auto forged = judge_own_mail({"mx.example.com; dmarc=fail", "mx.example.com; dmarc=pass"}, id);
    CHECK(!forged.trusted);
    CHECK(forged.reason == "mx.example.com says dmarc: fail");
    CHECK(!judge_own_mail({"mx.attacker.example; dmarc=pass"}, id).trusted);
    CHECK(judge_own_mail({}, id).reason == "no Authentication-Results from mx.example.com");
    CHECK(!judge_own_mail({"mx.example.com; dmarc=pass"}, "").trusted);  // none configured: nothing trusted
}
