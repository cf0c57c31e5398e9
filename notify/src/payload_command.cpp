// E-mail through the local MTA's sendmail, and the exec kind: a command fed on stdin.
#include <unistd.h>

#include <boost/json.hpp>

#include <ctime>

#include "ir/adapters/alert_json.hpp"
#include "ir/notify/outgoing.hpp"
#include "ir/notify/seq_ranges.hpp"
#include "ir/notify/signing.hpp"
#include "markup.hpp"
#include "payloads.hpp"

namespace ir::notify {
namespace json = boost::json;

namespace {

bool ascii(std::string_view s) {
    for (unsigned char c : s)
        if (c >= 0x80 || c < 0x20) return false;
    return true;
}

// RFC 2047 for a header that is not plain ASCII: =?UTF-8?B?...?= words of at most 45 bytes,
// cut between UTF-8 characters.
std::string encode_header(std::string_view text) {
    if (ascii(text)) return std::string(text);
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t n = std::min<std::size_t>(45, text.size() - i);
        while (i + n < text.size() && (static_cast<unsigned char>(text[i + n]) & 0xC0) == 0x80) --n;
        out += (out.empty() ? "" : "\r\n ") + std::string("=?UTF-8?B?") + base64(text.substr(i, n)) + "?=";
        i += n;
    }
    return out;
}

std::string rfc5322_date(sla::TimePoint now) {
    const std::time_t t = sla::to_unix_ms(now) / 1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    return buf;
}

std::string host_name() {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "localhost";
    return buf;
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : std::string(sep)) + s;
    return out;
}

Command email(const Destination& d, const Batch& batch, const Message& m, sla::TimePoint now) {
    std::string id;
    for (char c : batch.delivery_id) id += std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '.';
    const std::string host = host_name();
    std::string mail;
    mail += "From: " + (d.spec.from.empty() ? "inquiryd <inquiryd@" + host + ">" : d.spec.from) + "\n";
    mail += "To: " + join(d.spec.to, ", ") + "\n";
    mail += "Subject: " + encode_header(m.title) + "\n";
    mail += "Date: " + rfc5322_date(now) + "\n";
    mail += "Message-ID: <" + id + "@inquiryd." + host + ">\n";
    mail += "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n";
    mail += "Auto-Submitted: auto-generated\n";  // RFC 3834: no vacation replies to us
    mail += "X-Inquiry-Delivery-Id: " + batch.delivery_id + "\n\n";
    BodyOptions o;
    o.title = false;
    o.max_bytes = 1 << 20;
    mail += render_body(m, Markup::plain, o) + "\n";
    Command c;
    c.argv = d.spec.sendmail.empty() ? std::vector<std::string>{"/usr/sbin/sendmail"} : d.spec.sendmail;
    c.argv.push_back("-t");
    c.argv.push_back("-oi");
    c.input = std::move(mail);
    return c;
}

json::object alert_json(const AlertItem& item, const std::string& console_url) {
    json::object o = adapters::alert_to_json(item.alert);
    if (item.facts) {
        o["buyer"] = item.facts->buyer;
        o["company"] = item.facts->company;
        json::array reasons;
        for (const auto& r : item.facts->reasons) reasons.emplace_back(r);
        o["reasons"] = std::move(reasons);
        o["suspect"] = item.facts->suspect;
    }
    const std::string link = inquiry_link(console_url, item.alert.inquiry_id());
    o["link"] = link.empty() ? json::value(nullptr) : json::value(link);
    return o;
}

Command exec(const Destination& d, const Batch& batch, const Message& m) {
    json::object input;
    std::string console;  // the message's link is the inquiry's: take its base back
    if (const auto at = m.link.rfind("/inquiries"); at != std::string::npos) console = m.link.substr(0, at);
    if (batch.digest()) {
        json::array alerts;
        for (const auto& item : batch.items) alerts.push_back(alert_json(item, console));
        input = {{"alerts", std::move(alerts)}};
    } else {
        input = alert_json(batch.items.front(), console);
    }
    input["delivery_id"] = batch.delivery_id;
    input["message"] = {{"title", m.title}, {"summary", m.summary}, {"language", m.language}};
    return {d.spec.command, json::serialize(input) + "\n"};
}

}  // namespace

Command build_command(const Destination& d, const Batch& batch, const Message& m, sla::TimePoint now) {
    return d.spec.kind == Kind::email ? email(d, batch, m, now) : exec(d, batch, m);
}

std::string delivery_id(const std::string& destination, const std::vector<AlertItem>& items) {
    if (items.empty()) return destination + ":0";
    std::string id = destination + ":" + std::to_string(items.front().alert.seq());
    if (items.size() > 1) id += "-" + std::to_string(items.back().alert.seq());
    return id;
}

Outgoing build_outgoing(const Destination& d, const Batch& batch, const Message& message, sla::TimePoint now) {
    if (!is_http(d.spec.kind)) return build_command(d, batch, message, now);
    HttpPost post = build_http_post(d, message, now);
    SeqRanges seqs;
    for (const auto& item : batch.items) seqs.add(static_cast<std::int64_t>(item.alert.seq()));
    post.headers = {{"Content-Type", "application/json; charset=utf-8"},
                    {"X-Inquiry-Delivery-Id", batch.delivery_id},
                    {"X-Inquiry-Alert-Seqs", seqs.str()}};
    return post;
}

}  // namespace ir::notify
