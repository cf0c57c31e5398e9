#pragma once
// A Message as the text of one platform's markup, within that platform's size limit.
#include <cstddef>
#include <string>
#include <string_view>

#include "ir/notify/message.hpp"

namespace ir::notify {

enum class Markup {
    dingtalk_md,    // DingTalk markdown: headings, bold, lists, links
    wecom_md,       // WeCom markdown: bold, quotes, links, <font color="info|comment|warning">
    lark_md,        // a Feishu card's lark_md text (the title goes in the card header)
    slack_mrkdwn,   // Slack mrkdwn: *bold*, <url|label>, & < > escaped
    telegram_html,  // Telegram parse_mode HTML: <b>, <i>, <a href>
    plain,          // e-mail, WeCom/Feishu text messages
};

// Text that will not be read as markup (a buyer's name with '*' or '<' in it).
std::string escape(std::string_view text, Markup m);

struct BodyOptions {
    bool title = true;             // start with the title (not when the platform shows it apart)
    bool link = true;              // end with the console link (not when a button carries it)
    bool mentions = false;         // DingTalk: "@mobile" in the text makes atMobiles notify
    std::size_t max_bytes = 4000;  // digest lines beyond it become "... and N more"
};

std::string render_body(const Message& m, Markup markup, const BodyOptions& options);

}  // namespace ir::notify
