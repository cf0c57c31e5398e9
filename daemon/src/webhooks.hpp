#pragma once
// The configured webhook channels, with their secrets loaded at start.
#include <map>
#include <optional>
#include <string>

#include "ir/adapters/marketplace.hpp"
#include "ir/adapters/secret.hpp"
#include "ir/adapters/telegram.hpp"
#include "ir/adapters/whatsapp.hpp"
#include "ir/daemon/config.hpp"

namespace ir::daemon {

struct Webhooks {
    struct WhatsApp {
        adapters::WhatsAppOptions options;
        adapters::Secret app_secret;
        adapters::Secret verify_token;
    };
    struct Telegram {
        adapters::TelegramOptions options;
        adapters::Secret secret_token;
    };
    struct Marketplace {
        adapters::MarketplaceMapping mapping;
        adapters::Secret secret;
    };
    std::optional<WhatsApp> whatsapp;
    std::optional<Telegram> telegram;
    std::map<std::string, Marketplace, std::less<>> marketplace;  // by platform
};

// Reads the configured webhooks' secrets (files or inline); an error names the key.
std::optional<std::string> load_webhooks(const AdaptersConfig& config, Webhooks& out);

}  // namespace ir::daemon
