// libFuzzer: the WhatsApp webhook parser, signature check and handshake on arbitrary bytes.
// Every event it produces must pass the generic event parser (the daemon's own limits).
#include <boost/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ir/adapters/event_json.hpp"
#include "ir/adapters/whatsapp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    ir::adapters::WhatsAppOptions options;
    options.account = size % 2 ? "whatsapp-main" : "";
    options.phone_number_accounts = {{"106540352242922", "alibaba-electronics"}};
    auto batch = ir::adapters::parse_whatsapp(input, options);
    if (batch)
        for (const auto& e : batch->events)
            if (!ir::adapters::parse_event(ir::adapters::to_json(e)).has_value()) std::abort();
    (void)ir::adapters::verify_whatsapp_signature("app-secret", input, input.substr(0, 71));
    (void)ir::adapters::verify_handshake_query(input, "verify-token");
    return 0;
}
