"""`make screenshots`: drive the real UI in headless Chromium (DevTools protocol)
on the demo database and save the README's screenshots under static/description/.

Expects the demo database to exist (tools/screenshots.sh creates or upgrades it)
and starts its own Odoo server on a free port.
"""

import base64
import json
import shutil
import subprocess
import sys
import tempfile
import time

import requests
import websocket
from odoo_tests import REPO_ROOT, free_port, odoo_server, web_login

DEMO_DB = sys.argv[1] if len(sys.argv) > 1 else "care_network_demo"
OUT = REPO_ROOT / "static" / "description"
WIDTH, HEIGHT = 1440, 900

CLICK_TAB = (
    "[...document.querySelectorAll('.o_notebook .nav-link')]"
    ".find(a => a.textContent.includes('%s'))?.click();"
)
SCROLL_TO_TABS = (
    "setTimeout(() => document.querySelector('.o_notebook')"
    ".scrollIntoView({block: 'start'}), 500)"
)

# (file, login, path, JavaScript run once the page is ready, selector to wait for)
SHOTS = [
    (
        "circle_of_care.png",
        "navigator",
        "/odoo/action-care_network.action_care_clients/{leo}",
        CLICK_TAB % "Circle of Care" + SCROLL_TO_TABS,
        "div[name=care_circle_ids] .o_data_row",
    ),
    (
        "referral.png",
        "caremanager",
        "/odoo/action-care_network.action_care_referral_all/{walter_meals}",
        CLICK_TAB % "History",
        ".o_form_view .o_statusbar_status",
    ),
    (
        "inbound_board.png",
        "navigator",
        "/odoo/action-care_network.action_care_referral_inbound",
        "",
        ".o_kanban_renderer .o_kanban_record",
    ),
    (
        "guardian_portal.png",
        "claire",
        "/my/care/{leo}",
        "",
        ".o_care_portal_client_page",
    ),
    (
        "provider_page.png",
        None,  # a program without a login, from the link in its intake e-mail
        "/care/provider/referral/{walter_pantry}?access_token=demo-riverside-pantry-link",
        "",
        ".o_care_provider_page",
    ),
    (
        "package.png",
        "navigator",
        "/odoo/action-care_network.action_care_package/{martin_package}",
        "",
        ".o_form_view div[name=event_ids] .o_data_row",
    ),
    (
        "package_portal.png",
        "claire",
        "/my/packages/{martin_package}",
        "",
        ".o_care_portal_package_note",
    ),
    (
        "package_booking_portal.png",
        "claire",
        "/my/packages/{martin_package}/book",
        "",
        ".o_care_portal_slot",
    ),
    (
        "client_forms.png",
        "navigator",
        "/odoo/action-care_network.action_care_clients/{leo}",
        CLICK_TAB % "Forms" + SCROLL_TO_TABS,
        "div[name=care_form_answer_ids] .o_data_row",
    ),
    (
        "ecomap.png",
        "navigator",
        "/odoo/action-care_network.action_care_clients/{leo}",
        "document.querySelector('button[name=action_open_care_ecomap]').click()",
        ".o_care_ecomap_node",
    ),
    (
        # A new client: the circle is empty, its two ways in above the empty list.
        "empty_circle.png",
        "navigator",
        "/odoo/action-care_network.action_care_clients/new",
        CLICK_TAB % "Circle of Care" + SCROLL_TO_TABS,
        ".o_care_circle_add button[name=action_add_care_alternative_contact]",
    ),
    (
        "referral_outcomes.png",
        "caremanager",
        "/odoo/action-care_network.action_care_referral_outcomes",
        "",
        ".o_pivot table",
    ),
]


def record_ids(base):
    """Ids of the demo records the shots open, read as the administrator."""
    session = web_login(base, "admin", "admin")
    ids = {}
    for key, xmlid in (
        ("leo", "care_network.demo_partner_leo_martin"),
        ("walter_meals", "care_network.demo_referral_walter_meals"),
        ("walter_pantry", "care_network.demo_referral_walter_pantry"),
        ("martin_package", "care_network.demo_package_martin_coaching"),
    ):
        response = session.post(
            f"{base}/web/dataset/call_kw",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": "ir.model.data",
                    "method": "check_object_reference",
                    "args": xmlid.split("."),
                    "kwargs": {},
                },
            },
            timeout=30,
        ).json()
        ids[key] = response["result"][1]
    return ids


class Chromium:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="care-shots-")
        port = free_port()
        browser = shutil.which("chromium") or shutil.which("chromium-browser")
        self.process = subprocess.Popen(
            [
                browser,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                f"--window-size={WIDTH},{HEIGHT}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                targets = requests.get(
                    f"http://127.0.0.1:{port}/json", timeout=1
                ).json()
                page = next(t for t in targets if t["type"] == "page")
                break
            except (requests.ConnectionError, StopIteration):
                time.sleep(0.2)
        self.ws = websocket.create_connection(
            page["webSocketDebuggerUrl"], suppress_origin=True
        )
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(
            json.dumps({"id": self.next_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True
        )
        return result.get("result", {}).get("value")

    def wait_for(self, selector, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.evaluate(f"!!document.querySelector({json.dumps(selector)})"):
                return
            time.sleep(0.3)
        raise TimeoutError(selector)

    def close(self):
        self.ws.close()
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


def shoot(browser, base, session_id, url, action, selector, path):
    browser.call("Network.enable")
    browser.call("Network.clearBrowserCookies")
    browser.call(
        "Network.setCookie", name="session_id", value=session_id, url=base, path="/"
    )
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        width=WIDTH,
        height=HEIGHT,
        deviceScaleFactor=1,
        mobile=False,
    )
    browser.call("Page.navigate", url=f"{base}{url}")
    time.sleep(1)
    if action:
        browser.wait_for(".o_notebook, .o_kanban_renderer, .o_portal", timeout=60)
        time.sleep(0.5)
        browser.evaluate(action)
    try:
        browser.wait_for(selector, timeout=60)
    finally:
        time.sleep(1.5)
        data = browser.call("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))
    print(f"  saved {path.relative_to(REPO_ROOT)}")


def session_of(base, login):
    """A logged-in session, or a visitor's one (login None)."""
    if login:
        return web_login(base, login, login).cookies["session_id"]
    return requests.get(f"{base}/web/login", timeout=30).cookies["session_id"]


def main():
    browser = None
    with odoo_server(DEMO_DB) as base:
        try:
            ids = record_ids(base)
            browser = Chromium()
            for name, user, url, action, selector in SHOTS:
                session_id = session_of(base, user)
                shoot(
                    browser,
                    base,
                    session_id,
                    url.format(**ids),
                    action,
                    selector,
                    OUT / name,
                )
            pdf_page(base, ids)
        finally:
            if browser:
                browser.close()
    return 0


def pdf_page(base, ids):
    """The first page of Léo's printed ecomap, as a PNG (pdftoppm)."""
    session = web_login(base, "navigator", "navigator")
    pdf = session.get(
        f"{base}/report/pdf/care_network.report_care_ecomap/{ids['leo']}", timeout=120
    )
    pdf.raise_for_status()
    with tempfile.TemporaryDirectory() as folder:
        source = f"{folder}/ecomap.pdf"
        with open(source, "wb") as handle:
            handle.write(pdf.content)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "70",
                "-f",
                "1",
                "-singlefile",
                source,
                str(OUT / "ecomap_pdf"),
            ],
            check=True,
        )
    print("  saved static/description/ecomap_pdf.png")


if __name__ == "__main__":
    sys.exit(main())
