// Telegram updates to events: thread = chat id, dedupe on update_id.
#include "ir/adapters/telegram.hpp"

#include <boost/json.hpp>

#include "ir/adapters/event_json.hpp"
#include "ir/adapters/hmac.hpp"
#include "ir/adapters/webhook_json.hpp"

namespace ir::adapters {
namespace {
namespace json = boost::json;
using namespace webhook_json;
using router::Event;

constexpr std::size_t kShort = kMaxSenderFieldBytes;

std::string with_detail(std::string head, const std::string& detail) {
    if (!detail.empty()) head.append(": ").append(detail);
    return head;
}

std::string full_name(const json::object& user, std::string_view path) {
    std::string name = opt_string(user, "first_name", path, kShort);
    const std::string last = opt_string(user, "last_name", path, kShort);
    if (!last.empty()) name += (name.empty() ? "" : " ") + last;
    return std::string(utf8_prefix(name, kShort));
}

// Media and other non-text content in words; the caption follows.
struct Content {
    std::string body;
    std::uint32_t attachments = 0;
};

std::string mime_of(const json::object& o, std::string_view key, std::string_view path) {
    const auto* m = opt_object(o, key, path);
    if (!m) return {};
    const std::string mime = opt_string(*m, "mime_type", at(path, key), kShort);
    return mime.empty() ? std::string() : " (" + mime + ")";
}

Content media(const json::object& msg, std::string_view path) {
    static constexpr std::pair<const char*, const char*> kMedia[] = {
        {"photo", "Sent a photo"},         {"video", "Sent a video"},       {"animation", "Sent an animation"},
        {"voice", "Sent a voice message"}, {"audio", "Sent an audio file"}, {"video_note", "Sent a video message"},
        {"sticker", "Sent a sticker"}};
    for (const auto& [key, words] : kMedia) {
        if (!msg.contains(key) || msg.at(key).is_null()) continue;
        std::string head = words;
        if (std::string_view(key) == "sticker") {
            const auto* s = opt_object(msg, key, path);
            const std::string emoji = s ? opt_string(*s, "emoji", at(path, key), kShort) : "";
            if (!emoji.empty()) head += " " + emoji;
        } else if (std::string_view(key) != "photo") {
            head += mime_of(msg, key, path);
        }
        return {with_detail(head, opt_string(msg, "caption", path, kMaxWebhookTextBytes)), 1};
    }
    if (const auto* d = opt_object(msg, "document", path)) {
        const std::string name = opt_string(*d, "file_name", at(path, "document"), kShort);
        std::string head = name.empty() ? "Sent a document" : "Sent a document \"" + name + "\"";
        head += mime_of(msg, "document", path);
        return {with_detail(head, opt_string(msg, "caption", path, kMaxWebhookTextBytes)), 1};
    }
    return {};
}

std::string place(const json::object& msg, std::string_view path) {
    const json::object* venue = opt_object(msg, "venue", path);
    const json::object* loc =
        venue ? opt_object(*venue, "location", at(path, "venue")) : opt_object(msg, "location", path);
    const std::string lp = venue ? at(at(path, "venue"), "location") : at(path, "location");
    std::string words;
    if (venue) {
        words = opt_string(*venue, "title", at(path, "venue"), kShort);
        const std::string addr = opt_string(*venue, "address", at(path, "venue"), kShort);
        if (!addr.empty()) words += (words.empty() ? "" : ", ") + addr;
    }
    std::string out = "Location: " + words;
    const auto lat = loc ? opt_number(*loc, "latitude", lp) : std::nullopt;
    const auto lon = loc ? opt_number(*loc, "longitude", lp) : std::nullopt;
    if (lat && lon) out += (words.empty() ? "(" : " (") + format_number(*lat) + ", " + format_number(*lon) + ")";
    return out;
}

Content content(const json::object& msg, std::string_view path) {
    std::string text = opt_string(msg, "text", path, kMaxWebhookTextBytes);
    if (!text.empty()) return {std::move(text), 0};
    if (auto m = media(msg, path); !m.body.empty()) return m;
    if (msg.contains("venue") || msg.contains("location")) return {place(msg, path), 0};
    if (const auto* c = opt_object(msg, "contact", path)) {
        const std::string cp = at(path, "contact");
        std::string line = full_name(*c, cp);
        const std::string phone = opt_string(*c, "phone_number", cp, kShort);
        if (!phone.empty()) line += (line.empty() ? "" : ", ") + phone;
        return {"Shared a contact: " + line, 0};
    }
    if (const auto* p = opt_object(msg, "poll", path))
        return {"Sent a poll: " + opt_string(*p, "question", at(path, "poll"), kShort), 0};
    if (const auto* d = opt_object(msg, "dice", path))
        return {"Rolled " + opt_string(*d, "emoji", at(path, "dice"), kShort) + " " +
                    opt_id(*d, "value", at(path, "dice"), kShort),
                0};
    return {"[unsupported Telegram message]", 0};
}

std::string im_of(const json::object& user, std::string_view path, std::string_view id) {
    const std::string username = opt_string(user, "username", path, kShort);
    const std::string im = username.empty() ? "telegram:" + std::string(id) : "telegram:@" + username;
    return std::string(utf8_prefix(im, kShort));
}

// Builds the event of one message-like update, or says why it is not one.
std::optional<Event> message_event(const json::object& msg, std::string_view path, std::string_view kind,
                                   const std::string& update_id, const TelegramOptions& options,
                                   std::vector<std::string>& ignored) {
    const auto* chat = opt_object(msg, "chat", path);
    if (!chat) fail("missing field", at(path, "chat"));
    const std::string chat_p = at(path, "chat");
    const std::string chat_id = opt_id(*chat, "id", chat_p, 64);
    if (chat_id.empty()) fail("missing field", at(chat_p, "id"));
    const std::string chat_type = opt_string(*chat, "type", chat_p, kMaxIdBytes);
    const auto* from = opt_object(msg, "from", path);
    if (!from) {
        ignored.push_back("update " + update_id + ": " + std::string(kind) + " without a sender");
        return std::nullopt;
    }
    const std::string from_p = at(path, "from");
    const std::string from_id = opt_id(*from, "id", from_p, 64);
    const bool business = kind == "business_message" || kind == "edited_business_message";
    // In a business chat the chat is the customer: anyone else writing in it is us.
    const bool ours = business && (from_id != chat_id || msg.contains("sender_business_bot"));
    if (opt_bool(*from, "is_bot", from_p) && !ours) {
        ignored.push_back("update " + update_id + ": message from a bot");
        return std::nullopt;
    }
    if (chat_type != "private" && !business && !options.accept_group_chats) {
        ignored.push_back("update " + update_id + ": message in a " + chat_type + " chat");
        return std::nullopt;
    }
    Event e;
    e.channel = router::Channel::chat;
    e.direction = ours ? router::Direction::outbound : router::Direction::inbound;
    e.account = options.account;
    // update_id alone would do for retries, but Telegram restarts it at random after a
    // silent week: chat and message id make a collision with an old update impossible.
    e.message_id = "tg:" + update_id + ":" + chat_id + ":" + opt_id(msg, "message_id", path, 32);
    e.thread_id = chat_id;
    const bool edited = kind.substr(0, 7) == "edited_";
    const auto* when = msg.if_contains(edited && msg.contains("edit_date") ? "edit_date" : "date");
    e.received_at = unix_seconds(when ? *when : json::value(), at(path, edited ? "edit_date" : "date"));
    e.sender.name = full_name(*from, from_p);
    e.sender.im = im_of(*from, from_p, from_id);
    auto c = content(msg, path);
    e.body = edited ? "[edited] " + c.body : std::move(c.body);
    e.attachments = c.attachments;
    return e;
}

WebhookBatch parse_or_throw(std::string_view raw, const TelegramOptions& options) {
    json::value storage;
    const auto& root = parse_body(raw, storage);
    const auto* uid = root.if_contains("update_id");
    if (!uid || uid->is_null()) fail("missing field", "update_id");
    if (!uid->is_int64() && !uid->is_uint64()) fail("must be a whole number", "update_id");
    const std::string update_id = scalar_text(*uid, "update_id", 32);
    WebhookBatch batch;
    for (const char* kind : {"message", "edited_message", "business_message", "edited_business_message"}) {
        const auto* msg = opt_object(root, kind, "");
        if (!msg) continue;
        if (auto e = message_event(*msg, kind, kind, update_id, options, batch.ignored))
            batch.events.push_back(std::move(*e));
        return batch;
    }
    std::string what;
    for (const auto& kv : root)
        if (kv.key() != "update_id") what = std::string(utf8_prefix(kv.key(), 64));
    batch.ignored.push_back("update " + update_id + ": " + (what.empty() ? "empty update" : what) + " is not handled");
    return batch;
}

}  // namespace

bool verify_telegram_secret(std::string_view expected, std::string_view header) {
    return !expected.empty() && constant_time_equal(expected, header);
}

Expected<WebhookBatch> parse_telegram(std::string_view raw_body, const TelegramOptions& options) {
    try {
        return parse_or_throw(raw_body, options);
    } catch (const webhook_json::WebhookFailure& f) {
        return f.error;
    }
}

}  // namespace ir::adapters
