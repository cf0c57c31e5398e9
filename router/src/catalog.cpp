#include "ir/router/catalog.hpp"

#include <boost/json.hpp>

namespace ir::router {
namespace json = boost::json;

namespace {

Expected<std::string> get_string(const json::object& o, std::string_view key, std::string_view where,
                                 bool required = true) {
    const auto* v = o.if_contains(key);
    if (!v || v->is_null()) {
        if (!required) return std::string{};
        return Error{"missing field", std::string(where) + "." + std::string(key)};
    }
    if (!v->is_string()) return Error{"must be a string", std::string(where) + "." + std::string(key)};
    return std::string(v->get_string());
}

Expected<std::vector<std::string>> get_strings(const json::object& o, std::string_view key, std::string_view where) {
    std::vector<std::string> out;
    const auto* v = o.if_contains(key);
    if (!v || v->is_null()) return out;
    const std::string field = std::string(where) + "." + std::string(key);
    if (!v->is_array()) return Error{"must be an array of strings", field};
    for (const auto& item : v->get_array()) {
        if (!item.is_string()) return Error{"must be an array of strings", field};
        out.emplace_back(item.get_string());
    }
    return out;
}

Expected<std::map<std::string, std::vector<std::string>>> get_localized(const json::object& o, std::string_view where) {
    std::map<std::string, std::vector<std::string>> out;
    const auto* v = o.if_contains("aliases_by_language");
    if (!v || v->is_null()) return out;
    const std::string field = std::string(where) + ".aliases_by_language";
    if (!v->is_object()) return Error{"must be an object of language codes to arrays of strings", field};
    for (const auto& [language, names] : v->get_object()) {
        json::object one{{language, names}};
        auto strings = get_strings(one, language, field);
        if (!strings) return strings.error();
        out.emplace(std::string(language), std::move(*strings));
    }
    return out;
}

Expected<Account> parse_account(const json::value& v, std::string_view where) {
    if (!v.is_object()) return Error{"must be an object", std::string(where)};
    const auto& o = v.get_object();
    Account a;
    auto id = get_string(o, "id", where);
    if (!id) return id.error();
    if (id->empty()) return Error{"must not be empty", std::string(where) + ".id"};
    auto platform = get_string(o, "platform", where, false);
    if (!platform) return platform.error();
    auto categories = get_strings(o, "categories", where);
    if (!categories) return categories.error();
    return Account{std::move(*id), std::move(*platform), std::move(*categories)};
}

Expected<Product> parse_product(const json::value& v, std::string_view where) {
    if (!v.is_object()) return Error{"must be an object", std::string(where)};
    const auto& o = v.get_object();
    auto sku = get_string(o, "sku", where);
    if (!sku) return sku.error();
    auto name = get_string(o, "name", where);
    if (!name) return name.error();
    auto category = get_string(o, "category", where, false);
    if (!category) return category.error();
    auto aliases = get_strings(o, "aliases", where);
    if (!aliases) return aliases.error();
    auto localized = get_localized(o, where);
    if (!localized) return localized.error();
    bool battery = false;
    if (const auto* b = o.if_contains("battery"); b && !b->is_null()) {
        if (!b->is_bool()) return Error{"must be true or false", std::string(where) + ".battery"};
        battery = b->get_bool();
    }
    return Product{std::move(*sku), std::move(*name), std::move(*category), std::move(*aliases), battery,
                   std::move(*localized)};
}

template <class T, class Parse>
std::optional<Error> parse_list(const json::object& root, std::string_view key, std::vector<T>& out, Parse parse) {
    const auto* v = root.if_contains(key);
    if (!v) return std::nullopt;
    if (!v->is_array()) return Error{"must be an array", std::string(key)};
    std::size_t i = 0;
    for (const auto& item : v->get_array()) {
        auto parsed = parse(item, std::string(key) + "[" + std::to_string(i++) + "]");
        if (!parsed) return parsed.error();
        out.push_back(std::move(*parsed));
    }
    return std::nullopt;
}

}  // namespace

const Account* Catalog::find_account(std::string_view id) const {
    for (const auto& a : accounts)
        if (a.id == id) return &a;
    return nullptr;
}

const Product* Catalog::find_product(std::string_view sku) const {
    for (const auto& p : products)
        if (p.sku == sku) return &p;
    return nullptr;
}

Expected<Catalog> parse_catalog_json(std::string_view json_text) {
    boost::system::error_code ec;
    json::value root = json::parse(json_text, ec);
    if (ec) return Error{"catalogue is not valid JSON: " + ec.message(), ""};
    if (!root.is_object()) return Error{"catalogue must be a JSON object", ""};
    const auto& o = root.get_object();
    Catalog c;
    if (auto e = parse_list(o, "accounts", c.accounts, parse_account)) return *e;
    if (auto e = parse_list(o, "products", c.products, parse_product)) return *e;
    auto categories = get_strings(o, "categories", "catalog");
    if (!categories) return categories.error();
    c.categories = std::move(*categories);
    return c;
}

}  // namespace ir::router
