"""The one harness of the end-to-end tests of the real inquiryd (Python 3 standard
library; the alert feed adds Debian's python3-zmq and python3-protobuf).

A test script puts tests/e2e on sys.path (a script in tests/e2e has it already) and:

    import harness as h

    with h.Run("my_test", __doc__, budget_seconds=60) as run:
        d = run.daemon(config=run.write_config(sla={...}, extra=AGENTS)).start()
        sub = d.subscribe()                         # ZeroMQ, gaps filled over HTTP
        r = d.post_json("/v1/events", event)
        run.check(r.status == 202, f"POST /v1/events: {r!r}")
        sub.wait_for_alert("ASSIGNED", topic="agent/amy/", inquiry_id=r.json["inquiry_id"])
        d.wait_for_inquiry(r.json["inquiry_id"], state="replied")
        rc, secs = d.stop()
        run.check(rc == 0, f"SIGTERM: exit status {rc}")

Modules: util (log, bounded waits, RFC 3339), run (Run, helpers, cleanup), daemon
(Daemon), httpclient (Client, raw_exchange), alerts (Subscriber, fetch_alerts), waits
(files, inquiries, stored alerts), events (realistic events, load, the ledger of answers)
and checks (what the SQLite file and the API must show for the ledger).
"""

from . import checks, events, waits
from .alerts import TOPICS, Subscriber, alert_dict, fetch_alerts, load_proto, matches
from .daemon import Daemon, DaemonDied, parse_metrics
from .httpclient import Client, ConnectionFailed, RawResult, Response, raw_exchange
from .run import SKIP_RETURN_CODE, Helper, Run, TestFailed, TestSkipped, die_with_parent, print_tail
from .util import (Deadline, format_rfc3339, is_utc_rfc3339, log, now_ms, parse_rfc3339_ms, parse_rfc3339_ns,
                   sleep_until_ms, wait_until)
from .waits import (list_dir, read_lines, wait_for_empty_dir, wait_for_entries, wait_for_file, wait_for_inquiries,
                    wait_for_inquiry, wait_for_lines, wait_for_no_file, wait_for_stored_alerts)

__all__ = [
    "alert_dict", "checks", "Client", "ConnectionFailed", "Daemon", "DaemonDied", "Deadline", "die_with_parent",
    "events", "fetch_alerts", "format_rfc3339", "Helper", "is_utc_rfc3339", "list_dir", "load_proto", "log",
    "matches", "now_ms", "parse_metrics", "parse_rfc3339_ms", "parse_rfc3339_ns", "print_tail",
    "raw_exchange", "RawResult", "read_lines", "Response", "Run", "SKIP_RETURN_CODE", "sleep_until_ms",
    "Subscriber", "TestFailed", "TestSkipped", "TOPICS", "wait_for_empty_dir", "wait_for_entries", "wait_for_file",
    "wait_for_inquiries", "wait_for_inquiry", "wait_for_lines", "wait_for_no_file", "wait_for_stored_alerts",
    "wait_until", "waits",
]
