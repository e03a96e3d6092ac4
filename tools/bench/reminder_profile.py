"""Profile the reminder cron on a batch of due reminders, then roll back.

    odoo-bin shell -d DB --no-http < tools/bench/reminder_profile.py
    make bench-reminders DB=<a database with the addon> [REMINDERS=3000]

Builds REMINDERS clients, each with one e-mail member who opted in (72 hours
ahead) and one appointment in the next 72 hours, as `make loadtest` does; runs
the cron until nothing is due under cProfile (PROFILE=0: without); prints the
time, the number of e-mails queued and the top functions by cumulative time.
Nothing is committed.
"""

import cProfile
import io
import os
import pstats
import time
from datetime import timedelta

from odoo import fields

COUNT = int(os.environ.get("REMINDERS", "3000"))
PROFILE = os.environ.get("PROFILE", "1") != "0"  # PROFILE=0: the plain time
env = env(context=dict(env.context, tracking_disable=True))  # noqa: F821
env.cr.execute("SAVEPOINT reminder_profile")
Partner = env["res.partner"]
clients = Partner.create(
    [{"name": f"Bench client {n}", "is_care_client": True} for n in range(COUNT)]
)
members = Partner.create(
    [{"name": f"Bench parent {n}", "email": f"p{n}@example.com"} for n in range(COUNT)]
)
relation_type = env.ref("care_network.relation_type_parent")
env["care.relation"].create(
    [
        {
            "partner_id": client.id,
            "related_partner_id": member.id,
            "type_id": relation_type.id,
            "reminder_opt_in": True,
            "reminder_email": True,
            "reminder_email_lead_hours": 72,
        }
        for client, member in zip(clients, members, strict=True)
    ]
)
start = fields.Datetime.now() + timedelta(hours=1)
env["calendar.event"].with_context(no_mail_to_attendees=True).create(
    [
        {
            "name": f"Bench appointment {n}",
            "start": start + timedelta(minutes=n % 4200),
            "stop": start + timedelta(minutes=n % 4200 + 60),
            "location": "12 Harbour Street",
            "partner_ids": [(6, 0, client.ids)],
        }
        for n, client in enumerate(clients)
    ]
)
env.flush_all()
env.invalidate_all()

Reminder = env["care.reminder"]
profiler = cProfile.Profile()
began, cpu_began, queries, calls = (
    time.perf_counter(),
    time.process_time(),
    env.cr.sql_log_count,
    0,
)
if PROFILE:
    profiler.enable()
while True:
    calls += 1
    if not Reminder._cron_send_due_reminders():
        break
    env.flush_all()
    env.invalidate_all()  # Odoo's cron commits between calls: a cold cache
profiler.disable()
elapsed = time.perf_counter() - began
cpu = time.process_time() - cpu_began  # Odoo's own (not PostgreSQL's) CPU time
queries = env.cr.sql_log_count - queries
sent = Reminder.search_count([("member_id", "in", members.ids)])
mails = env["mail.mail"].search_count([("model", "=", "care.reminder")])
print(
    f"{sent} reminders, {mails} e-mails, {calls} cron calls in {elapsed:.1f} s "
    f"({cpu:.1f} s of Odoo CPU, {queries} queries)"
)
if PROFILE:
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats("cumulative").print_stats(45)
    print(stream.getvalue())
env.cr.execute("ROLLBACK TO SAVEPOINT reminder_profile")
env.cr.rollback()
