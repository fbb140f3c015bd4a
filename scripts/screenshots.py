"""Screenshots of the running product, in headless Chromium, for the README and for review.

    python scripts/screenshots.py URL OUTDIR name=path [name=path ...]

Logs in as admin/admin, then opens each path (relative to URL) and saves OUTDIR/name.png.
SHOT_WIDTH (default 1440, e.g. 390 for a phone) sets the window width; SHOT_ANONYMOUS=1 opens the paths
without logging in (a debtor's tokenized link); SHOT_FULL=1 captures the whole page, not only the window;
SHOT_WAIT (default 4) is the seconds waited after each page load and each click (longer on a busy machine).
A path may end with ``#click:CSS`` (repeated: one click after the other) to click elements before the
screenshot.
Uses the Chrome DevTools protocol through websocket-client (a test dependency).
"""

import base64
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

import requests
import websocket

PORT = 9333


def login(base_url):
    session = requests.Session()
    page = session.get(f"{base_url}/web/login", timeout=30).text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    session.post(
        f"{base_url}/web/login",
        data={"login": "admin", "password": "admin", "csrf_token": token, "redirect": ""},
        timeout=30,
    )
    return session.cookies.get("session_id")


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="shots-")
        self.proc = subprocess.Popen(
            [
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--remote-debugging-port={PORT}",
                f"--user-data-dir={self.profile}",
                "--window-size=1440,900",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _attempt in range(50):
            try:
                targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{PORT}/json"))
                page = next(t for t in targets if t["type"] == "page")
                break
            except (OSError, StopIteration):
                time.sleep(0.2)
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.counter = 0

    def call(self, method, **params):
        self.counter += 1
        self.ws.send(json.dumps({"id": self.counter, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.counter:
                return message.get("result", {})

    def shot(self, url, path, wait=None):
        wait = wait or float(os.environ.get("SHOT_WAIT", 4.0))
        url, *clicks = url.split("#click:")
        self.call("Page.navigate", url=url)
        time.sleep(wait)
        for click in clicks:
            self.call("Runtime.evaluate", expression=f"document.querySelector({json.dumps(click)}).click()")
            time.sleep(wait)
        params = {"format": "png"}
        if os.environ.get("SHOT_FULL"):
            size = self.call("Page.getLayoutMetrics")["cssContentSize"]
            params |= {"captureBeyondViewport": True, "clip": {**size, "x": 0, "y": 0, "scale": 1}}
        data = self.call("Page.captureScreenshot", **params)["data"]
        with open(path, "wb") as out:
            out.write(base64.b64decode(data))

    def close(self):
        self.ws.close()
        self.proc.terminate()


def main(base_url, outdir, *specs):
    os.makedirs(outdir, exist_ok=True)
    browser = Browser()
    width = int(os.environ.get("SHOT_WIDTH", 1440))
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        width=width,
        height=900 if width > 600 else 844,
        deviceScaleFactor=1,
        mobile=width <= 600,
    )
    logged_in = bool(os.environ.get("SHOT_ANONYMOUS"))
    for spec in specs:
        name, path = spec.split("=", 1)
        if name != "login" and not logged_in:
            browser.call("Network.enable")
            browser.call("Network.setCookie", name="session_id", value=login(base_url), url=base_url)
            logged_in = True
        browser.shot(base_url + path, os.path.join(outdir, f"{name}.png"))
        print(f"{outdir}/{name}.png")
    browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
