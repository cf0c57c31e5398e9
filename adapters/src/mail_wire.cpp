// Encoding and decoding the worker protocol of mail_wire.hpp.
#include "ir/adapters/mail_wire.hpp"

#include <boost/json.hpp>

#include "ir/adapters/event_json.hpp"

namespace ir::adapters {
namespace json = boost::json;

std::string frame(std::string_view payload) {
    std::string out = std::to_string(payload.size());
    out += '\n';
    out.append(payload);
    return out;
}

Expected<std::optional<FrameHeader>> read_frame_header(std::string_view buf, std::size_t max_payload) {
    const auto nl = buf.find('\n');
    if (nl == std::string_view::npos) {
        if (buf.size() > kMaxFrameHeaderBytes) return Error{"frame header too long"};
        return std::optional<FrameHeader>{};
    }
    if (nl == 0 || nl > kMaxFrameHeaderBytes) return Error{"malformed frame header"};
    std::size_t n = 0;
    for (char c : buf.substr(0, nl)) {
        if (c < '0' || c > '9') return Error{"malformed frame header"};
        n = n * 10 + static_cast<std::size_t>(c - '0');
        if (n > max_payload) return Error{"frame larger than " + std::to_string(max_payload) + " bytes"};
    }
    return std::optional<FrameHeader>{FrameHeader{nl + 1, n}};
}

std::string encode_mail_request(std::string_view raw, const MailOptions& o) {
    json::array own(o.own_addresses.begin(), o.own_addresses.end());
    const json::object opts{{"account", o.account},
                            {"own_addresses", own},
                            {"arrival_ms", sla::to_unix_ms(o.arrival)},
                            {"date_skew_ms", o.date_skew.count()},
                            {"max_bytes", o.max_bytes},
                            {"max_parts", o.max_parts},
                            {"max_depth", o.max_depth},
                            {"outbound", o.outbound},
                            {"trusted_authserv_id", o.trusted_authserv_id}};
    std::string payload = json::serialize(opts);
    payload += '\n';
    payload.append(raw);
    return payload;
}

Expected<MailRequest> decode_mail_request(std::string_view payload) {
    const auto nl = payload.find('\n');
    if (nl == std::string_view::npos) return Error{"request without options line"};
    boost::system::error_code ec;
    const auto v = json::parse(payload.substr(0, nl), ec);
    if (ec || !v.is_object()) return Error{"request options are not a JSON object"};
    MailRequest r;
    try {
        const auto& o = v.get_object();
        r.options.account = json::value_to<std::string>(o.at("account"));
        r.options.own_addresses = json::value_to<std::vector<std::string>>(o.at("own_addresses"));
        r.options.arrival = sla::from_unix_ms(o.at("arrival_ms").to_number<std::int64_t>());
        r.options.date_skew = sla::Duration{o.at("date_skew_ms").to_number<std::int64_t>()};
        r.options.max_bytes = o.at("max_bytes").to_number<std::size_t>();
        r.options.max_parts = o.at("max_parts").to_number<std::size_t>();
        r.options.max_depth = o.at("max_depth").to_number<std::size_t>();
        r.options.outbound = o.at("outbound").as_bool();
        if (const auto* t = o.if_contains("trusted_authserv_id"))
            r.options.trusted_authserv_id = json::value_to<std::string>(*t);
    } catch (const std::exception& e) {
        return Error{std::string("request options: ") + e.what()};
    }
    r.raw = std::string(payload.substr(nl + 1));
    return r;
}

std::string encode_mail_result(const MailResult& result, std::string_view date_note) {
    json::object o;
    if (const auto* e = std::get_if<router::Event>(&result)) {
        o = {{"kind", "event"}, {"event", to_json(*e)}};
        if (!date_note.empty()) o["date_note"] = date_note;
    } else if (const auto* n = std::get_if<MailNotInquiry>(&result)) {
        o = {{"kind", "not_inquiry"}, {"reason", n->reason}, {"from", n->from}, {"message_id", n->message_id}};
    } else {
        o = {{"kind", "error"}, {"reason", std::get<MailError>(result).reason}};
    }
    return json::serialize(o);
}

Expected<MailResult> decode_mail_result(std::string_view payload, std::string* date_note) {
    boost::system::error_code ec;
    const auto v = json::parse(payload, ec);
    if (ec || !v.is_object()) return Error{"worker answer is not a JSON object"};
    const auto& o = v.get_object();
    const auto* kind = o.if_contains("kind");
    auto str = [&](const char* key) {
        const auto* s = o.if_contains(key);
        return s && s->is_string() ? std::string(s->get_string()) : std::string{};
    };
    if (!kind || !kind->is_string()) return Error{"worker answer without kind"};
    if (*kind == "event") {
        const auto* ev = o.if_contains("event");
        if (!ev) return Error{"worker answer without event"};
        if (date_note) *date_note = str("date_note");
        auto e = parse_event(*ev);
        if (!e) return Error{"worker event invalid: " + e.error().message + " " + e.error().field};
        return MailResult{std::move(*e)};
    }
    if (*kind == "not_inquiry") return MailResult{MailNotInquiry{str("reason"), str("from"), str("message_id")}};
    if (*kind == "error") return MailResult{MailError{str("reason")}};
    return Error{"worker answer of unknown kind"};
}

}  // namespace ir::adapters
