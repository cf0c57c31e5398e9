#pragma once
// The seller's accounts and products (format of fixtures/catalog.json).
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ir/base/expected.hpp"

namespace ir::router {

struct Account {
    std::string id;
    std::string platform;  // alibaba, aliexpress, amazon, ebay ...
    std::vector<std::string> categories;
    bool operator==(const Account&) const = default;
};

struct Product {
    std::string sku;
    std::string name;
    std::string category;
    std::vector<std::string> aliases;
    bool battery = false;
    // Names in other languages, by language code ("fr": ["montre connectée X9"]). Every
    // alias is looked for in every message, whatever language it is detected in: a word
    // ending in '*' matches its inflected forms ("термос*": термоса, термосов).
    std::map<std::string, std::vector<std::string>> aliases_by_language;
    bool operator==(const Product&) const = default;
};

struct Catalog {
    std::vector<Account> accounts;
    std::vector<std::string> categories;
    std::vector<Product> products;

    const Account* find_account(std::string_view id) const;
    const Product* find_product(std::string_view sku) const;
};

// Parses catalogue JSON text; the error names the offending field.
Expected<Catalog> parse_catalog_json(std::string_view json_text);

}  // namespace ir::router
