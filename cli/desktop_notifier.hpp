#pragma once
// `inquiryctl tail --notify`: a desktop notification (libnotify, over the session's D-Bus)
// for every alert tail prints. Without a notification server it says so once and goes on.
#include <boost/json/object.hpp>

#include <iosfwd>
#include <string>

namespace ir::cli {

class DesktopNotifier {
public:
    explicit DesktopNotifier(std::ostream& err);
    ~DesktopNotifier();
    DesktopNotifier(const DesktopNotifier&) = delete;
    DesktopNotifier& operator=(const DesktopNotifier&) = delete;

    void show(const boost::json::object& alert, const std::string& line);

private:
    std::ostream& err_;
    bool ready_ = false;
    bool warned_ = false;
};

// The notification's summary: "BREACH fast · inquiry 12 · alibaba-electronics".
std::string desktop_summary(const boost::json::object& alert);

}  // namespace ir::cli
