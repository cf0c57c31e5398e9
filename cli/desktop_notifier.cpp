#include "desktop_notifier.hpp"

#include <libnotify/notify.h>

#include <ostream>

namespace ir::cli {
namespace {

std::string text_of(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (!v) return {};
    if (v->is_string()) return std::string(v->as_string());
    if (v->is_uint64()) return std::to_string(v->as_uint64());
    if (v->is_int64()) return std::to_string(v->as_int64());
    return {};
}

}  // namespace

std::string desktop_summary(const boost::json::object& alert) {
    std::string s = text_of(alert, "kind");
    if (const auto clock = text_of(alert, "clock"); !clock.empty()) s += " " + clock;
    s += " · inquiry " + text_of(alert, "inquiry_id");
    if (const auto account = text_of(alert, "account"); !account.empty()) s += " · " + account;
    return s;
}

DesktopNotifier::DesktopNotifier(std::ostream& err) : err_(err) {
    ready_ = notify_init("inquiryctl");
    if (!ready_) err_ << "inquiryctl tail: --notify: libnotify could not start; printing only\n";
}

DesktopNotifier::~DesktopNotifier() {
    if (ready_) notify_uninit();
}

void DesktopNotifier::show(const boost::json::object& alert, const std::string& line) {
    if (!ready_) return;
    const std::string summary = desktop_summary(alert);
    NotifyNotification* n = notify_notification_new(summary.c_str(), line.c_str(), "dialog-warning");
    const std::string kind = text_of(alert, "kind");
    notify_notification_set_urgency(
        n, kind == "BREACH" || kind == "ESCALATION" ? NOTIFY_URGENCY_CRITICAL : NOTIFY_URGENCY_NORMAL);
    GError* error = nullptr;
    if (!notify_notification_show(n, &error) && !warned_) {
        err_ << "inquiryctl tail: --notify: no desktop notification server answered ("
             << (error ? error->message : "unknown error") << "); printing only\n";
        warned_ = true;
    }
    if (error) g_error_free(error);
    g_object_unref(G_OBJECT(n));
}

}  // namespace ir::cli
