// libFuzzer: the Telegram webhook parser and secret-token check on arbitrary bytes.
// Every event it produces must pass the generic event parser (the daemon's own limits).
#include <boost/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ir/adapters/event_json.hpp"
#include "ir/adapters/telegram.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    ir::adapters::TelegramOptions options;
    options.account = "telegram-bot";
    options.accept_group_chats = size % 2 == 1;
    auto batch = ir::adapters::parse_telegram(input, options);
    if (batch)
        for (const auto& e : batch->events)
            if (!ir::adapters::parse_event(ir::adapters::to_json(e)).has_value()) std::abort();
    (void)ir::adapters::verify_telegram_secret("secret-token", input.substr(0, 12));
    return 0;
}
