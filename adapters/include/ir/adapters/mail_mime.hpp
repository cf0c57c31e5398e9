#pragma once
// Internal to the mail parser: reading a GMime object tree. Not for the daemon.
#include <cstddef>
#include <string>
#include <string_view>

typedef struct _GMimeObject GMimeObject;  // NOLINT: GMime's own spelling

namespace ir::adapters::mime {

struct Limits {
    std::size_t max_parts = 200;
    std::size_t max_depth = 20;
};

// Walks the MIME tree once: the first text/plain and text/html bodies (as UTF-8), the
// number of attachments, and an error when a limit is exceeded.
class Walker {
public:
    explicit Walker(Limits limits) : limits_(limits) {}
    void walk(GMimeObject* o, std::size_t depth = 0);
    std::string text() const;  // plain text if there is any, else the HTML as text

    std::string plain;
    std::string html;
    std::size_t attachments = 0;
    std::size_t parts = 0;
    std::string error;

private:
    void leaf(GMimeObject* o);
    static const char* charset_of(GMimeObject* o);
    Limits limits_;
    bool in_alternative_ = false;
};

// Bytes in `charset` (nullptr: unknown) to valid UTF-8; GB2312 read as GB18030, Latin-1 as
// Windows-1252, Shift_JIS as CP932; undecodable bytes replaced.
std::string to_utf8(const std::string& bytes, const char* charset);
std::string valid_utf8(std::string_view s);

}  // namespace ir::adapters::mime
