// libFuzzer target: any bytes through the mail parser (GMime, charsets, HTML, signatures)
// and the worker protocol decoders. Must never crash, leak or hang beyond libFuzzer's
// -timeout (a hang here is the GMime 3.2.13 bug the worker's deadline exists for).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ir/adapters/mail_parser.hpp"
#include "ir/adapters/mail_wire.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view raw(reinterpret_cast<const char*>(data), size);
    ir::adapters::MailOptions options;
    options.account = "fuzz";
    options.own_addresses = {"sales@seller.example"};
    options.max_bytes = 1 << 20;
    auto result = ir::adapters::parse_mail(raw, options);
    // What the worker would send back must decode to the same result.
    auto back = ir::adapters::decode_mail_result(ir::adapters::encode_mail_result(result));
    if (!back) __builtin_trap();
    (void)ir::adapters::decode_mail_request(raw);
    (void)ir::adapters::read_frame_header(raw, 1 << 20);
    return 0;
}
