#pragma once
// A small hand-written catalogue and the default rules, for assessment tests.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "ir/router/assessor.hpp"

namespace ir::test {

// A file's whole text (the shared fixtures, the screening set), read in place.
inline std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline router::Catalog small_catalog() {
    router::Catalog c;
    c.accounts = {{"alibaba-electronics", "alibaba", {"consumer-electronics"}},
                  {"aliexpress-jewelry", "aliexpress", {"jewelry"}}};
    c.products = {{"SW-X9", "X9 Smart Watch", "consumer-electronics", {"x9 smartwatch", "sw x9"}, true, {}},
                  {"PB-20K", "20000mAh Power Bank", "consumer-electronics", {"power bank"}, true, {}},
                  {"JW-HR18", "18K Gold Plated Hoop Earrings", "jewelry", {"hoop earrings"}, false, {}}};
    return c;
}

inline const router::Assessor& assessor() {
    static const router::Assessor a = [] {
        auto rules = router::parse_rules_toml(router::default_rules_toml(), "default");
        REQUIRE(rules.has_value());
        auto built = router::Assessor::create(small_catalog(), *rules);
        REQUIRE(built.has_value());
        return std::move(*built);
    }();
    return a;
}

// An inbound email with a company domain unless the test says otherwise.
inline router::Event email(std::string body, std::string subject = "") {
    router::Event e;
    e.channel = router::Channel::email;
    e.account = "alibaba-electronics";
    e.message_id = "<m1@example.com>";
    e.thread_id = "t1";
    e.sender.name = "Pat Buyer";
    e.sender.email = "pat@buyer-shop.com";
    e.subject = std::move(subject);
    e.body = std::move(body);
    return e;
}

inline router::Assessment assess(const router::Event& e, router::CustomerContext ctx = {}) {
    return assessor().assess(e, ctx);
}

inline bool has_sign(const router::Assessment& a, router::ScamSign s) {
    return std::find(a.scam_signs.begin(), a.scam_signs.end(), s) != a.scam_signs.end();
}

}  // namespace ir::test
