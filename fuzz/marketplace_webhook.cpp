// libFuzzer: the marketplace relay parser under every built-in mapping, a mapping whose
// body pointer comes from the input's first line, and the signature check.
// Every event it produces must pass the generic event parser (the daemon's own limits).
#include <boost/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ir/adapters/event_json.hpp"
#include "ir/adapters/marketplace.hpp"

namespace {

void parse_with(std::string_view input, const ir::adapters::MarketplaceMapping& mapping) {
    auto batch = ir::adapters::parse_marketplace(input, mapping);
    if (batch)
        for (const auto& e : batch->events)
            if (!ir::adapters::parse_event(ir::adapters::to_json(e)).has_value()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    for (const auto& platform : ir::adapters::marketplace_platforms()) {
        auto mapping = ir::adapters::make_marketplace_mapping(platform, platform + "-store", {});
        if (!mapping) std::abort();  // the built-in mappings are always valid
        parse_with(input, *mapping);
    }
    const auto newline = input.find('\n');
    if (newline != std::string_view::npos) {
        auto custom = ir::adapters::make_marketplace_mapping("custom", "acct",
                                                             {{"body", std::string(input.substr(0, newline))},
                                                              {"message_id", "/id"},
                                                              {"time", "/t"},
                                                              {"thread_id", "/c"}});
        if (custom) parse_with(input.substr(newline + 1), *custom);
    }
    (void)ir::adapters::verify_marketplace_signature("relay-key", input, input.substr(0, 71));
    return 0;
}
