// WhatsApp Business Cloud API webhooks to events. Buyers are known by their phone number
// (wa_id) or, for users who hide it behind a username, by their business-scoped user id
// (BSUID, "US.13491208655302741918"): the thread is the phone number when there is one.
#include "ir/adapters/whatsapp.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <vector>

#include "ir/adapters/event_json.hpp"
#include "ir/adapters/hmac.hpp"
#include "ir/adapters/webhook_json.hpp"
#include "ir/adapters/whatsapp_describe.hpp"

namespace ir::adapters {
namespace {
namespace json = boost::json;
using namespace webhook_json;
using router::Event;

struct Contact {
    std::string wa_id, user_id, name, username;
};

struct Change {
    std::string account;
    std::string business_phone;  // display_phone_number, digits
    std::vector<Contact> contacts;
};

bool is_phone(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percent_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out.push_back(' ');
        } else if (s[i] == '%' && i + 2 < s.size() && hex_digit(s[i + 1]) >= 0 && hex_digit(s[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2])));
            i += 2;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

// BSUIDs begin with the user's ISO 3166 alpha-2 country and a dot.
std::string country_of_bsuid(std::string_view id) {
    if (id.size() > 3 && id[2] == '.' && id[0] >= 'A' && id[0] <= 'Z' && id[1] >= 'A' && id[1] <= 'Z')
        return std::string(id.substr(0, 2));
    return {};
}

void fill_buyer(router::Sender& s, std::string_view wa_id, std::string_view bsuid) {
    if (!wa_id.empty()) {
        s.phone = "+" + std::string(wa_id);
        s.im = "whatsapp:+" + std::string(wa_id);
    } else {
        s.im = "whatsapp:" + std::string(bsuid);
    }
    if (s.country.empty()) s.country = country_of_bsuid(bsuid);
}

std::string thread_of(std::string_view wa_id, std::string_view bsuid) {
    return std::string(wa_id.empty() ? bsuid : wa_id);
}

std::vector<Contact> read_contacts(const json::object& value, std::string_view path) {
    std::vector<Contact> out;
    const auto* list = opt_array(value, "contacts", path, kMaxWebhookEvents);
    for (std::size_t i = 0; list && i < list->size(); ++i) {
        const std::string p = at(at(path, "contacts"), i);
        const auto& c = need_object((*list)[i], p);
        Contact k;
        k.wa_id = opt_string(c, "wa_id", p, kMaxIdBytes);
        k.user_id = opt_string(c, "user_id", p, kMaxIdBytes);
        if (const auto* prof = opt_object(c, "profile", p)) {
            k.name = opt_string(*prof, "name", at(p, "profile"), kMaxSenderFieldBytes);
            k.username = opt_string(*prof, "username", at(p, "profile"), kMaxSenderFieldBytes);
        }
        out.push_back(std::move(k));
    }
    return out;
}

const Contact* find_contact(const Change& ch, std::string_view wa_id, std::string_view bsuid) {
    for (const auto& c : ch.contacts)
        if ((!wa_id.empty() && c.wa_id == wa_id) || (!bsuid.empty() && c.user_id == bsuid)) return &c;
    return ch.contacts.size() == 1 ? &ch.contacts[0] : nullptr;
}

std::string resolve_account(const json::object& value, std::string_view path, const WhatsAppOptions& options,
                            std::string& business_phone) {
    std::string id;
    if (const auto* meta = opt_object(value, "metadata", path)) {
        id = opt_id(*meta, "phone_number_id", at(path, "metadata"), kMaxIdBytes);
        business_phone = opt_id(*meta, "display_phone_number", at(path, "metadata"), kMaxIdBytes);
        business_phone.erase(
            std::remove_if(business_phone.begin(), business_phone.end(), [](char c) { return c < '0' || c > '9'; }),
            business_phone.end());
    }
    if (auto it = options.phone_number_accounts.find(id); !id.empty() && it != options.phone_number_accounts.end())
        return it->second;
    if (options.account.empty())
        fail("no account is configured for this phone_number_id", at(at(path, "metadata"), "phone_number_id"), true);
    return options.account;
}

Event inbound(const json::object& msg, std::string_view path, const Change& ch) {
    Event e;
    e.channel = router::Channel::chat;
    e.direction = router::Direction::inbound;
    e.account = ch.account;
    e.message_id = need_string(msg, "id", path, kMaxIdBytes);
    const std::string from = opt_string(msg, "from", path, kMaxIdBytes);
    const std::string from_user = opt_string(msg, "from_user_id", path, kMaxIdBytes);
    if (from.empty() && from_user.empty()) fail("missing field (and no from_user_id)", at(path, "from"));
    const auto* ts = msg.if_contains("timestamp");
    e.received_at = unix_seconds(ts ? *ts : json::value(), at(path, "timestamp"));
    const std::string type = need_string(msg, "type", path, kMaxIdBytes);
    const Contact* c = find_contact(ch, from, from_user);
    const std::string wa_id = is_phone(from) ? from : (c && is_phone(c->wa_id) ? c->wa_id : "");
    std::string bsuid = !from_user.empty() ? from_user : (c ? c->user_id : "");
    if (wa_id.empty() && bsuid.empty()) bsuid = from;  // neither a phone number nor a BSUID: keep what we have
    if (c) e.sender.name = c->name.empty() ? c->username : c->name;
    fill_buyer(e.sender, wa_id, bsuid);
    e.thread_id = thread_of(wa_id, bsuid);
    auto d = whatsapp_detail::describe_message(msg, type, path);
    e.body = std::move(d.body);
    e.attachments = d.attachments;
    if (const auto* ctx = opt_object(msg, "context", path)) {
        const std::string cp = at(path, "context");
        if (opt_bool(*ctx, "forwarded", cp) || opt_bool(*ctx, "frequently_forwarded", cp))
            e.body = "[forwarded] " + e.body;
        if (const auto* prod = opt_object(*ctx, "referred_product", cp))
            e.body += "\n[about catalogue product " +
                      opt_string(*prod, "product_retailer_id", at(cp, "referred_product"), kMaxIdBytes) + "]";
    }
    if (const auto* ref = opt_object(msg, "referral", path)) {
        const std::string headline = opt_string(*ref, "headline", at(path, "referral"), kMaxSubjectBytes);
        if (!headline.empty()) e.subject = std::string(utf8_prefix("Ad: " + headline, kMaxSubjectBytes));
    }
    return e;
}

// A status of a message we sent: sent/delivered/read count as our reply (once per message).
std::optional<Event> outbound(const json::object& st, std::string_view path, const Change& ch,
                              std::vector<std::string>& ignored) {
    const std::string id = need_string(st, "id", path, kMaxIdBytes);
    const std::string status = need_string(st, "status", path, kMaxIdBytes);
    if (status != "sent" && status != "delivered" && status != "read") {
        std::string why = "status " + status + " of our message " + id;
        const auto* errors = opt_array(st, "errors", path, 100);
        if (errors && !errors->empty() && (*errors)[0].is_object())
            why +=
                ": " + opt_string((*errors)[0].get_object(), "title", at(at(path, "errors"), 0), kMaxSenderFieldBytes);
        ignored.push_back(std::move(why));
        return std::nullopt;
    }
    Event e;
    e.channel = router::Channel::chat;
    e.direction = router::Direction::outbound;
    e.account = ch.account;
    e.message_id = id;
    const auto* ts = st.if_contains("timestamp");
    e.received_at = unix_seconds(ts ? *ts : json::value(), at(path, "timestamp"));
    const std::string recipient = opt_string(st, "recipient_id", path, kMaxIdBytes);
    const std::string recipient_user = opt_string(st, "recipient_user_id", path, kMaxIdBytes);
    if (recipient.empty() && recipient_user.empty())
        fail("missing field (and no recipient_user_id)", at(path, "recipient_id"));
    const Contact* c = find_contact(ch, recipient, recipient_user);
    const std::string wa_id = is_phone(recipient) ? recipient : (c && is_phone(c->wa_id) ? c->wa_id : "");
    const std::string bsuid = !recipient_user.empty() ? recipient_user : (is_phone(recipient) ? "" : recipient);
    e.thread_id = thread_of(wa_id, bsuid);
    if (!ch.business_phone.empty()) {
        e.sender.phone = "+" + ch.business_phone;
        e.sender.im = "whatsapp:+" + ch.business_phone;
    }
    e.body = "WhatsApp message " + status + " to " + (wa_id.empty() ? bsuid : "+" + wa_id);
    return e;
}

void read_value(const json::object& value, std::string_view path, const WhatsAppOptions& options, WebhookBatch& batch) {
    Change ch;
    ch.account = resolve_account(value, path, options, ch.business_phone);
    ch.contacts = read_contacts(value, path);
    if (const auto* msgs = opt_array(value, "messages", path, kMaxWebhookEvents))
        for (std::size_t i = 0; i < msgs->size(); ++i) {
            const std::string p = at(at(path, "messages"), i);
            batch.events.push_back(inbound(need_object((*msgs)[i], p), p, ch));
        }
    if (const auto* sts = opt_array(value, "statuses", path, kMaxWebhookEvents))
        for (std::size_t i = 0; i < sts->size(); ++i) {
            const std::string p = at(at(path, "statuses"), i);
            if (auto e = outbound(need_object((*sts)[i], p), p, ch, batch.ignored))
                batch.events.push_back(std::move(*e));
        }
    if (const auto* errs = opt_array(value, "errors", path, kMaxWebhookEvents))
        for (std::size_t i = 0; i < errs->size(); ++i) {
            const std::string p = at(at(path, "errors"), i);
            const auto& err = need_object((*errs)[i], p);
            batch.ignored.push_back("webhook error " + opt_id(err, "code", p, kMaxIdBytes) + ": " +
                                    opt_string(err, "title", p, kMaxSenderFieldBytes));
        }
    if (batch.events.size() > kMaxWebhookEvents)
        fail("more than " + std::to_string(kMaxWebhookEvents) + " messages in one request", std::string(path), true);
}

// Statuses sent, delivered and read of one message of ours arrive together: one event per
// message id, at the earliest time, so the daemon never sees the same id twice in a request.
void keep_first_per_id(WebhookBatch& batch) {
    std::vector<Event> kept;
    kept.reserve(batch.events.size());
    for (auto& e : batch.events) {
        auto same =
            std::find_if(kept.begin(), kept.end(), [&](const Event& k) { return k.message_id == e.message_id; });
        if (same == kept.end()) {
            kept.push_back(std::move(e));
            continue;
        }
        batch.ignored.push_back("message " + e.message_id + " repeated in the same request");
        if (e.received_at < same->received_at) *same = std::move(e);
    }
    batch.events = std::move(kept);
}

WebhookBatch parse_body_or_throw(std::string_view raw, const WhatsAppOptions& options) {
    json::value storage;
    const auto& root = parse_body(raw, storage);
    WebhookBatch batch;
    const std::string object = need_string(root, "object", "", kMaxIdBytes);
    if (object != "whatsapp_business_account") {
        batch.ignored.push_back("object " + object + " is not whatsapp_business_account");
        return batch;
    }
    const auto* entries = opt_array(root, "entry", "", kMaxWebhookEvents);
    if (!entries) fail("missing field", "entry");
    for (std::size_t i = 0; i < entries->size(); ++i) {
        const std::string ep = at("entry", i);
        const auto* changes = opt_array(need_object((*entries)[i], ep), "changes", ep, kMaxWebhookEvents);
        for (std::size_t j = 0; changes && j < changes->size(); ++j) {
            const std::string cp = at(at(ep, "changes"), j);
            const auto& change = need_object((*changes)[j], cp);
            const std::string field = opt_string(change, "field", cp, kMaxIdBytes);
            const auto* value = opt_object(change, "value", cp);
            if (field != "messages") {
                batch.ignored.push_back("change of field " + (field.empty() ? "(none)" : field));
                continue;
            }
            if (!value) fail("missing field", at(cp, "value"));
            read_value(*value, at(cp, "value"), options, batch);
        }
    }
    keep_first_per_id(batch);
    return batch;
}

}  // namespace

Expected<std::string> verify_handshake(std::string_view mode, std::string_view verify_token, std::string_view challenge,
                                       std::string_view expected_token) {
    if (mode != "subscribe") return Error{"hub.mode must be subscribe", "hub.mode", true};
    if (expected_token.empty() || !constant_time_equal(verify_token, expected_token))
        return Error{"hub.verify_token does not match", "hub.verify_token", true};
    const bool safe =
        !challenge.empty() && challenge.size() <= 256 && std::all_of(challenge.begin(), challenge.end(), [](char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '_' ||
                   c == '-';
        });
    if (!safe) return Error{"hub.challenge must be 1-256 characters of [0-9A-Za-z._-]", "hub.challenge", true};
    return std::string(challenge);
}

Expected<std::string> verify_handshake_query(std::string_view query, std::string_view expected_token) {
    if (query.size() > 4096) return Error{"query string too long", "", true};
    std::string mode, token, challenge;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        const auto eq = pair.find('=');
        const std::string key = percent_decode(pair.substr(0, eq));
        const std::string value = eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1));
        if (key == "hub.mode") mode = value;
        if (key == "hub.verify_token") token = value;
        if (key == "hub.challenge") challenge = value;
    }
    return verify_handshake(mode, token, challenge, expected_token);
}

bool verify_whatsapp_signature(std::string_view app_secret, std::string_view raw_body, std::string_view header) {
    return verify_hmac_sha256_hex(app_secret, raw_body, header);
}

Expected<WebhookBatch> parse_whatsapp(std::string_view raw_body, const WhatsAppOptions& options) {
    try {
        return parse_body_or_throw(raw_body, options);
    } catch (const webhook_json::WebhookFailure& f) {
        return f.error;
    }
}

}  // namespace ir::adapters
