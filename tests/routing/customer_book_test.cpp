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

TEST_CASE("a sender with no usable key is the customer of their conversation, else a new one") {
    CustomerBook book;
    const Identified first = book.identify({"", "", "", ""}, T0);  // a marketplace buyer: a name only
    CHECK(first == Identified{CustomerId{1}, true, {}});
    CHECK(book.identify({"", "", "", ""}, T0 + 1h, CustomerId{1}) == Identified{CustomerId{1}, false, {}});
    CHECK(book.identify({"", "12345", "", ""}, T0 + 2h, CustomerId{1}).id == CustomerId{1});  // no usable key
    CHECK(book.size() == 1);
    CHECK(book.identify({"", "", "", ""}, T0 + 3h).id == CustomerId{2});                  // another conversation
    CHECK(book.identify({"", "", "", ""}, T0 + 3h, CustomerId{99}).id == CustomerId{3});  // unknown: new
    // A merged-away conversation customer resolves to the survivor.
    book.identify({"a@x.com", "", "", ""}, T0 + 4h);    // 4
    book.identify({"", "+1 555 000 111", "", ""}, T0);  // 5
    book.identify({"a@x.com", "+1 555 000 111", "", ""}, T0 + 5h);
    CHECK(book.identify({"", "", "", ""}, T0 + 6h, CustomerId{5}) == Identified{CustomerId{4}, false, {}});
    // A key still wins over the conversation: it names who wrote.
    CHECK(book.identify({"a@x.com", "", "", ""}, T0 + 7h, CustomerId{1}).id == CustomerId{4});
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

TEST_CASE("many customers: keys keep resolving as the key index grows, merges and restores") {
    CustomerBook book;
    for (int i = 0; i < 2000; ++i) {
        const Identified c = book.identify({"buyer" + std::to_string(i) + "@shop.example", "", "", ""}, T0);
        REQUIRE(c == Identified{CustomerId{static_cast<std::uint64_t>(i + 1)}, true, {}});
        if (i % 3 == 0) REQUIRE(book.set_last_owner(c.id, "agent" + std::to_string(i % 7)));
    }
    // Customer 2k+2 writes from its phone too, then a message links it with 2k+1.
    for (int i = 0; i + 1 < 2000; i += 2) {
        const std::string phone = "+49 170 " + std::to_string(100000 + i);
        CHECK(book.identify({"", phone, "", ""}, T0 + 1h).created);
        const Identified linked = book.identify({"buyer" + std::to_string(i) + "@shop.example", phone, "", ""}, T0);
        CHECK(linked.id == CustomerId{static_cast<std::uint64_t>(i + 1)});
        CHECK(linked.merged_away.size() == 1);
        const Identified both =
            book.identify({"BUYER" + std::to_string(i + 1) + "@shop.example", phone, "", ""}, T0 + 2h);
        CHECK(both.id == CustomerId{static_cast<std::uint64_t>(i + 1)});
        CHECK(both.merged_away == std::vector<CustomerId>{CustomerId{static_cast<std::uint64_t>(i + 2)}});
    }
    CHECK(book.size() == 1000);
    const auto first = book.get(CustomerId{2});
    REQUIRE(first);
    CHECK(first->id == CustomerId{1});
    CHECK(first->keys == std::vector<std::string>{"e:buyer0@shop.example", "e:buyer1@shop.example", "p:+49170100000"});
    CHECK(first->last_owner == "agent0");
    CHECK(book.last_owner(CustomerId{4}) == "agent3");  // 4 merged into 3, which had none
    const CustomerBookState st = book.export_state();
    CustomerBook again(st);
    CHECK(again.export_state() == st);
    CHECK(again.identify({"", "+49170100998", "", ""}, T0).id == CustomerId{999});
    CHECK(again.identify({"buyer1999@shop.example", "", "", ""}, T0).id == CustomerId{1999});
    CHECK(again.identify({"new@shop.example", "", "", ""}, T0).created);
}

TEST_CASE("forgetting a customer erases the record, its keys and its merges; ids are not reused") {
    CustomerBook book;
    book.identify({"ann@example.com", "", "", ""}, T0);            // 1
    book.identify({"", "+49 170 1234567", "", ""}, T0);            // 2
    book.identify({"bob@example.com", "", "", ""}, T0);            // 3
    book.identify({"ann@example.com", "+49 170 1234567", "", ""}, T0 + 1h);  // 2 merges into 1
    REQUIRE(book.note_order(CustomerId{1}, false));
    CHECK(book.forget(CustomerId{2}) == std::vector<CustomerId>{CustomerId{1}, CustomerId{2}});  // by any id
    CHECK_FALSE(book.get(CustomerId{1}));
    CHECK_FALSE(book.get(CustomerId{2}));
    CHECK(book.resolve(CustomerId{2}) == CustomerId{2});
    CHECK(book.forget(CustomerId{1}).empty());
    CHECK(book.size() == 1);
    // Her keys name nobody now: a new message from her is a new customer, with a new id.
    CHECK(book.identify({"ann@example.com", "", "", ""}, T0 + 2h) == Identified{CustomerId{4}, true, {}});
    CHECK(book.identify({"", "+491701234567", "", ""}, T0 + 2h).id == CustomerId{5});
    CHECK(book.get(CustomerId{3})->keys == std::vector<std::string>{"e:bob@example.com"});
    const CustomerBookState st = book.export_state();
    CHECK(st.customers.size() == 3);
    CHECK(st.aliases.empty());
    CHECK(CustomerBook(st).get(CustomerId{4})->orders == 0);
}
