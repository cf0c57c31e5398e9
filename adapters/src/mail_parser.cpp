// A mail to an event: headers, threading, direction, classification, body and contact.
#include "ir/adapters/mail_parser.hpp"

#include "ir/base/text.hpp"

#include <gmime/gmime.h>
#include <openssl/evp.h>

#include <algorithm>
#include <memory>
#include <mutex>

#include "ir/adapters/event_json.hpp"
#include "ir/adapters/mail_date.hpp"
#include "ir/adapters/mail_mime.hpp"
#include "ir/adapters/mail_text.hpp"
#include "ir/adapters/mail_trust.hpp"

// GLib's type-check macros are C casts.
#pragma GCC diagnostic ignored "-Wold-style-cast"

namespace ir::adapters {
namespace {

struct Unref {
    void operator()(void* p) const { g_object_unref(p); }
};
struct FreeOptions {
    void operator()(GMimeParserOptions* p) const { g_mime_parser_options_free(p); }
};
struct FreeRefs {
    void operator()(GMimeReferences* p) const { g_mime_references_free(p); }
};

std::string header(GMimeMessage* m, const char* name) {
    const char* v = g_mime_object_get_header(GMIME_OBJECT(m), name);
    return v ? mime::valid_utf8(v) : std::string{};
}

std::string bracketed(std::string_view id) {
    return "<" + std::string(id) + ">";
}

// A Message-ID for mail without one: the same bytes always get the same id.
std::string hashed_id(std::string_view raw) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(raw.data(), raw.size(), digest, &len, EVP_sha256(), nullptr);
    static const char* hex = "0123456789abcdef";
    std::string out = "<sha256-";
    for (unsigned i = 0; i < 16 && i < len; ++i) out += hex[digest[i] >> 4], out += hex[digest[i] & 15];
    return out + "@no-message-id.invalid>";
}

// The first Message-ID of a References or In-Reply-To header: the conversation's root.
std::string first_reference(GMimeParserOptions* opts, const std::string& text) {
    if (text.empty()) return {};
    std::unique_ptr<GMimeReferences, FreeRefs> refs(g_mime_references_parse(opts, text.c_str()));
    if (!refs || g_mime_references_length(refs.get()) == 0) return {};
    const char* id = g_mime_references_get_message_id(refs.get(), 0);
    return id && *id ? bracketed(mime::valid_utf8(id)) : std::string{};
}

struct From {
    std::string name;
    std::string email;
};

From first_from(GMimeMessage* m) {
    InternetAddressList* list = g_mime_message_get_from(m);
    for (int i = 0; list && i < internet_address_list_length(list); ++i) {
        InternetAddress* a = internet_address_list_get_address(list, i);
        if (INTERNET_ADDRESS_IS_GROUP(a)) {
            list = internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a));
            i = -1;
            continue;
        }
        if (!INTERNET_ADDRESS_IS_MAILBOX(a)) continue;
        const char* name = internet_address_get_name(a);
        const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
        return {mime::valid_utf8(name ? name : ""), mime::valid_utf8(addr ? addr : "")};
    }
    return {};
}

// Bounces, delivery reports and auto-replies: a reason, or empty for a person's mail.
std::string not_inquiry_reason(GMimeMessage* m, const From& from) {
    GMimeObject* body = g_mime_message_get_mime_part(m);
    auto* ct = body ? g_mime_object_get_content_type(body) : nullptr;
    if (ct && (g_mime_content_type_is_type(ct, "multipart", "report") ||
               g_mime_content_type_is_type(ct, "message", "delivery-status")))
        return "delivery report (" + ascii_lower(g_mime_content_type_get_media_type(ct)) + "/" +
               ascii_lower(g_mime_content_type_get_media_subtype(ct)) + ")";
    const std::string local = ascii_lower(from.email.substr(0, from.email.find('@')));
    if (local == "mailer-daemon" || local == "postmaster" || ascii_lower(from.name) == "mail delivery subsystem")
        return "bounce (from " + from.email + ")";
    std::string auto_submitted = ascii_lower(header(m, "Auto-Submitted"));
    auto_submitted.erase(0, auto_submitted.find_first_not_of(" \t"));
    if (!auto_submitted.empty() && auto_submitted.rfind("no", 0) != 0)
        return "automatic mail (Auto-Submitted: " + auto_submitted.substr(0, 40) + ")";
    for (const char* h : {"X-Autoreply", "X-Autorespond", "X-Auto-Reply"})
        if (g_mime_object_get_header(GMIME_OBJECT(m), h)) return std::string("auto-reply (") + h + ")";
    const std::string precedence = ascii_lower(header(m, "Precedence"));
    for (const char* p : {"auto_reply", "bulk", "junk"})
        if (precedence.find(p) != std::string::npos)
            return "automatic mail (Precedence: " + precedence.substr(0, 40) + ")";
    return {};
}

// xxxx@marketplace.amazon.com, @marketplace.amazon.de, ...: Amazon's buyer-seller relay.
bool is_amazon_relay(const std::string& email) {
    const std::string domain = ascii_lower(email.substr(email.find('@') + 1));
    return domain.rfind("marketplace.amazon.", 0) == 0;
}

bool has_any_header(GMimeMessage* m) {
    for (const char* h : {"From", "To", "Date", "Subject", "Message-ID", "Received", "Sender"})
        if (g_mime_object_get_header(GMIME_OBJECT(m), h)) return true;
    return false;
}

void fill_ids(GMimeMessage* m, GMimeParserOptions* opts, std::string_view raw, router::Event& e) {
    const char* id = g_mime_message_get_message_id(m);
    e.message_id = id && *id ? bracketed(mime::valid_utf8(id)) : std::string{};
    if (e.message_id.empty() || e.message_id.size() > kMaxIdBytes) e.message_id = hashed_id(raw);
    e.thread_id = first_reference(opts, header(m, "References"));
    if (e.thread_id.empty()) e.thread_id = first_reference(opts, header(m, "In-Reply-To"));
    if (e.thread_id.empty() || e.thread_id.size() > kMaxIdBytes) e.thread_id = e.message_id;
}

void fill_sender(const From& from, const std::string& signature, router::Event& e) {
    e.sender.email = std::string(utf8_prefix(from.email, kMaxSenderFieldBytes));
    std::string name = from.name;
    if (e.channel == router::Channel::marketplace) {  // "Jane Doe - Amazon Marketplace"
        if (auto p = name.find(" - Amazon"); p != std::string::npos) name.erase(p);
    }
    e.sender.name = std::string(utf8_prefix(name, kMaxSenderFieldBytes));
    read_contact(signature, e.sender);
    // Signature text is cut at arbitrary bytes: repair, then bound every field.
    for (auto* f : {&e.sender.name, &e.sender.company, &e.sender.phone, &e.sender.address, &e.sender.im})
        *f = std::string(utf8_prefix(mime::valid_utf8(*f), kMaxSenderFieldBytes));
}

bool is_own(const MailOptions& o, const std::string& email) {
    const std::string l = ascii_lower(email);
    return std::any_of(o.own_addresses.begin(), o.own_addresses.end(),
                       [&](const std::string& a) { return ascii_lower(a) == l; });
}

// Every value of header `name`, topmost first.
std::vector<std::string> header_values(GMimeMessage* m, const char* name) {
    std::vector<std::string> out;
    GMimeHeaderList* list = g_mime_object_get_header_list(GMIME_OBJECT(m));
    const int n = list ? g_mime_header_list_get_count(list) : 0;
    for (int i = 0; i < n; ++i) {
        GMimeHeader* h = g_mime_header_list_get_header_at(list, i);
        const char* hname = h ? g_mime_header_get_name(h) : nullptr;
        const char* value = h ? g_mime_header_get_raw_value(h) : nullptr;
        if (hname && value && g_ascii_strcasecmp(hname, name) == 0) out.emplace_back(value);
    }
    return out;
}

std::optional<sla::TimePoint> date_of(GMimeMessage* m) {
    GDateTime* date = g_mime_message_get_date(m);  // owned by the message
    if (!date) return std::nullopt;
    return sla::TimePoint{std::chrono::seconds{g_date_time_to_unix(date)}};
}

// The time the last hop stamped: after the last ';' of the topmost Received:.
std::optional<sla::TimePoint> top_received_time(GMimeMessage* m) {
    const auto values = header_values(m, "Received");
    if (values.empty()) return std::nullopt;
    const auto semicolon = values.front().rfind(';');
    if (semicolon == std::string::npos) return std::nullopt;
    std::string text = values.front().substr(semicolon + 1);
    for (char& c : text)
        if (c == '\r' || c == '\n') c = ' ';  // folded
    GDateTime* date = g_mime_utils_header_decode_date(text.c_str());
    if (!date) return std::nullopt;
    const sla::TimePoint at{std::chrono::seconds{g_date_time_to_unix(date)}};
    g_date_time_unref(date);
    return at;
}

// Our reply: from the Sent folder, or From an own address with the trusted server's dmarc=pass.
bool is_our_reply(GMimeMessage* m, const MailOptions& o, const From& from) {
    if (o.outbound) return true;
    if (!is_own(o, from.email)) return false;
    return judge_own_mail(header_values(m, "Authentication-Results"), o.trusted_authserv_id).trusted;
}

MailResult build(GMimeMessage* m, GMimeParserOptions* opts, std::string_view raw, const MailOptions& o,
                 std::string* date_note) {
    if (!has_any_header(m)) return MailError{"not a mail: no From, To, Date, Subject or Message-ID header"};
    const From from = first_from(m);
    router::Event e;
    fill_ids(m, opts, raw, e);
    const bool own = is_our_reply(m, o, from);
    if (!own)
        if (auto reason = not_inquiry_reason(m, from); !reason.empty())
            return MailNotInquiry{std::move(reason), from.email, e.message_id};
    mime::Walker walker({o.max_parts, o.max_depth});
    walker.walk(g_mime_message_get_mime_part(m));
    if (!walker.error.empty()) return MailError{walker.error};
    const auto parts = split_body(walker.text());
    e.account = o.account;
    e.channel = is_amazon_relay(from.email) ? router::Channel::marketplace : router::Channel::email;
    e.direction = own ? router::Direction::outbound : router::Direction::inbound;
    auto received = received_time(date_of(m), top_received_time(m), o.arrival, o.date_skew);
    e.received_at = received.at;
    if (date_note) *date_note = std::move(received.clamped);
    const char* subject = g_mime_message_get_subject(m);
    e.subject = std::string(utf8_prefix(mime::valid_utf8(subject ? subject : ""), kMaxSubjectBytes));
    e.body = std::string(utf8_prefix(parts.fresh, kMaxMailBodyBytes));
    e.attachments = static_cast<std::uint32_t>(walker.attachments);
    fill_sender(from, parts.signature, e);
    return e;
}

}  // namespace

void init_gmime() {
    static std::once_flag once;
    std::call_once(once, [] { g_mime_init(); });
}

MailResult parse_mail(std::string_view raw, const MailOptions& options, std::string* date_note) {
    if (raw.size() > options.max_bytes)
        return MailError{"mail too big: " + std::to_string(raw.size()) + " bytes, the limit is " +
                         std::to_string(options.max_bytes)};
    if (raw.find_first_not_of(" \t\r\n") == std::string_view::npos) return MailError{"empty file"};
    init_gmime();
    std::unique_ptr<GMimeParserOptions, FreeOptions> opts(g_mime_parser_options_new());
    const char* fallback[] = {"UTF-8", "windows-1252", nullptr};
    g_mime_parser_options_set_fallback_charsets(opts.get(), fallback);
    g_mime_parser_options_set_rfc2047_compliance_mode(opts.get(), GMIME_RFC_COMPLIANCE_LOOSE);
    std::unique_ptr<GMimeStream, Unref> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
    std::unique_ptr<GMimeParser, Unref> parser(g_mime_parser_new_with_stream(stream.get()));
    g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
    std::unique_ptr<GMimeMessage, Unref> message(g_mime_parser_construct_message(parser.get(), opts.get()));
    if (!message) return MailError{"not a mail: GMime could not read a message from it"};
    return build(message.get(), opts.get(), raw, options, date_note);
}

}  // namespace ir::adapters
