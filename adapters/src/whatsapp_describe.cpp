// Every WhatsApp message type in words: text as is, media with caption and mime type,
// location, reaction, replies to buttons and lists, shared contacts, orders; anything
// else "[unsupported message type: X]". Nothing is dropped.
#include "ir/adapters/whatsapp_describe.hpp"

#include <boost/json.hpp>

#include "ir/adapters/event_json.hpp"
#include "ir/adapters/webhook.hpp"
#include "ir/adapters/webhook_json.hpp"

namespace ir::adapters::whatsapp_detail {
namespace {
namespace json = boost::json;
using namespace webhook_json;

constexpr std::size_t kText = kMaxWebhookTextBytes;
constexpr std::size_t kShort = kMaxSenderFieldBytes;

const json::object& part(const json::object& msg, std::string_view type, std::string_view path) {
    const auto* p = opt_object(msg, type, path);
    if (!p) fail("missing field", at(path, type));
    return *p;
}

std::string with_detail(std::string head, const std::string& detail) {
    if (!detail.empty()) head.append(": ").append(detail);
    return head;
}

Described media(const json::object& msg, std::string_view type, std::string_view path) {
    const std::string p = at(path, type);
    const auto& m = part(msg, type, path);
    const std::string mime = opt_string(m, "mime_type", p, kShort);
    const std::string caption = opt_string(m, "caption", p, kText);
    std::string head;
    if (type == "image") head = "Sent an image";
    if (type == "video") head = "Sent a video";
    if (type == "sticker") head = opt_bool(m, "animated", p) ? "Sent an animated sticker" : "Sent a sticker";
    if (type == "audio") head = opt_bool(m, "voice", p) ? "Sent a voice message" : "Sent an audio file";
    if (type == "document") {
        const std::string name = opt_string(m, "filename", p, kShort);
        head = name.empty() ? "Sent a document" : "Sent a document \"" + name + "\"";
    }
    if (!mime.empty()) head += " (" + mime + ")";
    return {with_detail(std::move(head), caption), 1};
}

std::string location(const json::object& msg, std::string_view path) {
    const std::string p = at(path, "location");
    const auto& l = part(msg, "location", path);
    const auto lat = opt_number(l, "latitude", p), lon = opt_number(l, "longitude", p);
    std::string words;
    for (const auto* key : {"name", "address"}) {
        std::string s = opt_string(l, key, p, kShort);
        if (s.empty()) continue;
        if (!words.empty()) words += ", ";
        words += s;
    }
    std::string out = "Location: " + words;
    if (lat && lon) out += (words.empty() ? "(" : " (") + format_number(*lat) + ", " + format_number(*lon) + ")";
    if (words.empty() && !(lat && lon)) out += "(no coordinates)";
    return out;
}

std::string reaction(const json::object& msg, std::string_view path) {
    const std::string p = at(path, "reaction");
    const auto& r = part(msg, "reaction", path);
    const std::string target = opt_string(r, "message_id", p, kMaxIdBytes);
    const std::string emoji = opt_string(r, "emoji", p, kShort);
    if (emoji.empty()) return "Removed a reaction from message " + target;
    return "Reacted " + emoji + " to message " + target;
}

std::string interactive(const json::object& msg, std::string_view path) {
    const std::string p = at(path, "interactive");
    const auto& i = part(msg, "interactive", path);
    const std::string kind = opt_string(i, "type", p, kShort);
    if (kind == "button_reply" || kind == "list_reply") {
        const std::string kp = at(p, kind);
        const auto* reply = opt_object(i, kind, p);
        if (!reply) fail("missing field", kp);
        std::string out = "Chose: " + opt_string(*reply, "title", kp, kShort);
        const std::string desc = opt_string(*reply, "description", kp, kShort);
        if (!desc.empty()) out += " (" + desc + ")";
        return out;
    }
    if (kind == "nfm_reply") {
        const auto* reply = opt_object(i, "nfm_reply", p);
        std::string out = "Submitted a form";
        if (reply) {
            const std::string kp = at(p, "nfm_reply");
            out = with_detail(out, opt_string(*reply, "body", kp, kText));
            out = with_detail(out, opt_string(*reply, "response_json", kp, kText));
        }
        return out;
    }
    return "[unsupported interactive reply: " + kind + "]";
}

std::string shared_contacts(const json::object& msg, std::string_view path) {
    const auto* list = opt_array(msg, "contacts", path, 100);
    if (!list || list->empty()) return "Shared a contact";
    std::string out = list->size() == 1 ? "Shared a contact:" : "Shared contacts:";
    for (std::size_t k = 0; k < list->size(); ++k) {
        const std::string p = at(at(path, "contacts"), k);
        const auto& c = need_object((*list)[k], p);
        std::string line;
        if (const auto* n = opt_object(c, "name", p)) line = opt_string(*n, "formatted_name", at(p, "name"), kShort);
        if (const auto* org = opt_object(c, "org", p))
            line = with_detail(line, opt_string(*org, "company", at(p, "org"), kShort));
        for (const auto* key : {"phones", "emails"}) {
            const auto* arr = opt_array(c, key, p, 20);
            for (std::size_t j = 0; arr && j < arr->size(); ++j) {
                const std::string ep = at(at(p, key), j);
                const auto& e = need_object((*arr)[j], ep);
                const std::string v = opt_string(e, key == std::string_view("phones") ? "phone" : "email", ep, kShort);
                if (!v.empty()) line += (line.empty() ? "" : ", ") + v;
            }
        }
        out += "\n" + line;
    }
    return out;
}

std::string order(const json::object& msg, std::string_view path) {
    const std::string p = at(path, "order");
    const auto& o = part(msg, "order", path);
    std::string out = "Order from catalogue " + opt_string(o, "catalog_id", p, kShort) + ":";
    const auto* items = opt_array(o, "product_items", p, 1000);
    for (std::size_t k = 0; items && k < items->size(); ++k) {
        const std::string ip = at(at(p, "product_items"), k);
        const auto& it = need_object((*items)[k], ip);
        out += "\n" + opt_id(it, "quantity", ip, kShort) + " x " + opt_id(it, "product_retailer_id", ip, kShort);
        const std::string price = opt_id(it, "item_price", ip, kShort);
        if (!price.empty()) out += " at " + price + " " + opt_string(it, "currency", ip, kShort);
    }
    const std::string text = opt_string(o, "text", p, kText);
    if (!text.empty()) out += "\n" + text;
    return out;
}

std::string unsupported(const json::object& msg, std::string_view type, std::string_view path) {
    std::string out = "[unsupported message type: " + std::string(type);
    const auto* errors = opt_array(msg, "errors", path, 100);
    if (errors && !errors->empty() && (*errors)[0].is_object()) {
        const auto& e = (*errors)[0].get_object();
        const std::string ep = at(at(path, "errors"), 0);
        std::string title = opt_string(e, "title", ep, kShort);
        if (const auto* d = opt_object(e, "error_data", ep))
            title = with_detail(title, opt_string(*d, "details", at(ep, "error_data"), kShort));
        if (!title.empty()) out += " (" + title + ")";
    }
    return out + "]";
}

}  // namespace

Described describe_message(const json::object& msg, std::string_view type, std::string_view path) {
    if (type == "text") {
        const auto& t = part(msg, "text", path);
        return {opt_string(t, "body", at(path, "text"), kText), 0};
    }
    if (type == "image" || type == "video" || type == "audio" || type == "document" || type == "sticker")
        return media(msg, type, path);
    if (type == "location") return {location(msg, path), 0};
    if (type == "reaction") return {reaction(msg, path), 0};
    if (type == "interactive") return {interactive(msg, path), 0};
    if (type == "button") {
        const auto& b = part(msg, "button", path);
        return {"Chose: " + opt_string(b, "text", at(path, "button"), kShort), 0};
    }
    if (type == "contacts") return {shared_contacts(msg, path), 0};
    if (type == "order") return {order(msg, path), 0};
    return {unsupported(msg, type, path), 0};
}

}  // namespace ir::adapters::whatsapp_detail
