"""Locust users of `make loadtest` (run by run_level.py in the load-test virtual
environment): portal guardians, care staff over JSON-RPC, program claimers, and the
same load on Odoo's own pages as the baseline (requests named "baseline ...").

Reads its configuration (logins, wards, move pools) from $LOADTEST_CONFIG and
appends each status move that got a 200 to $LOADTEST_MOVES (one JSON per line)."""

import itertools
import json
import os
import random
from collections import deque

from locust import HttpUser, between, task

with open(os.environ["LOADTEST_CONFIG"]) as config_file:
    CONFIG = json.load(config_file)
# Open for the whole run, line-buffered: a move is on disk once it got its 200.
MOVES = open(os.environ["LOADTEST_MOVES"], "a", buffering=1)  # noqa: SIM115
GUARDIANS = itertools.cycle(CONFIG["guardians"])
STAFF = itertools.cycle(CONFIG["staff"])
CLAIMERS = itertools.cycle(CONFIG["claimers"])
# Each staff login's referrals to move, shared by the users logged in as it
# (gevent runs one greenlet at a time: popleft is atomic).
MOVED = set(CONFIG.get("moved", ()))  # by the earlier levels of this run
POOLS = {
    login: deque(i for i in ids if i not in MOVED)
    for login, ids in CONFIG["pools"].items()
}
FORM_SPEC = CONFIG["form_spec"]
# The same form without the addon's fields: Odoo's own contact form.
BASE_FORM_SPEC = {
    name: spec
    for name, spec in FORM_SPEC.items()
    if not name.startswith("care_") and name != "is_minor"
}
# One session per login, kept across levels: people stay logged in, and a login
# (a password hash) per simulated user would be a login storm, not the load.
SESSION_FILE = os.environ["LOADTEST_SESSIONS"]
SESSIONS = json.load(open(SESSION_FILE)) if os.path.exists(SESSION_FILE) else {}  # noqa: SIM115


def save_sessions():
    with open(SESSION_FILE, "w") as sessions:
        json.dump(SESSIONS, sessions)


def reuse_session(user):
    """Log ``user`` in with the login's session if there is one."""
    session_id = SESSIONS.get(user.login)
    if session_id:
        user.client.cookies.set("session_id", session_id)
    return bool(session_id)


def as_behind_a_proxy(user):
    """One connection per request, as nginx talks to Odoo by default (HTTP/1.0
    upstream). Odoo's prefork workers serve one connection at a time: a kept-alive
    client connection would hold a worker idle for its 2 s read timeout."""
    user.client.headers["Connection"] = "close"


def keep_session(user):
    session_id = user.client.cookies.get("session_id")
    if session_id:
        SESSIONS[user.login] = session_id


def rpc(client, name, model, method, args, kwargs=None):
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "params": {
            "model": model,
            "method": method,
            "args": args,
            "kwargs": kwargs or {},
        },
    }
    url = f"/web/dataset/call_kw/{model}/{method}"
    with client.post(url, json=payload, name=name, catch_response=True) as response:
        body = response.json() if response.status_code == 200 else {}
        if "error" in body:
            response.failure(body["error"]["data"].get("message", "RPC error")[:200])
            return None
        if response.status_code != 200:
            response.failure(f"HTTP {response.status_code}")
            return None
        return body.get("result")


class Guardian(HttpUser):
    """A guardian on the portal: the people in their care, a ward, referrals."""

    weight = 5
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.login, self.ward = next(GUARDIANS)
        as_behind_a_proxy(self)
        if reuse_session(self):
            return
        page = self.client.get("/web/login", name="login").text
        csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
        self.client.post(
            "/web/login",
            data={
                "login": self.login,
                "password": CONFIG["password"],
                "csrf_token": csrf,
            },
            name="login",
        )
        keep_session(self)

    def page(self, url, name):
        with self.client.get(
            url, name=name, catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")

    @task(3)
    def my_care(self):
        self.page("/my/care", "portal /my/care")

    @task(2)
    def my_ward(self):
        self.page(f"/my/care/{self.ward}", "portal /my/care/<id>")

    @task(3)
    def my_referrals(self):
        self.page("/my/referrals", "portal /my/referrals")

    @task(3)
    def baseline_account(self):
        self.page("/my/account", "baseline /my/account")


class BackOffice(HttpUser):
    """A back-office user logged in over JSON-RPC, as the web client is."""

    abstract = True
    wait_time = between(0.5, 1.5)
    logins = None

    def on_start(self):
        self.login = next(self.logins)
        as_behind_a_proxy(self)
        if reuse_session(self):
            return
        self.client.post(
            "/web/session/authenticate",
            json={
                "jsonrpc": "2.0",
                "params": {
                    "db": CONFIG["db"],
                    "login": self.login,
                    "password": CONFIG["password"],
                },
            },
            name="login",
        )
        keep_session(self)


class Staff(BackOffice):
    """Care staff: client forms, circle searches, status moves."""

    weight = 3
    logins = STAFF

    @task(3)
    def client_form(self):
        client = random.choice(CONFIG["clients"])
        rpc(
            self.client,
            "staff client form",
            "res.partner",
            "web_read",
            [[client]],
            {"specification": FORM_SPEC},
        )

    @task(2)
    def circle_search(self):
        type_id, related = random.choice(CONFIG["circle_pairs"])
        domain = [
            ("care_relation_type_id", "=", type_id),
            ("care_related_partner_id", "=", related),
        ]
        rpc(
            self.client,
            "staff circle search",
            "res.partner",
            "search_read",
            [domain, ["name"]],
            {"limit": 20},
        )

    @task(1)
    def move_referral(self):
        pool = POOLS.get(self.login)
        if not pool:
            return
        referral = pool.popleft()
        result = rpc(
            self.client,
            "staff set_state",
            "care.referral",
            "set_state",
            [[referral], "accepted"],
        )
        if result is True:
            MOVES.write(json.dumps({"referral": referral, "to": "accepted"}) + "\n")

    @task(3)
    def baseline_partner_read(self):
        client = random.choice(CONFIG["clients"])
        rpc(
            self.client,
            "baseline partner read",
            "res.partner",
            "read",
            [[client], ["name", "email", "phone", "street", "city"]],
        )

    @task(3)
    def baseline_partner_form(self):
        """Odoo's own contact form: the client form's reading without the addon."""
        client = random.choice(CONFIG["clients"])
        rpc(
            self.client,
            "baseline partner form",
            "res.partner",
            "web_read",
            [[client]],
            {"specification": BASE_FORM_SPEC},
        )

    @task(1)
    def baseline_partner_message(self):
        """Odoo's own write that notifies someone by e-mail, as a status move does."""
        client = random.choice(CONFIG["clients"])
        rpc(
            self.client,
            "baseline partner message",
            "res.partner",
            "message_post",
            [[client]],
            {
                "body": "Load test: a message to the client",
                "message_type": "comment",
                "subtype_xmlid": "mail.mt_comment",
                "partner_ids": [client],
            },
        )


class Claimer(BackOffice):
    """A program claimer on their inbound board."""

    weight = 2
    logins = CLAIMERS

    @task
    def inbound_board(self):
        uid = CONFIG["uids"][self.login]
        rpc(
            self.client,
            "claimer inbound board",
            "care.referral",
            "web_search_read",
            [],
            {
                "domain": [
                    ("program_id.claimer_user_ids", "in", [uid]),
                    ("state", "!=", "draft"),
                ],
                "specification": {
                    "name": {},
                    "seeker_id": {"fields": {"display_name": {}}},
                    "program_id": {"fields": {"display_name": {}}},
                    "state": {},
                },
                "limit": 80,
            },
        )
