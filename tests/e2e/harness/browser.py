"""A headless Chromium driven by Selenium (Debian's chromium, chromium-driver and
python3-selenium) for the console's browser tests: its own profile in the temp dir, a
viewport set exactly (desktop or a phone), notifications granted through DevTools and
recorded by a hook (headless Chromium shows none), sounds counted, never outliving the
test (both processes get the parent-death signal)."""

import os
import shutil
import time

from . import run as _run
from .util import Deadline, log

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

# Runs before the page's own scripts, on every document: each Notification and each
# oscillator started (the page's sound) is recorded where the test can read it.
_HOOKS = """
(() => {
  window.__notes = [];
  window.__beeps = 0;
  const Real = window.Notification;
  function Hooked(title, options) {
    window.__notes.push({ title: String(title), body: String((options || {}).body || ""), at: Date.now() });
    try { return new Real(title, options); } catch (e) { return { close() {} }; }
  }
  Hooked.requestPermission = (...a) => (Real ? Real.requestPermission(...a) : Promise.resolve("denied"));
  Object.defineProperty(Hooked, "permission", { get: () => (Real ? Real.permission : "denied") });
  window.Notification = Hooked;
  if (window.OscillatorNode) {
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (...a) { window.__beeps++; return start.apply(this, a); };
  }
})();
"""


def available():
    """None when a browser test can run, else why not."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "python3-selenium is not installed"
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            return f"{path} is not installed"
    return None


def _wrapper(run, name, program):
    """A script that runs `program` with the parent-death signal (Selenium starts both)."""
    path = run.path(name)
    with open(path, "w") as f:
        f.write(f"#!/bin/sh\nexec {' '.join(_run.die_with_parent())} {program} \"$@\"\n")
    os.chmod(path, 0o755)
    return path


class Browser:
    """One Chromium with one tab. `lang`: the browser's languages (Accept-Language and
    navigator.languages), e.g. "en-US" or "zh-CN"."""

    def __init__(self, run, name, lang="en-US", width=1280, height=800):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        self.run, self.name = run, name
        profile = run.path(f"chromium-{name}")
        os.makedirs(profile, exist_ok=True)
        # The browser dies with chromedriver, chromedriver with this test.
        wrapper = _wrapper(run, f"chromium-{name}.sh", CHROMIUM)
        options = webdriver.ChromeOptions()
        options.binary_location = wrapper
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--no-first-run", "--disable-extensions", "--autoplay-policy=no-user-gesture-required",
                    f"--user-data-dir={profile}", f"--lang={lang}", f"--window-size={width},{height}"):
            options.add_argument(arg)
        options.add_experimental_option("prefs", {"intl.accept_languages": lang})
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        service = Service(executable_path=_wrapper(run, f"chromedriver-{name}.sh", CHROMEDRIVER),
                          log_path=run.path(f"chromedriver-{name}.txt"))
        t0 = time.monotonic()
        self.driver = webdriver.Chrome(service=service, options=options)
        self.driver.set_script_timeout(20)
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": _HOOKS})
        _run.register(self)
        self.viewport(width, height)
        log(f"browser {name}: Chromium {self.driver.capabilities.get('browserVersion')} ({lang}) "
            f"started in {time.monotonic() - t0:.2f}s")

    def __repr__(self):
        return f"browser {self.name}"

    def viewport(self, width, height, mobile=False):
        """The page's size exactly (a phone: mobile=True, touch and a narrow layout)."""
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
        self.driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": mobile})

    def grant_notifications(self, origin):
        self.driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": origin, "permissions": ["notifications"]})

    def open(self, url):
        self.driver.get(url)

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def js_async(self, script, *args):
        """`script` ends by calling arguments[arguments.length - 1](result)."""
        return self.driver.execute_async_script(script, *args)

    def wait_js(self, expression, timeout, what, interval=0.02):
        """Polls a JS expression until it is truthy: its value, or a TimeoutError."""
        deadline = Deadline(timeout)
        while True:
            value = self.js("return (" + expression + ");")
            if value:
                return value
            if deadline.expired():
                raise TimeoutError(f"{self.name}: timed out after {timeout:.1f}s waiting for {what}")
            time.sleep(interval)

    def find(self, css):
        from selenium.webdriver.common.by import By
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def click(self, css):
        self.find(css).click()

    def type(self, css, text):
        self.find(css).send_keys(text)

    def keys(self, text):
        """Keystrokes to the page (not to a field): the console's shortcuts."""
        from selenium.webdriver.common.action_chains import ActionChains
        ActionChains(self.driver).send_keys(text).perform()

    def notes(self):
        return self.js("return window.__notes || [];")

    def screenshot(self, path, copy_to=None, full_page=False):
        """A PNG of the viewport (full_page: of the whole page, at the viewport's width);
        also copied to `copy_to` (a folder) if given."""
        if full_page:
            width = self.js("return window.innerWidth;")
            height = self.js("return document.documentElement.scrollHeight;")
            self.viewport(width, height)
        self.driver.save_screenshot(path)
        log(f"screenshot {path} ({os.path.getsize(path) // 1024} KiB)")
        if copy_to:
            os.makedirs(copy_to, exist_ok=True)
            shutil.copy(path, os.path.join(copy_to, os.path.basename(path)))

    def console_errors(self):
        """The browser's log lines at SEVERE level (script errors, refused resources, CSP)."""
        return [e["message"] for e in self.driver.get_log("browser") if e.get("level") == "SEVERE"]

    def kill(self):
        _run.unregister(self)
        try:
            self.driver.quit()
        except Exception as e:  # already gone
            log(f"browser {self.name}: quit: {e}")
