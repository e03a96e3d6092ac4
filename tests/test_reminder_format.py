"""What a reminder says, to the client and to a circle member: one template."""

import importlib.util
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged
from odoo.tools.misc import file_path

from .common import CareCase

EVENT_START = datetime(2026, 12, 1, 15, 0)  # 16:00 in Paris, 10:00 in New York
LONG_AGO = EVENT_START.date() - timedelta(days=400)  # current at the frozen times


class ReminderFormatCase(CareCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {"phone": "+33 4 72 00 00 00", "email": "care@agency.example"}
        )
        cls.staff = new_test_user(
            cls.env,
            login="nadia",
            name="Nadia Navigator",
            groups="care_network.group_care_user",
            tz="Asia/Tokyo",
        )
        cls.adult.tz = "Europe/Paris"
        cls.guardian.tz = "America/New_York"
        cls.relation = cls.relate(
            cls.adult,
            cls.guardian,
            cls.type_responsible,
            date_start=LONG_AGO,
            reminder_opt_in=True,
            reminder_email=True,
            reminder_email_lead_hours=24,
        )
        cls.event = cls.new_event(
            "Physiotherapy",
            cls.adult,
            location="12 Harbour Street",
            user_id=cls.staff.id,
        )

    @classmethod
    def new_event(cls, name, *attendees, start=EVENT_START, **values):
        return (
            cls.env["calendar.event"]
            .with_context(no_mail_to_attendees=True)
            .create(
                {
                    "name": name,
                    "start": start,
                    "stop": start + timedelta(hours=1),
                    "partner_ids": [(6, 0, [p.id for p in attendees])],
                    **values,
                }
            )
        )

    def run_cron(self, moment=EVENT_START - timedelta(hours=23)):
        with freeze_time(moment):
            self.env["care.reminder"]._cron_send_due_reminders()

    def alarm_mail(self, template):
        """What Odoo's alarm cron does for the event's attendees."""
        attendees = self.event.attendee_ids.with_context(no_mail_to_attendees=False)
        attendees._send_mail_to_attendees(template)

    def mail_to(self, partner):
        mails = self.env["mail.mail"].search(
            [("model", "=", "care.reminder"), ("recipient_ids", "in", partner.ids)]
        )
        self.assertEqual(len(mails), 1, f"one reminder to {partner.name}")
        return mails


@tagged("post_install", "-at_install")
class TestReminderFormat(ReminderFormatCase):
    def test_member_reminder_says_when_where_with_whom_and_how_to_cancel(self):
        self.run_cron()
        mail = self.mail_to(self.guardian)
        self.assertEqual(
            mail.subject, "Reminder of Ada Adult's appointment: Physiotherapy"
        )
        body = mail.body_html
        self.assertIn("Hello Gina Guardian", body)
        # The client's time zone, named: not the member's (10:00) nor UTC.
        self.assertIn("16:00 Central European Standard Time", body)
        self.assertNotIn("10:00", body)
        self.assertIn("Tuesday 1 December 2026", body)
        self.assertIn("12 Harbour Street", body)
        self.assertIn("With: Nadia Navigator", body)
        self.assertIn("To cancel or reschedule, contact", body)
        self.assertIn("+33 4 72 00 00 00, care@agency.example", body)
        self.assertIn("because you asked for them", body)

    def test_client_own_reminder_is_the_same_template(self):
        """Odoo's e-mail alarm sends the client the addon's reminder."""
        alarm_template = self.env.ref("calendar.calendar_template_meeting_reminder")
        with freeze_time(EVENT_START - timedelta(hours=2)):
            self.alarm_mail(alarm_template)
        mail = self.mail_to(self.adult)
        self.assertEqual(mail.subject, "Reminder of your appointment: Physiotherapy")
        body = mail.body_html
        self.assertIn("Hello Ada Adult", body)
        self.assertIn("A reminder of your appointment", body)
        self.assertIn("16:00 Central European Standard Time", body)
        self.assertIn("12 Harbour Street", body)
        self.assertIn("With: Nadia Navigator", body)
        self.assertIn("+33 4 72 00 00 00, care@agency.example", body)
        self.assertNotIn("because you asked for them", body)
        self.assertFalse(
            self.env["mail.message"].search(
                [
                    ("model", "=", "calendar.event"),
                    ("res_id", "=", self.event.id),
                    ("partner_ids", "in", self.adult.ids),
                ]
            ),
            "not Odoo's calendar reminder as well",
        )
        own = self.env["care.reminder"].search([("member_id", "=", self.adult.id)])
        self.assertEqual((own.client_ids, own.sent_email), (self.adult, True))
        # Once per event time: the alarm again sends nothing new.
        with freeze_time(EVENT_START - timedelta(hours=1)):
            self.alarm_mail(alarm_template)
        self.mail_to(self.adult)

    def test_sparse_event_says_only_what_it_knows(self):
        """No place, no organiser, no time zone anywhere: UTC, said so."""
        self.adult.tz = False
        self.guardian.tz = False
        self.env.company.partner_id.tz = False
        self.env.company.write({"phone": False, "email": False})
        self.event.write({"location": False, "user_id": False})
        self.run_cron()
        body = self.mail_to(self.guardian).body_html
        self.assertIn("15:00 Coordinated Universal Time", body)
        self.assertIn("Physiotherapy", body)
        self.assertNotIn("Where:", body)
        self.assertNotIn("With:", body)
        self.assertNotIn("Video call:", body)
        self.assertNotIn("To cancel or reschedule", body)

    def test_video_call_link(self):
        self.event.write(
            {"location": False, "videocall_location": "https://meet.example.com/abc"}
        )
        self.run_cron()
        body = self.mail_to(self.guardian).body_html
        self.assertIn('href="https://meet.example.com/abc"', body)
        self.assertNotIn("Where:", body)

    def test_member_in_another_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.guardian.lang = "fr_FR"
        self.run_cron()
        mail = self.mail_to(self.guardian)
        self.assertIn("mardi 1 décembre 2026, 16:00", mail.body_html)
        self.assertIn("heure normale d’Europe centrale", mail.body_html)

    def test_no_other_private_names(self):
        """Another client in the room who is not linked to the member's client,
        and another member of the circle, are not named."""
        stranger = self.Partner.create({"name": "Zoe Stranger", "is_care_client": True})
        self.event.partner_ids = [(4, stranger.id), (4, self.other_parent.id)]
        self.run_cron()
        body = self.mail_to(self.guardian).body_html
        self.assertNotIn("Zoe Stranger", body)
        self.assertNotIn("Oscar Other", body)
        self.assertIn("With: Nadia Navigator", body)

    def test_sms_says_the_same_in_short(self):
        if not self.env["care.reminder"]._sms_available():
            self.skipTest("needs Odoo's sms addon")
        self.guardian.mobile = "+1 555 0199"
        self.relation.write({"reminder_email": False, "reminder_sms": True})
        self.run_cron()
        sms = self.env["sms.sms"].search([("partner_id", "=", self.guardian.id)])
        self.assertEqual(len(sms), 1)
        self.assertIn("Ada Adult", sms.body)
        self.assertIn("Physiotherapy", sms.body)
        self.assertIn("16:00 Central European Standard Time", sms.body)
        self.assertIn("12 Harbour Street", sms.body)
        self.assertIn("With Nadia Navigator.", sms.body)
        self.assertIn(
            "To cancel or reschedule: +33 4 72 00 00 00, care@agency.example.",
            sms.body,
        )


@tagged("post_install", "-at_install")
class TestReminderTemplateMigration(ReminderFormatCase):
    """18.0.1.7.0 rewrites the shipped reminder only where no one edited it."""

    def migrate(self):
        path = file_path("care_network/migrations/18.0.1.7.0/post-reminder-template.py")
        spec = importlib.util.spec_from_file_location("post_reminder_template", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.migrate(self.env.cr, "18.0.1.6.0")
        self.template.invalidate_recordset()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.env.ref("care_network.mail_template_circle_reminder")
        cls.old = {
            "subject": "Reminder: {{ object.event_id.name }}",
            "body_html": "<p>Old wording <t t-out='object.event_time'/></p>",
            "partner_to": False,
        }

    def test_untouched_template_gets_the_new_wording(self):
        self.template.sudo().write(self.old)  # as the 18.0.1.6.0 upgrade left it
        self.migrate()
        self.assertIn("object.care_details", self.template.body_html)
        self.assertEqual(self.template.partner_to, "{{ object.member_id.id }}")
        self.run_cron()
        self.assertIn("With: Nadia Navigator", self.mail_to(self.guardian).body_html)

    def test_edited_template_is_kept_and_still_reaches_the_member(self):
        admin = self.env.ref("base.user_admin")
        self.template.with_user(admin).write(self.old)
        self.migrate()
        self.assertIn("Old wording", self.template.body_html)
        self.assertEqual(self.template.write_uid, admin)
        self.template.partner_to = False  # and even without a recipient:
        self.run_cron()
        self.assertIn("Old wording", self.mail_to(self.guardian).body_html)
