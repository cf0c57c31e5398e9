#pragma once
// The Telegram Bot API webhook (/v1/webhooks/telegram): the secret-token header check and
// an Update to events. Pure: no sockets, no clock, no files.
#include <string>
#include <string_view>

#include "ir/adapters/webhook.hpp"
#include "ir/base/expected.hpp"

namespace ir::adapters {

struct TelegramOptions {
    std::string account;              // the bot's (or business account's) store account
    bool accept_group_chats = false;  // messages in groups/supergroups: events, or ignored
};

// X-Telegram-Bot-Api-Secret-Token against the secret_token given to setWebhook, in
// constant time. False (also for an empty expected token) -> 401.
bool verify_telegram_secret(std::string_view expected, std::string_view header);

// One Update. message / edited_message / business_message / edited_business_message from
// a person -> one chat event, message_id "tg:<update_id>:<chat.id>:<message_id>" (Telegram
// redelivers the same update until it gets a 2xx: a retry is a duplicate; the chat and
// message ids guard against update_id restarting at random after a silent week). In a business chat, a message
// whose sender is not the chat's user is ours -> outbound. Everything else (callback_query,
// my_chat_member, channel posts, bots, groups unless accepted...) -> an empty batch whose
// `ignored` says why; the daemon answers 200 so Telegram stops retrying.
Expected<WebhookBatch> parse_telegram(std::string_view raw_body, const TelegramOptions& options);

}  // namespace ir::adapters
