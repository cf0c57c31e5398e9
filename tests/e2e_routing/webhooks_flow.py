#!/usr/bin/env python3
"""Webhooks end to end: WhatsApp, Telegram and a marketplace relay against the real inquiryd.

  * WhatsApp's GET handshake answers the challenge for the right token only (else 403);
  * a signed delivery becomes inquiries; the same delivery again (Meta retries) changes
    nothing and says so; a wrong signature is 401 and changes nothing;
  * Telegram's secret token and a marketplace relay's HMAC are checked the same way;
  * an app secret in a file others can read stops the daemon at start, with a clear error;
    so does a config holding secrets inline that every user may read;
  * a secret given as a systemd credential (`_credential`, read from $CREDENTIALS_DIRECTORY
    as LoadCredential= fills it) works, and without that folder the error says what to do.
"""

import hashlib
import hmac
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness as h  # noqa: E402

PAYLOADS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "webhooks", "payloads")
APP_SECRET = "wa-app-secret-for-tests"
TG_SECRET = "tg-secret-token"
EBAY_SECRET = "ebay-relay-secret"


def payload(name):
    with open(os.path.join(PAYLOADS, name), "rb") as f:
        return f.read()


def sign(secret, body):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def open_count(c):
    return len(c.get("/v1/inquiries?limit=1000").json["inquiries"])


def write_config(run, secret_file):
    return run.write_config(extra=f"""
[adapters.whatsapp]
account = "alibaba-electronics"
app_secret_file = "{secret_file}"
verify_token = "verify-me"

[adapters.telegram]
account = "aliexpress-jewelry"
secret_token_credential = "telegram-secret"

[adapters.marketplace.ebay]
account = "ebay-electronics"
secret = "{EBAY_SECRET}"
""")


def main():
    with h.Run("webhooks_flow", __doc__.splitlines()[0], budget_seconds=90) as run:
        secret_file = run.path("whatsapp.secret")
        with open(secret_file, "w") as f:
            f.write(APP_SECRET + "\n")
        os.chmod(secret_file, 0o600)
        credentials = run.path("credentials")  # what systemd's LoadCredential= makes
        os.makedirs(credentials, mode=0o700)
        with open(os.path.join(credentials, "telegram-secret"), "w") as f:
            f.write(TG_SECRET + "\n")
        os.chmod(os.path.join(credentials, "telegram-secret"), 0o400)
        os.environ["CREDENTIALS_DIRECTORY"] = credentials
        config = write_config(run, secret_file)
        os.chmod(config, 0o600)  # it holds secrets inline
        daemon = run.daemon(run.path("state"), config).start()
        c = daemon.client()

        # The handshake Meta makes when the webhook is set up.
        r = c.get("/v1/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444")
        run.check(r.status == 200 and r.body == b"1158201444", f"handshake: {r}")
        r = c.get("/v1/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1158201444")
        run.check(r.status == 403, f"handshake with a wrong token: {r}")

        # WhatsApp deliveries: signed, retried, forged.
        for name in ("wa_text.json", "wa_image.json", "wa_location.json", "wa_batch.json"):
            body = payload(name)
            before = open_count(c)
            r = c.request("POST", "/v1/webhooks/whatsapp", body=body, headers={"X-Hub-Signature-256": sign(APP_SECRET, body)})
            run.check(r.status == 200 and r.json["accepted"] >= 1, f"{name}: {r}")
            again = c.request("POST", "/v1/webhooks/whatsapp", body=body,
                              headers={"X-Hub-Signature-256": sign(APP_SECRET, body)})
            run.check(again.status == 200 and again.json["accepted"] == 0 and again.json["duplicates"] == r.json["accepted"],
                      f"{name} retried: {again}")
            forged = c.request("POST", "/v1/webhooks/whatsapp", body=body.replace(b"e", b"E", 1),
                               headers={"X-Hub-Signature-256": sign(APP_SECRET, body)})
            run.check(forged.status == 401, f"{name} with a body that does not match its signature: {forged}")
            unsigned = c.request("POST", "/v1/webhooks/whatsapp", body=body)
            run.check(unsigned.status == 401, f"{name} unsigned: {unsigned}")
            run.check(open_count(c) >= before, "inquiries only grow")
        chats = [i for i in c.get("/v1/inquiries?limit=1000").json["inquiries"] if i["channel"] == "chat"]
        run.check(chats and all(i["account"] == "alibaba-electronics" for i in chats), f"WhatsApp inquiries: {chats}")
        run.check(any(i["sender"].get("im", "").startswith("whatsapp:") for i in chats), "the sender's WhatsApp id")

        # Telegram: the secret token header.
        body = payload("tg_message.json")
        r = c.request("POST", "/v1/webhooks/telegram", body=body, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"})
        run.check(r.status == 401, f"telegram with a wrong token: {r}")
        r = c.request("POST", "/v1/webhooks/telegram", body=body, headers={"X-Telegram-Bot-Api-Secret-Token": TG_SECRET})
        run.check(r.status == 200 and r.json["accepted"] == 1, f"telegram: {r}")

        # A marketplace relay (eBay), and one for a platform that is not configured.
        body = payload("mp_ebay.json")
        r = c.request("POST", "/v1/webhooks/marketplace/ebay", body=body,
                      headers={"X-Signature-256": sign(EBAY_SECRET, body)})
        run.check(r.status == 200 and r.json["accepted"] == 1, f"ebay relay: {r}")
        r = c.request("POST", "/v1/webhooks/marketplace/ebay", body=body, headers={"X-Signature-256": sign("x", body)})
        run.check(r.status == 401, f"ebay relay with a wrong signature: {r}")
        r = c.request("POST", "/v1/webhooks/marketplace/amazon", body=body,
                      headers={"X-Signature-256": sign(EBAY_SECRET, body)})
        run.check(r.status == 404, f"a platform with no config: {r}")
        r = c.request("POST", "/v1/webhooks/marketplace/ebay", body=b"{not json",
                      headers={"X-Signature-256": sign(EBAY_SECRET, b"{not json")})
        run.check(r.status == 400 and "error" in r.json, f"a signed body that is not JSON: {r}")
        c.close()
        daemon.stop(20)

        # A secret file others can read: refused at start, the error names the key and the fix.
        os.chmod(secret_file, 0o644)
        out = run.inquiryd_once("--config", config, "--state-dir", run.path("state2"),
                                "--http-listen", "127.0.0.1:0", "--pub-endpoint", f"ipc://{run.path('p2.sock')}")
        run.check(out.returncode == 1 and "app_secret" in out.stderr and "chmod 600" in out.stderr
                  and APP_SECRET not in out.stderr, f"start with a loose secret file: {out.returncode} {out.stderr}")
        # --check-config reads the files the config names, so it says the same before a restart.
        out = run.inquiryd_once("--config", config, "--check-config")
        run.check(out.returncode == 2 and "app_secret" in out.stderr and "chmod 600" in out.stderr
                  and APP_SECRET not in out.stderr, f"--check-config with a loose secret file: {out.returncode} {out.stderr}")
        os.chmod(secret_file, 0o600)
        out = run.inquiryd_once("--config", config, "--check-config")
        run.check(out.returncode == 0 and ": ok" in out.stdout, f"--check-config, all good: {out.returncode} {out.stderr}")
        # Secrets inline in a config every user may read: refused.
        os.chmod(config, 0o644)
        out = run.inquiryd_once("--config", config, "--check-config")
        run.check(out.returncode == 2 and "chmod o-rw" in out.stderr and EBAY_SECRET not in out.stderr,
                  f"--check-config with inline secrets in a world-readable file: {out.returncode} {out.stderr}")
        os.chmod(config, 0o600)
        # A credential without $CREDENTIALS_DIRECTORY: the error names LoadCredential=.
        del os.environ["CREDENTIALS_DIRECTORY"]
        out = run.inquiryd_once("--config", config, "--check-config")
        run.check(out.returncode == 2 and "secret_token_credential" in out.stderr and "LoadCredential=" in out.stderr,
                  f"--check-config with a credential and no credentials folder: {out.returncode} {out.stderr}")
        os.environ["CREDENTIALS_DIRECTORY"] = credentials
        missing = run.path("no-catalog.toml")
        with open(config) as f, open(missing, "w") as g:
            g.write(f.read().replace(run.fixture("catalog.json"), run.path("missing-catalog.json")))
        os.chmod(missing, 0o600)
        out = run.inquiryd_once("--config", missing, "--check-config")
        run.check(out.returncode == 2 and "missing-catalog.json" in out.stderr,
                  f"--check-config with a missing catalogue: {out.returncode} {out.stderr}")
        h.log("webhooks checked")


if __name__ == "__main__":
    main()
