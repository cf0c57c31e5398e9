#pragma once
// The pipe protocol between inquiryd and its mail parsing worker (inquiryd-mailparse).
// One frame each way per mail: "<decimal length>\n<payload>"; first of all, once started
// and initialised, the worker sends the frame kWorkerReady.
//   request payload:  one line of JSON options ({"account", "own_addresses", "arrival_ms",
//                     "date_skew_ms", "max_bytes", "max_parts", "max_depth", "outbound",
//                     "trusted_authserv_id"}), "\n", then the raw mail bytes;
//   response payload: JSON {"kind": "event", "event": {generic event}, "date_note"?} |
//                     {"kind": "not_inquiry", "reason", "from", "message_id"} |
//                     {"kind": "error", "reason"}.
// The daemon re-validates the event with parse_event: a confused worker cannot inject
// anything the HTTP ingest would refuse.
#include <optional>
#include <string>
#include <string_view>

#include "ir/adapters/mail_parser.hpp"
#include "ir/base/expected.hpp"

namespace ir::adapters {

inline constexpr std::size_t kMaxFrameHeaderBytes = 24;
inline constexpr std::string_view kWorkerReady = "ready";

std::string frame(std::string_view payload);
// The length of the frame starting at `buf` and the size of its header line, once the
// header line is complete; an error for a malformed header or a frame above max_payload.
struct FrameHeader {
    std::size_t header_bytes = 0;
    std::size_t payload_bytes = 0;
};
Expected<std::optional<FrameHeader>> read_frame_header(std::string_view buf, std::size_t max_payload);

struct MailRequest {
    MailOptions options;
    std::string raw;
};
std::string encode_mail_request(std::string_view raw, const MailOptions& options);
Expected<MailRequest> decode_mail_request(std::string_view payload);

// `date_note`: parse_mail's, carried along for the daemon's log.
std::string encode_mail_result(const MailResult& result, std::string_view date_note = {});
Expected<MailResult> decode_mail_result(std::string_view payload, std::string* date_note = nullptr);

}  // namespace ir::adapters
