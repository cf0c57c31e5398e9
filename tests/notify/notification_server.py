#!/usr/bin/python3
"""A desktop notification server on the session bus named by DBUS_SESSION_BUS_ADDRESS
(org.freedesktop.Notifications, as a desktop's own would be), for notify_desktop.py.
Prints "ready" once it owns the name, then each notification as one JSON line:
{"app": ..., "summary": ..., "body": ..., "icon": ..., "urgency": 0|1|2}.
"""

import json
import sys

import dbus
import dbus.service
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib

NAME = "org.freedesktop.Notifications"


class Server(dbus.service.Object):
    def __init__(self, bus):
        super().__init__(bus, "/org/freedesktop/Notifications")
        self.last_id = 0

    @dbus.service.method(NAME, in_signature="susssasa{sv}i", out_signature="u")
    def Notify(self, app, replaces_id, icon, summary, body, actions, hints, timeout):
        self.last_id += 1
        urgency = hints.get("urgency")
        print(json.dumps({"app": str(app), "summary": str(summary), "body": str(body), "icon": str(icon),
                          "urgency": None if urgency is None else int(urgency)}), flush=True)
        return self.last_id

    @dbus.service.method(NAME, in_signature="u", out_signature="")
    def CloseNotification(self, _id):
        pass

    @dbus.service.method(NAME, in_signature="", out_signature="as")
    def GetCapabilities(self):
        return ["body"]

    @dbus.service.method(NAME, in_signature="", out_signature="ssss")
    def GetServerInformation(self):
        return ["ir-test-notifications", "inquiry-router", "1", "1.2"]


def main():
    DBusGMainLoop(set_as_default=True)
    bus = dbus.SessionBus()
    name = dbus.service.BusName(NAME, bus, do_not_queue=True)  # noqa: F841 (kept while we run)
    Server(bus)
    print("ready", flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    sys.exit(main())
