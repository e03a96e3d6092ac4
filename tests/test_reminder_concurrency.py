"""The reminder cron in real, committed transactions: two runs at once send each
reminder exactly once, and a run that crashes mid-way loses only its batch."""

import threading
from datetime import timedelta
from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.tests import tagged

from odoo.addons.care_network.models.care_reminder import CareReminder

from .common import CommittedCase

EVENTS = 5


@tagged("post_install", "-at_install")
class TestReminderExactlyOnce(CommittedCase):
    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            Partner = env["res.partner"]
            client = Partner.create({"name": "Ola Once", "is_care_client": True})
            member = Partner.create({"name": "Mo Member", "email": "mo@example.com"})
            relation = env["care.relation"].create(
                {
                    "partner_id": client.id,
                    "related_partner_id": member.id,
                    "type_id": env.ref(
                        "care_network.relation_type_emergency_contact"
                    ).id,
                    "reminder_opt_in": True,
                    "reminder_email": True,
                    "reminder_email_lead_hours": 24,
                }
            )
            start = fields.Datetime.now() + timedelta(hours=10)
            events = (
                env["calendar.event"]
                .with_context(no_mail_to_attendees=True)
                .create(
                    [
                        {
                            "name": f"Once {index}",
                            "start": start + timedelta(minutes=index),
                            "stop": start + timedelta(minutes=index + 30),
                            "partner_ids": [Command.set(client.ids)],
                        }
                        for index in range(EVENTS)
                    ]
                )
            )
            self.ids = {
                "partners": (client | member).ids,
                "relation": relation.id,
                "events": events.ids,
                "member": member.id,
            }
        self.addCleanup(self.delete_committed_data)

    def delete_committed_data(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            reminders = env["care.reminder"].search(
                [("member_id", "=", self.ids["member"])]
            )
            env["mail.mail"].search(
                [("model", "=", "care.reminder"), ("res_id", "in", reminders.ids)]
            ).unlink()
            reminders.unlink()
            env["calendar.event"].browse(self.ids["events"]).unlink()
            env["care.relation"].browse(self.ids["relation"]).unlink()
            env["res.partner"].browse(self.ids["partners"]).unlink()

    def sent_so_far(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            reminders = env["care.reminder"].search(
                [("member_id", "=", self.ids["member"])]
            )
            mails = env["mail.mail"].search_count(
                [("model", "=", "care.reminder"), ("res_id", "in", reminders.ids)]
            )
            pairs = sorted((r.event_id.id, str(r.event_start)) for r in reminders)
            return pairs, mails

    def run_cron(self, results, name, **kwargs):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            results[name] = env["care.reminder"]._cron_send_due_reminders(**kwargs)

    def test_two_runs_at_once_send_each_reminder_once(self):
        results = {}
        first_sending, second_done = threading.Event(), threading.Event()
        original = CareReminder._send_reminder

        def send_then_hold(self, event, member, channels):
            # The first run holds its transaction open while the second runs.
            reminder = original(self, event, member, channels)
            if (
                threading.current_thread().name == "first"
                and not first_sending.is_set()
            ):
                first_sending.set()
                second_done.wait(timeout=10)
            return reminder

        def second():
            first_sending.wait(timeout=10)
            self.run_cron(results, "second")
            second_done.set()

        with patch.object(CareReminder, "_send_reminder", send_then_hold):
            threads = [
                threading.Thread(
                    target=self.run_cron, args=(results, "first"), name="first"
                ),
                threading.Thread(target=second, name="second"),
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=30)
        self.assertEqual(results, {"first": EVENTS, "second": 0})
        self.assertTrue(second_done.is_set(), "the second run ran during the first")
        pairs, mails = self.sent_so_far()
        self.assertEqual(len(set(pairs)), EVENTS, "one row per event and member")
        self.assertEqual(mails, EVENTS, "one e-mail per reminder")
        self.run_cron(results, "third")
        self.assertEqual(results["third"], 0, "a later run finds them sent")

    def test_a_crash_mid_run_loses_its_batch_only(self):
        results = {}
        self.run_cron(results, "first batch", batch_size=2)
        self.assertEqual(results["first batch"], 2)
        calls = []
        original = CareReminder._send_email

        def crash_on_second(self):
            calls.append(self.id)
            if len(calls) == 2:
                raise RuntimeError("the worker died")
            return original(self)

        with (
            patch.object(CareReminder, "_send_email", crash_on_second),
            self.assertRaises(RuntimeError),
        ):
            self.run_cron(results, "crashed batch", batch_size=2)
        pairs, mails = self.sent_so_far()
        self.assertEqual((len(pairs), mails), (2, 2), "the crashed batch left nothing")
        self.run_cron(results, "the rest")
        self.assertEqual(results["the rest"], EVENTS - 2)
        pairs, mails = self.sent_so_far()
        self.assertEqual((len(set(pairs)), mails), (EVENTS, EVENTS))
        self.run_cron(results, "again")
        self.assertEqual(results["again"], 0, "nothing is sent twice")
