#pragma once
// What an endpoint's answer means for the message: delivered, try again after a backoff,
// wait as long as the platform asked (429 Retry-After, a robot's "too fast"), or refused
// for good (4xx, a wrong signature: sending the same again cannot help).
#include <chrono>
#include <optional>
#include <string>

#include "ir/notify/destination.hpp"
#include "ir/notify/http_client.hpp"
#include "ir/notify/subprocess.hpp"
#include "ir/sla/time.hpp"

namespace ir::notify {

struct Verdict {
    enum Outcome { delivered, retry, wait, rejected } outcome = retry;
    Millis wait_for{0};  // `wait` only
    std::string reason;  // for logs, /healthz and `inquiryctl notify test`
};

// Retry-After: delta-seconds or an HTTP-date; nullopt when neither.
std::optional<Millis> parse_retry_after(std::string_view value, sla::TimePoint now);

Verdict judge_http(Kind kind, const Expected<HttpAnswer>& answer, sla::TimePoint now);
// Exit 0: delivered; 75 (EX_TEMPFAIL), a signal, a timeout or no program: retry; else refused.
Verdict judge_command(const Expected<CommandResult>& result);

}  // namespace ir::notify
