// One customer across channels.
#include "ir/routing/customer_book.hpp"
#include "routing_test_support.hpp"

using namespace routing_test;

TEST_CASE("identity keys are normalised per channel") {
    CHECK(identity_keys({" Ann@Example.COM ", "", "", ""}) == std::vector<std::string>{"e:ann@example.com"});
    CHECK(identity_keys({"", "+49 (170) 123-4567", "", ""}) == std::vector<std::string>{"p:+491701234567"});
    CHECK(identity_keys({"", "12345", "", ""}).empty());  // too short to be a phone
    CHECK(identity_keys({"not an email", "", "", ""}).empty());
    CHECK(identity_keys({"", "", "whatsapp:+49 170 1234567", ""}) == std::vector<std::string>{"p:+491701234567"});
    CHECK(identity_keys({"", "", "whatsapp:AbC.123xyz", ""}) == std::vector<std::string>{"w:AbC.123xyz"});
    CHECK(identity_keys({"", "", "", "@AnnBuys"}) == std::vector<std::string>{"t:@annbuys"});
}

TEST_CASE("the same customer across email, phone and WhatsApp; linking two merges into the older") {
    CustomerBook book;
    const Identified by_mail = book.identify({"ann@example.com", "", "", ""}, T0);
    CHECK(by_mail == Identified{CustomerId{1}, true, {}});
    const Identified by_wa = book.identify({"", "", "whatsapp:+491701234567", ""}, T0 + 1h);
    CHECK(by_wa == Identified{CustomerId{2}, true, {}});
    CHECK(book.identify({"", "", "whatsapp:BSUID.77", ""}, T0 + 2h).id == CustomerId{3});
    REQUIRE(book.note_order(CustomerId{2}, true));
    REQUIRE(book.note_conversation(CustomerId{2}));
    REQUIRE(book.note_conversation(CustomerId{1}));
    REQUIRE(book.set_last_owner(CustomerId{2}, "bob"));
    // One message gives the email and the phone: customers 1 and 2 are one person.
    const Identified linked = book.identify({"ANN@example.com", "+49 170 1234567", "", ""}, T0 + 3h);
    CHECK(linked == Identified{CustomerId{1}, false, {CustomerId{2}}});
    const auto ann = book.get(CustomerId{2});  // the old id still resolves
    REQUIRE(ann);
    CHECK(ann->id == CustomerId{1});
    CHECK(ann->keys == std::vector<std::string>{"e:ann@example.com", "p:+491701234567"});
    CHECK(ann->conversations == 2);
    CHECK(ann->sample_orders == 1);
    CHECK(ann->tier_one());
    CHECK(ann->first_seen == T0);
    CHECK(book.last_owner(CustomerId{1}) == "bob");
    CHECK(book.size() == 2);
    // The business-scoped WhatsApp id joins Ann when a message carries it with her phone.
    const Identified joined = book.identify({"", "", "whatsapp:BSUID.77", ""}, T0 + 4h);
    CHECK(joined.id == CustomerId{3});
    CHECK(book.identify({"", "+491701234567", "BSUID.77", ""}, T0 + 5h) ==
          Identified{CustomerId{1}, false, {CustomerId{3}}});
    CHECK(book.resolve(CustomerId{3}) == CustomerId{1});
    CHECK(book.resolve(CustomerId{2}) == CustomerId{1});
    CHECK(!book.note_order(CustomerId{99}, false));
}

TEST_CASE("the customer book survives export and restore") {
    CustomerBook book;
    book.identify({"a@x.com", "", "", ""}, T0);
    book.identify({"", "+1 555 000 111", "", ""}, T0);
    book.identify({"a@x.com", "+1 555 000 111", "", ""}, T0);
    REQUIRE(book.note_visit(CustomerId{1}));
    const CustomerBookState st = book.export_state();
    CustomerBook again(st);
    CHECK(again.export_state() == st);
    CHECK(again.identify({"", "", "", "tg1"}, T0).id == CustomerId{3});  // ids keep growing
    CHECK(again.get(CustomerId{2})->visited_company);
}
