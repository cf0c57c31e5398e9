#pragma once
// HttpSession's admission, included by http_session.hpp: before a body is read, the
// reserved connection slots, the client's rate and the bodies held in memory decide whether
// the request is served; a refusal is sent without reading the body.
#include <ir/daemon/http_session.hpp>

#include <charconv>

namespace ir::daemon::detail {

// Before the body is read: the reserved slots, the client's rate, the bodies held.
template <class Stream>
template <class Header>
std::optional<HttpResponse> HttpSession<Stream>::admit(const Header& req) {
    namespace http = boost::beast::http;
    const std::string_view target(req.target().data(), req.target().size());
    const auto& admission = options().admission;
    const bool reserved = admission && admission->is_reserved(target);
    if (terms_.reserved_only && !reserved) {
        state_->metrics.reserved_only->inc();
        return error_response(http::status::service_unavailable,
                              "too many connections: the last ones are kept for " +
                                  (admission ? admission->options().reserved_prefix : std::string("other routes")),
                              {}, {{"Retry-After", "1"}});
    }
    if (!admission) return std::nullopt;
    const std::size_t body = parser_->chunked() ? options().body_limit : declared_length();
    auto a = admission->admit(terms_.client, target, body, Clock::now());
    const ExtraHeaders retry{{"Retry-After", std::to_string(std::max<std::int64_t>(1, a.retry_after.count()))}};
    switch (a.verdict) {
        case HttpAdmission::Verdict::admitted:
            body_ = std::move(a.body);
            return std::nullopt;
        case HttpAdmission::Verdict::rate_limited:
            state_->metrics.rate_limited->inc();
            return error_response(http::status::too_many_requests,
                                  "too many requests from this address ([http] rate_per_client)", {}, retry);
        case HttpAdmission::Verdict::body_budget:
            break;
    }
    state_->metrics.body_budget->inc();
    return error_response(http::status::service_unavailable,
                          "too many request bodies are held in memory ([ingest] max_queued_bytes)", {}, retry);
}

// The Content-Length the header declares (0 when absent), read from the field the parser
// has already validated. Not parser::content_length(): GCC 12 at -O3 reports its
// boost::optional as maybe-uninitialized, an error under IR_WERROR.
template <class Stream>
std::size_t HttpSession<Stream>::declared_length() const {
    const auto field = parser_->get()[boost::beast::http::field::content_length];
    std::size_t length = 0;
    std::from_chars(field.data(), field.data() + field.size(), length);
    return length;
}

// A refusal sent without reading the body: the connection closes after it (lingering,
// so that the client reads it), unless there was no body to skip.
template <class Stream>
template <class Header>
void HttpSession<Stream>::refuse_unread(const Header& req, HttpResponse&& res) {
    const bool has_body = parser_->chunked() || declared_length() > 0;
    begin_request();
    version_ = req.version();
    keep_alive_ = req.keep_alive() && !has_body;
    method_.assign(req.method_string());
    target_.assign(req.target());
    linger_ = linger_ || has_body;
    respond_now(std::move(res));
}

}  // namespace ir::daemon::detail
