// Each scam sign of DOMAIN.md step 1, and the rule that one sign alone is not suspect.
#include "assessor_fixture.hpp"

using namespace ir;
using ir::router::ScamSign;
using ir::test::assess;
using ir::test::email;
using ir::test::has_sign;

TEST_CASE("sign 1: a large order without knowing our products") {
    CHECK(has_sign(assess(email("We want 50,000 units of your products.")), ScamSign::large_order_uninformed));
    CHECK(has_sign(assess(email("100,000 pcs power bank, any model is ok")), ScamSign::large_order_uninformed));
    CHECK(has_sign(assess(email("We need 3 containers urgently")), ScamSign::large_order_uninformed));
    // A large order for a named product with no vague scope is a wholesale buyer.
    CHECK_FALSE(
        has_sign(assess(email("Please quote 20,000 pcs X9 Smart Watch, black.")), ScamSign::large_order_uninformed));
    // On a retail marketplace a large order is smaller.
    auto ali = email("i want 3000 pcs hoop earrings, all models in your shop");
    ali.account = "aliexpress-jewelry";
    CHECK(has_sign(assess(ali), ScamSign::large_order_uninformed));
}

TEST_CASE("sign 2: unusual requests") {
    CHECK(has_sign(assess(email("A registration fee of USD 300 must be paid by the supplier.")),
                   ScamSign::unusual_request));
    CHECK(has_sign(assess(email("Send samples of all your models.")), ScamSign::unusual_request));
    CHECK(
        has_sign(assess(email("how much cost for sell product online? make shop for me")), ScamSign::unusual_request));
    CHECK(has_sign(assess(email("Des frais de dossier de 500 EUR sont à régler.")), ScamSign::unusual_request));
    CHECK(has_sign(assess(email("Die Registrierungsgebühr beträgt 200 EUR.")), ScamSign::unusual_request));
    CHECK(has_sign(assess(email("Регистрационный сбор 300 долларов.")), ScamSign::unusual_request));
    // A free sample request alone is ordinary.
    CHECK_FALSE(has_sign(assess(email("Can I get a free sample of the X9?")), ScamSign::unusual_request));
}

TEST_CASE("sign 3: invitations to visit, pressure and urgency") {
    CHECK(has_sign(assess(email("Please come to our office in Lagos to sign.")), ScamSign::visit_or_urgency));
    CHECK(has_sign(assess(email("Any delay and the order goes to another supplier.")), ScamSign::visit_or_urgency));
    CHECK(has_sign(assess(email("URGENT!!! reply immediately")), ScamSign::visit_or_urgency));
    CHECK(has_sign(assess(email("Vous devez venir à Abidjan pour signer le contrat.")), ScamSign::visit_or_urgency));
    // One mild word of hurry is not pressure.
    CHECK_FALSE(has_sign(assess(email("I will confirm today, thanks")), ScamSign::visit_or_urgency));
}

TEST_CASE("sign 4: claims size but cannot be verified") {
    auto e = email("We are one of the largest importers in Europe.");
    e.sender.email = "bigboss.imports@gmail.com";
    CHECK(has_sign(assess(e), ScamSign::unverifiable_big_company));
    e.sender.email = "buying@bigimports.eu";  // a company domain of its own
    CHECK_FALSE(has_sign(assess(e), ScamSign::unverifiable_big_company));
    auto market = email("top 100 Amazon seller with $50M annual revenue");
    market.channel = router::Channel::marketplace;
    market.sender.email.clear();  // no domain, no website
    CHECK(has_sign(assess(market), ScamSign::unverifiable_big_company));
    // A free-mail address alone is not a sign.
    auto plain = email("Please quote the X9 Smart Watch.");
    plain.sender.email = "someone@gmail.com";
    CHECK(assess(plain).scam_signs.empty());
}

TEST_CASE("sign 5: too terse for the company it claims to be") {
    auto e = email("I am the CEO of a very big company. Send price.");
    CHECK(has_sign(assess(e), ScamSign::terse_format));
    // A short chat message alone is not a sign.
    auto chat = email("price?");
    chat.channel = router::Channel::chat;
    CHECK(assess(chat).scam_signs.empty());
}

TEST_CASE("suspect needs two signs; one alone is reported but not suspect") {
    auto one = assess(email("URGENT!!! reply immediately about the X9 Smart Watch"));
    CHECK(one.scam_signs.size() == 1);
    CHECK_FALSE(one.suspect);
    auto two = email(
        "Congratulations, your company has been selected. A registration fee of USD 350 must be paid "
        "within 48 hours via Western Union. Failure to pay will result in cancellation.");
    two.sender.email = "board@hotmail.com";
    const auto a = assess(two);
    CHECK(a.suspect);
    CHECK(a.scam_signs.size() >= 2);
    // The reasons quote what fired, for the supervisor.
    bool quoted = false;
    for (const auto& r : a.reasons) quoted |= r.find("Western Union") != std::string::npos;
    CHECK(quoted);
}

TEST_CASE("a suspect inquiry keeps its tier") {
    auto e = email(
        "Our board approved 20,000 pcs X9 Smart Watch. Any delay and we lose millions. "
        "Send samples of every model at your expense. Come to our office to sign in person.");
    e.sender.email = "ceo.group@gmail.com";
    const auto a = assess(e);
    CHECK(a.suspect);
    CHECK(a.tier == 3);
}
