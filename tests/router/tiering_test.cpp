// Each tier rule of DOMAIN.md step 2, with the labelling conventions.
#include "assessor_fixture.hpp"

using namespace ir;
using ir::test::assess;
using ir::test::email;

TEST_CASE("tier 1 comes only from our records and wins over everything") {
    auto e = email("hi, any news?");
    CHECK(assess(e, {.orders = 2}).tier == 1);
    CHECK(assess(e, {.sample_orders = 1}).tier == 1);
    CHECK(assess(e, {.visited_company = true}).tier == 1);
    CHECK(assess(e, {.local_influence = true}).tier == 1);
    // Saying so in the message is not a record.
    CHECK(assess(email("We ordered from you before and visited your factory.")).tier == 4);
    const auto a = assess(e, {.orders = 2});
    REQUIRE_FALSE(a.reasons.empty());
    CHECK(a.reasons.front() == "tier 1: the customer has placed 2 order(s) with us");
}

TEST_CASE("tier 2: a named product with technical, picture, packaging or shipping questions") {
    CHECK(assess(email("Is the X9 Smart Watch battery 300 mAh?")).tier == 2);
    CHECK(assess(email("The X9 smartwatch in your 3rd picture: is it black?")).tier == 2);
    CHECK(assess(email("How many SW-X9 per carton?")).tier == 2);
    CHECK(assess(email("Can you ship 500 x9 smartwatch by sea to Hamburg?")).tier == 2);
    CHECK(assess(email("Preciso do X9 Smart Watch, vai por via aérea?")).tier == 2);
    // Details without a product are not enough.
    CHECK(assess(email("How many pieces per carton, and can you ship by sea?")).tier == 4);
}

TEST_CASE("tier 2: six or more buyer messages in the conversation") {
    auto e = email("ok, thanks");
    CHECK(assess(e, {.customer_messages_in_thread = 6}).tier == 2);
    CHECK(assess(e, {.customer_messages_in_thread = 5}).tier == 4);
}

TEST_CASE("tier 2: complete contact details from the sender fields or the signature") {
    auto e = email(
        "Please send your price list.\n\nBest regards\nAnna Schmidt\nSchmidt Handel GmbH\n"
        "Hauptstrasse 12, 10115 Berlin\nTel: +49 30 5550123\nWhatsApp: +49 151 5550123\n"
        "anna@schmidt-handel.de");
    CHECK(assess(e).tier == 2);
    // One part missing (no IM handle): not complete.
    auto partial = email(
        "Please send your price list.\nSchmidt Handel GmbH\nHauptstrasse 12, 10115 Berlin\n"
        "Tel: +49 30 5550123");
    CHECK(assess(partial).tier == 4);
    auto fields = email("Please send your price list.");
    fields.sender = {
        "Anna", "anna@schmidt-handel.de", "Schmidt Handel GmbH", "+49 30 5550123", "Hauptstrasse 12, Berlin",
        "DE",   "whatsapp:+4915155501"};
    CHECK(assess(fields).tier == 2);
}

TEST_CASE("tier 3: a catalogue product named, however it is spelt") {
    CHECK(assess(email("price for 300 pcs X9 Smart Watch?")).tier == 3);
    CHECK(assess(email("sw-x9 price")).tier == 3);
    CHECK(assess(email("SW X9 price")).tier == 3);
    CHECK(assess(email("need 100 powerbanks")).tier == 3);
    CHECK(assess(email("hoop earings gold 50 pairs")).tier == 3);               // misspelt, still recognisable
    CHECK(assess(email("price?", "18K Gold Plated Hoop Earrings")).tier == 3);  // listing title as subject
    CHECK(assess(email("price for 300 pcs X9 Smart Watch?")).products == std::vector<std::string>{"SW-X9"});
}

TEST_CASE("tier 4: no product named, a quantity alone is not enough") {
    CHECK(assess(email("Please send your catalogue and price list.")).tier == 4);
    CHECK(assess(email("We need 50,000 units of your products.")).tier == 4);
    CHECK(assess(email("2 containers of electronics, best price")).tier == 4);
    CHECK(assess(email("hi")).tier == 4);
}

TEST_CASE("analysing first and deciding later gives the same assessment") {
    for (const char* body : {"Is the X9 Smart Watch battery 300 mAh?", "hi", "We need 50,000 units of your products.",
                             "URGENT registration fee via Western Union, I am the CEO of the largest group"}) {
        const auto e = email(body);
        for (router::CustomerContext ctx : {router::CustomerContext{}, router::CustomerContext{.orders = 1},
                                            router::CustomerContext{.customer_messages_in_thread = 7}}) {
            INFO(body);
            CHECK(test::assessor().decide(*test::assessor().analyze(e), e, ctx) == assess(e, ctx));
        }
    }
}
