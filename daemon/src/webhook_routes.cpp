// Webhooks: WhatsApp Cloud API, Telegram Bot API and signed marketplace relays. Each
// request is authenticated on its raw bytes, parsed by its adapter, and every event it
// carries takes the same ingest path as POST /v1/events; the answer waits for all of them.
#include <boost/json.hpp>

#include "http_outcome.hpp"
#include "ir/daemon/http_json.hpp"
#include "routes.hpp"
#include "ir/daemon/secret_ref.hpp"
#include "webhooks.hpp"

namespace ir::daemon {
namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

std::string_view header(const RouteRequest& req, std::string_view name) {
    auto it = req.message.find(name);
    return it == req.message.end() ? std::string_view() : std::string_view(it->value().data(), it->value().size());
}

HttpResponse parse_error(const Error& e) {
    return error_response(e.invalid_value ? http::status::unprocessable_entity : http::status::bad_request, e.message,
                          e.field);
}

}  // namespace

std::optional<std::string> load_webhooks(const AdaptersConfig& a, Webhooks& out) {
    if (a.whatsapp) {
        auto& w = out.whatsapp.emplace();
        w.options.account = a.whatsapp->account;
        for (const auto& [id, account] : a.whatsapp->phone_number_ids) w.options.phone_number_accounts[id] = account;
        if (auto e = load_secret(a.whatsapp->app_secret, w.app_secret)) return e;
        if (auto e = load_secret(a.whatsapp->verify_token, w.verify_token)) return e;
    }
    if (a.telegram) {
        auto& t = out.telegram.emplace();
        t.options.account = a.telegram->account;
        if (auto e = load_secret(a.telegram->secret_token, t.secret_token)) return e;
    }
    for (const auto& [platform, m] : a.marketplace) {
        auto mapping = adapters::make_marketplace_mapping(platform, m.account, m.fields);
        if (!mapping)
            return mapping.error().message + (mapping.error().field.empty() ? "" : " (" + mapping.error().field + ")");
        auto& hook = out.marketplace[platform];
        hook.mapping = std::move(*mapping);
        if (auto e = load_secret(m.secret, hook.secret)) return e;
    }
    return std::nullopt;
}

namespace routes {
namespace {

// Every event of one delivery, then one answer: 200 once all are stored (or were already),
// 503 if any could not be (the sender retries the whole delivery; what was stored is then
// a duplicate), else the first refusal.
void ingest_batch(RouteContext& c, Expected<adapters::WebhookBatch> batch, Responder respond) {
    if (!batch) {
        rejected_events(c.registry, batch.error().invalid_value ? "invalid" : "malformed").inc();
        return respond(parse_error(batch.error()));
    }
    if (auto busy = c.pipeline.busy()) return respond(refusal_response(*busy));
    struct Tally {
        Responder respond;
        std::size_t waiting = 0, accepted = 0, duplicates = 0;
        std::optional<HttpResponse> retry, refusal;
        json::array ignored;
    };
    auto tally = std::make_shared<Tally>();
    tally->respond = std::move(respond);
    tally->waiting = batch->events.size() + 1;  // +1: released below, after every event is handed in
    for (const auto& why : batch->ignored) tally->ignored.emplace_back(why);
    auto one_done = [tally] {
        if (--tally->waiting != 0) return;
        if (tally->retry) return tally->respond(std::move(*tally->retry));
        if (tally->refusal) return tally->respond(std::move(*tally->refusal));
        tally->respond(json_response(http::status::ok, {{"accepted", tally->accepted},
                                                        {"duplicates", tally->duplicates},
                                                        {"ignored", std::move(tally->ignored)}}));
    };
    for (auto& event : batch->events)
        c.pipeline.ingest(std::move(event), [tally, one_done](IngestOutcome o) {
            switch (o.kind) {
                case IngestOutcome::Kind::accepted:
                    ++tally->accepted;
                    break;
                case IngestOutcome::Kind::duplicate:
                    ++tally->duplicates;
                    break;
                case IngestOutcome::Kind::retry_later:
                    if (!tally->retry) tally->retry = ingest_response(o);
                    break;
                case IngestOutcome::Kind::rejected:
                    if (!tally->refusal) tally->refusal = ingest_response(o);
                    break;
            }
            one_done();
        });
    one_done();
}

}  // namespace

HttpResponse whatsapp_handshake(RouteContext& c, const RouteRequest& req) {
    if (!c.webhooks.whatsapp) return error_response(http::status::not_found, "no [adapters.whatsapp] configured");
    auto challenge = adapters::verify_handshake(
        req.query_value("hub.mode").value_or(""), req.query_value("hub.verify_token").value_or(""),
        req.query_value("hub.challenge").value_or(""), c.webhooks.whatsapp->verify_token.reveal());
    if (!challenge) return error_response(http::status::forbidden, challenge.error().message, challenge.error().field);
    return text_response(http::status::ok, *challenge);
}

void whatsapp(RouteContext& c, RouteRequest&& req, Responder respond) {
    if (!c.webhooks.whatsapp)
        return respond(error_response(http::status::not_found, "no [adapters.whatsapp] configured"));
    const auto& w = *c.webhooks.whatsapp;
    const std::string& body = req.message.body();
    if (!adapters::verify_whatsapp_signature(w.app_secret.reveal(), body, header(req, "X-Hub-Signature-256"))) {
        rejected_events(c.registry, "signature").inc();
        return respond(error_response(http::status::unauthorized, "X-Hub-Signature-256 does not match the body",
                                      "X-Hub-Signature-256"));
    }
    ingest_batch(c, adapters::parse_whatsapp(body, w.options), std::move(respond));
}

void telegram(RouteContext& c, RouteRequest&& req, Responder respond) {
    if (!c.webhooks.telegram)
        return respond(error_response(http::status::not_found, "no [adapters.telegram] configured"));
    const auto& t = *c.webhooks.telegram;
    if (!adapters::verify_telegram_secret(t.secret_token.reveal(), header(req, "X-Telegram-Bot-Api-Secret-Token"))) {
        rejected_events(c.registry, "signature").inc();
        return respond(error_response(http::status::unauthorized, "wrong X-Telegram-Bot-Api-Secret-Token",
                                      "X-Telegram-Bot-Api-Secret-Token"));
    }
    ingest_batch(c, adapters::parse_telegram(req.message.body(), t.options), std::move(respond));
}

void marketplace(RouteContext& c, RouteRequest&& req, Responder respond) {
    auto it = c.webhooks.marketplace.find(req.param("platform"));
    if (it == c.webhooks.marketplace.end())
        return respond(
            error_response(http::status::not_found, "no [adapters.marketplace.<platform>] for it", "platform"));
    const std::string& body = req.message.body();
    if (!adapters::verify_marketplace_signature(it->second.secret.reveal(), body, header(req, "X-Signature-256"))) {
        rejected_events(c.registry, "signature").inc();
        return respond(
            error_response(http::status::unauthorized, "X-Signature-256 does not match the body", "X-Signature-256"));
    }
    ingest_batch(c, adapters::parse_marketplace(body, it->second.mapping), std::move(respond));
}

}  // namespace routes
}  // namespace ir::daemon
