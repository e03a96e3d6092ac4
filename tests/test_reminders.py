from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from .common import CareCase, company_b_care_user

EVENT_START = datetime(2026, 12, 1, 15, 0)


class ReminderCase(CareCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Reminder = cls.env["care.reminder"]
        cls.guardian.write({"tz": "America/New_York", "mobile": "+1 555 0199"})
        cls.relation = cls.relate(
            cls.adult,
            cls.guardian,
            cls.type_responsible,
            date_start=EVENT_START.date() - timedelta(days=400),
            reminder_opt_in=True,
            reminder_email=True,
            reminder_email_lead_hours=24,
        )
        cls.event = cls.new_event("Physiotherapy", EVENT_START, cls.adult)

    @classmethod
    def new_event(cls, name, start, *attendees, **values):
        return (
            cls.env["calendar.event"]
            .with_context(no_mail_to_attendees=True)
            .create(
                {
                    "name": name,
                    "start": start,
                    "stop": start + timedelta(hours=1),
                    "location": "12 Harbour Street",
                    "partner_ids": [(6, 0, [p.id for p in attendees])],
                    **values,
                }
            )
        )

    def run_cron_at(self, moment):
        with freeze_time(moment):
            self.env["care.reminder"]._cron_send_due_reminders()

    def reminders(self, member=None):
        return self.Reminder.search(
            [("member_id", "=", (member or self.guardian).id)], order="id"
        )

    def mails(self):
        """The e-mails of the reminders of this test's appointments (those of
        a database with demo data are reminded too)."""
        ours = self.Reminder.search([("event_id", ">=", self.event.id)])
        return self.env["mail.mail"].search(
            [("model", "=", "care.reminder"), ("res_id", "in", ours.ids)]
        )


@tagged("post_install", "-at_install")
class TestCircleReminders(ReminderCase):
    def test_reminded_once_between_lead_time_and_fifteen_minutes_later(self):
        """The cron runs every 15 minutes from 30 hours before the event."""
        moment = EVENT_START - timedelta(hours=30, minutes=7)
        sent_at = []
        while moment < EVENT_START:
            before = len(self.reminders())
            self.run_cron_at(moment)
            if len(self.reminders()) > before:
                sent_at.append(moment)
            moment += timedelta(minutes=15)
        self.assertEqual(len(sent_at), 1)
        self.assertTrue(
            EVENT_START - timedelta(hours=24)
            <= sent_at[0]
            <= EVENT_START - timedelta(hours=23, minutes=45)
        )
        self.assertEqual(len(self.reminders()), 1)
        self.assertEqual(len(self.mails()), 1)

    def test_email_names_client_event_local_time_and_place(self):
        self.run_cron_at(EVENT_START - timedelta(hours=23, minutes=55))
        mail = self.mails()
        self.assertEqual(mail.recipient_ids, self.guardian)
        self.assertIn("Ada Adult", mail.subject)
        self.assertIn("Physiotherapy", mail.body_html)
        self.assertIn("12 Harbour Street", mail.body_html)
        # 15:00 UTC is 10:00 in New York in December.
        self.assertIn("10:00", mail.body_html)
        self.assertNotIn("15:00", mail.body_html)

    def test_running_twice_sends_nothing_new(self):
        moment = EVENT_START - timedelta(hours=20)
        self.run_cron_at(moment)
        self.run_cron_at(moment)
        self.run_cron_at(moment + timedelta(minutes=15))
        self.assertEqual(len(self.reminders()), 1)
        self.assertEqual(len(self.mails()), 1)

    def test_moved_event_is_reminded_again(self):
        self.run_cron_at(EVENT_START - timedelta(hours=23))
        later = EVENT_START + timedelta(days=2)
        self.event.write({"start": later, "stop": later + timedelta(hours=1)})
        self.run_cron_at(EVENT_START - timedelta(hours=22))
        self.assertEqual(len(self.reminders()), 1, "Not due yet for the new time")
        self.run_cron_at(later - timedelta(hours=23))
        self.assertEqual(self.reminders().mapped("event_start"), [EVENT_START, later])

    def test_appointments_the_member_does_not_share_are_reminded(self):
        self.event.partner_ids = [(4, self.guardian.id)]
        solo = self.new_event("Dentist", EVENT_START + timedelta(hours=3), self.adult)
        self.run_cron_at(EVENT_START - timedelta(hours=20))
        self.assertEqual(self.reminders().event_id, self.event | solo)

    def test_a_private_appointment_keeps_its_details_from_who_is_not_in_it(self):
        """Calendar's privacy holds in the reminder: a member who neither
        organises nor attends a private (or internal-only) appointment learns
        when it is, not what, where or with whom."""
        self.relation.reminder_sms = True
        self.event.write(
            {
                "privacy": "private",
                "user_id": self.care_user.id,
                "videocall_location": "https://meet.example.com/zeta",
            }
        )
        confidential = self.new_event(
            "Staff case conference",
            EVENT_START + timedelta(hours=3),
            self.adult,
            privacy="confidential",
        )
        self.run_cron_at(EVENT_START - timedelta(hours=20))
        self.assertEqual(self.reminders().event_id, self.event | confidential)
        sms = self.env["sms.sms"].search([("partner_id", "=", self.guardian.id)])
        self.assertEqual(len(sms), 2)
        for text in [
            *self.mails().mapped("subject"),
            *self.mails().mapped("body_html"),
        ]:
            for secret in ("Physiotherapy", "12 Harbour", "meet.example", "conference"):
                self.assertNotIn(secret, text)
        for text in sms.mapped("body"):
            for secret in ("Physiotherapy", "12 Harbour", "meet.example", "conference"):
                self.assertNotIn(secret, text)
            self.assertIn("Private appointment", text)
        self.assertIn("10:00", " ".join(self.mails().mapped("body_html")))

    def test_staff_not_in_a_private_appointment_do_not_read_its_title(self):
        """The message fields are for the mailer only; the reminder's name
        masks the title as calendar does for the reader."""
        self.event.partner_ids = [(4, self.guardian.id)]
        self.event.write({"privacy": "private", "user_id": self.care_manager.id})
        self.run_cron_at(EVENT_START - timedelta(hours=20))
        reminder = self.reminders()
        self.assertIn("Physiotherapy", self.mails().subject)
        organiser = reminder.with_user(self.care_manager).read(["display_name"])
        self.assertIn("Physiotherapy", organiser[0]["display_name"])
        outsider = reminder.with_user(self.care_user).read(["display_name"])
        self.assertNotIn("Physiotherapy", outsider[0]["display_name"])
        self.assertIn("Private appointment", outsider[0]["display_name"])

    def test_staff_outside_a_private_appointment_read_none_of_it_from_reminders(self):
        """The guardian attends, so her e-mail names it: staff outside it read
        neither that e-mail's copy nor, through the reminder, the appointment."""
        self.event.partner_ids = [(4, self.guardian.id)]
        self.event.write(
            {
                "privacy": "private",
                "user_id": self.care_manager.id,
                "videocall_location": "https://meet.example.com/zeta",
            }
        )
        self.run_cron_at(EVENT_START - timedelta(hours=20))
        self.assertIn("Physiotherapy", self.mails().subject)
        self.env.invalidate_all()
        as_staff = self.Reminder.with_user(self.care_user)
        event_spec = {
            "name": {},
            "location": {},
            "videocall_location": {},
            "partner_ids": {"fields": {"display_name": {}}},
        }
        rows = as_staff.web_search_read(
            [], {"display_name": {}, "event_id": {"fields": event_spec}}
        )["records"]
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["event_id"]["name"], "Busy")
        self.assertFalse(rows[0]["event_id"]["location"])
        self.assertFalse(rows[0]["event_id"]["videocall_location"])
        self.assertFalse(rows[0]["event_id"]["partner_ids"])
        self.assertNotIn("Physiotherapy", rows[0]["display_name"])
        messages = self.env["mail.message"].with_user(self.care_user)
        self.assertFalse(messages.search([("model", "=", "care.reminder")]))
        self.assertFalse(
            messages.search_read([("subject", "ilike", "Physiotherapy")], ["body"])
        )

    def test_staff_reading_reminders_together_read_no_private_appointment(self):
        """A visible appointment's reminder named beside a private one's: naming
        the first reads no column of the second past calendar's masking."""
        self.event.partner_ids = [(4, self.guardian.id)]
        self.event.write({"privacy": "private", "user_id": self.care_manager.id})
        self.new_event("Dentist", EVENT_START + timedelta(hours=2), self.adult)
        self.run_cron_at(EVENT_START - timedelta(hours=20))
        self.assertEqual(len(self.reminders()), 2)
        self.env.invalidate_all()
        rows = self.Reminder.with_user(self.care_user).web_search_read(
            [],
            {
                "display_name": {},
                "event_id": {"fields": {"name": {}, "location": {}}},
            },
            order="id",
        )["records"]
        by_event = {row["event_id"]["id"]: row for row in rows}
        private = by_event[self.event.id]
        self.assertEqual(private["event_id"]["name"], "Busy")
        self.assertFalse(private["event_id"]["location"])
        self.assertNotIn("Physiotherapy", str(rows))
        self.assertIn("Dentist", str(rows))

    def test_a_reminders_name_is_in_its_readers_language(self):
        """The member is French, the staff user reading the reminder is not."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["care_network"], ["fr_FR"], overwrite=True
        )
        self.guardian.lang = "fr_FR"
        self.event.write({"privacy": "private", "user_id": self.care_manager.id})
        self.run_cron_at(EVENT_START - timedelta(hours=20))
        self.assertIn("Rendez-vous privé", self.mails().subject)
        self.care_user.lang = "en_US"
        reminder = self.reminders().with_user(self.care_user)
        self.assertIn("Private appointment", reminder.display_name)
        self.assertNotIn("Rendez-vous", reminder.display_name)

    def test_erasing_the_client_erases_the_kept_reminder_emails(self):
        self.run_cron_at(EVENT_START - timedelta(hours=20))
        mail = self.mails()
        self.assertIn("12 Harbour Street", mail.body_html)
        self.assertEqual(mail.state, "outgoing")
        self.adult.with_user(self.care_manager).action_erase_care_data()
        copies = str(mail.body_html) + str(mail.mail_message_id.body) + mail.subject
        self.assertNotIn("12 Harbour Street", copies)
        self.assertNotIn("Physiotherapy", copies)
        self.assertEqual(mail.state, "cancel", "not sent blank")
        self.assertTrue(self.reminders(), "the reminder stays, as the counts do")

    def test_deleting_the_appointment_deletes_its_reminders_and_copies(self):
        """Through the ORM, not the column's cascade: no copy of a deleted
        appointment's reminder stays, and one not sent yet is not sent."""
        self.relation.write({"reminder_sms": True})
        self.run_cron_at(EVENT_START - timedelta(hours=20))
        mail, message = self.mails(), self.mails().mail_message_id
        sms = self.env["sms.sms"].search([("partner_id", "=", self.guardian.id)])
        self.assertEqual((len(mail), len(sms)), (1, 1))
        self.assertIn("Physiotherapy", sms.body)
        self.event.unlink()
        self.assertFalse(self.reminders())
        for copy in (mail, message, sms):
            self.assertFalse(copy.exists(), copy._name)
        self.assertFalse(
            self.env["mail.message"].search([("body", "ilike", "12 Harbour Street")])
        )

    def test_deleting_the_member_deletes_the_reminders_copies(self):
        self.run_cron_at(EVENT_START - timedelta(hours=20))
        message = self.mails().mail_message_id
        self.assertTrue(message)
        self.guardian.unlink()
        self.assertFalse(message.exists())

    def test_deleting_one_of_two_clients_leaves_no_copy_naming_them(self):
        """One reminder served both clients: it goes with its copies (they name
        the deleted one), and the cron reminds the member of the other again."""
        self.minor.care_relation_ids.write(
            {
                "reminder_opt_in": True,
                "reminder_email": True,
                "reminder_email_lead_hours": 24,
            }
        )
        self.event.partner_ids = [Command.link(self.minor.id)]
        self.run_cron_at(EVENT_START - timedelta(hours=20))
        self.assertIn("Ada Adult", self.mails().subject)
        self.adult.unlink()
        self.assertFalse(
            self.env["mail.message"].search(
                [("model", "=", "care.reminder"), ("body", "ilike", "Ada Adult")]
            )
        )
        self.run_cron_at(EVENT_START - timedelta(hours=19, minutes=45))
        self.assertEqual(self.reminders().client_ids, self.minor)
        self.assertIn("Mia Minor", self.mails().subject)
        self.assertNotIn("Ada Adult", self.mails().subject + self.mails().body_html)

    def test_another_companys_care_user_reads_no_reminder(self):
        """Neither a member's reminder nor the client's own (no relation)."""
        self.relation.company_id = self.env.company
        self.adult.write({"company_id": self.env.company.id, "email": "ada@x.com"})
        own = self.Reminder.create(
            {
                "event_id": self.event.id,
                "event_start": EVENT_START,
                "member_id": self.adult.id,
                "client_ids": [(6, 0, self.adult.ids)],
            }
        )
        self.run_cron_at(EVENT_START - timedelta(hours=20))
        mine = self.reminders() | own
        staff_b = company_b_care_user(self.env, "reminder_staff_b")
        Reminder = self.Reminder.with_user(staff_b)
        self.assertFalse(Reminder.search([]))
        self.assertFalse(Reminder.web_search_read([], {"event_time": {}})["records"])
        same_company = self.Reminder.with_user(self.care_user)
        self.assertEqual(same_company.search([]), mine)

    def test_another_companys_care_user_reads_the_names_of_its_reminders(self):
        """The member's login is looked up whatever the reader's company rules
        on users (the public user is the main company's)."""
        staff_b = company_b_care_user(self.env, "reminder_staff_b")
        client_b = self.Partner.create({"name": "Bo B-Client", "is_care_client": True})
        Event = self.env["calendar.event"].with_context(no_mail_to_attendees=True)
        events = Event.create(
            [
                {
                    "name": name,
                    "privacy": privacy,
                    "user_id": staff_b.id,
                    "start": EVENT_START,
                    "stop": EVENT_START + timedelta(hours=1),
                    "partner_ids": [(6, 0, client_b.ids)],
                }
                for name, privacy in (("Dentist", False), ("Zeta clinic", "private"))
            ]
        )
        reminders = self.Reminder.create(
            [
                {
                    "event_id": event.id,
                    "event_start": EVENT_START,
                    "member_id": self.guardian.id,
                    "client_ids": [(6, 0, client_b.ids)],
                }
                for event in events
            ]
        )
        self.env.invalidate_all()
        names = reminders.with_user(staff_b).read(["display_name"])
        self.assertIn("Dentist", names[0]["display_name"])
        self.assertIn("Private appointment", names[1]["display_name"], "to Gina")

    def test_an_organiser_without_settings_follows_the_default_user_template(self):
        """Calendar reads an organiser's default privacy from the default user
        template when they have no settings of their own: so does the addon."""
        Settings = self.env["res.users.settings"]
        template = self.env.ref("base.default_user")
        Settings._find_or_create_for_user(template).calendar_default_privacy = "private"
        organiser = self.care_manager
        organiser.res_users_settings_id.unlink()
        organiser.invalidate_recordset()
        self.assertEqual(organiser.calendar_default_privacy, "private")
        self.event.user_id = organiser
        self.run_cron_at(EVENT_START - timedelta(hours=20))
        self.assertNotIn("Physiotherapy", self.mails().subject)
        self.assertNotIn("12 Harbour", self.mails().body_html)

    def test_the_addons_privacy_search_agrees_with_calendars_own_check(self):
        """_care_details_hidden_from is calendar's _check_private_event_conditions
        as a search (reading the events would cache them): for staff, the two
        agree on every privacy, organiser default and reader."""
        Settings = self.env["res.users.settings"]
        attendee = self.care_user
        outsider = new_test_user(
            self.env, login="privacy_outsider", groups="care_network.group_care_user"
        )
        events = self.env["calendar.event"]
        for default in ("public", "private"):
            organiser = new_test_user(
                self.env,
                login=f"organiser_{default}",
                groups="care_network.group_care_user",
            )
            Settings._find_or_create_for_user(
                organiser
            ).calendar_default_privacy = default
            for privacy in (False, "public", "private", "confidential"):
                events |= self.new_event(
                    f"{privacy} of a {default} organiser",
                    EVENT_START,
                    self.adult,
                    attendee.partner_id,
                    privacy=privacy,
                    user_id=organiser.id,
                )
        self.env.invalidate_all()
        for reader in (attendee, outsider, *events.user_id):
            hidden = events._care_details_hidden_from(reader)
            for event in events:
                self.assertEqual(
                    event in hidden,
                    event.with_user(reader)._check_private_event_conditions(),
                    f"{event.name}, read by {reader.login}",
                )
        self.assertTrue(events._care_details_hidden_from(outsider), "some are hidden")

    def test_a_private_appointment_the_member_attends_is_reminded_in_full(self):
        self.event.write(
            {
                "privacy": "private",
                "user_id": self.care_user.id,
                "partner_ids": [(4, self.guardian.id)],
            }
        )
        self.run_cron_at(EVENT_START - timedelta(hours=20))
        self.assertIn("Physiotherapy", self.mails().subject)
        self.assertIn("12 Harbour Street", self.mails().body_html)

    def test_what_gets_nothing(self):
        archived = self.new_event("Archived", EVENT_START, self.adult)
        archived.active = False
        declined = self.new_event("Declined", EVENT_START, self.adult)
        declined.attendee_ids.filtered(
            lambda a: a.partner_id == self.adult
        ).state = "declined"
        self.event.active = False
        self.run_cron_at(EVENT_START - timedelta(hours=20))
        self.assertFalse(self.reminders())

    def test_an_archived_clients_circle_is_still_reminded(self):
        """An archived contact keeps its appointments and its circle's
        reminders, alone on the event or beside another client."""
        other = self.Partner.create({"name": "Other client", "is_care_client": True})
        sibling = self.Partner.create({"name": "Sibling", "email": "sib@example.com"})
        self.relate(
            other,
            sibling,
            self.type_sibling,
            date_start=EVENT_START.date() - timedelta(days=400),
            reminder_opt_in=True,
            reminder_email=True,
            reminder_email_lead_hours=24,
        )
        shared = self.new_event(
            "Group", EVENT_START + timedelta(hours=3), self.adult, other
        )
        self.adult.active = False
        self.run_cron_at(EVENT_START - timedelta(hours=20))
        self.assertEqual(self.reminders().event_id, self.event | shared)
        self.assertEqual(self.reminders(sibling).event_id, shared)

    def test_ended_relation_gets_nothing(self):
        self.relation.date_end = EVENT_START.date() - timedelta(days=3)
        self.run_cron_at(EVENT_START - timedelta(hours=20))
        self.assertFalse(self.reminders())

    def test_opted_out_member_gets_nothing(self):
        self.relation.reminder_opt_in = False
        self.run_cron_at(EVENT_START - timedelta(hours=20))
        self.assertFalse(self.reminders())

    def test_dont_reach_out_client(self):
        self.adult.care_contact_preference = "none"
        self.run_cron_at(EVENT_START - timedelta(hours=20))
        self.assertFalse(self.reminders())
        self.assertFalse(self.mails())

    def test_sms_through_the_sms_addon(self):
        self.assertTrue(self.relation.care_sms_available)
        self.relation.write({"reminder_email": False, "reminder_sms": True})
        self.run_cron_at(EVENT_START - timedelta(hours=20))
        sms = self.env["sms.sms"].search([("partner_id", "=", self.guardian.id)])
        self.assertEqual(len(sms), 1)
        self.assertIn("Physiotherapy", sms.body)
        self.assertIn("Ada Adult", sms.body)
        self.assertFalse(self.mails())
        self.assertTrue(self.reminders().sent_sms)

    def test_erasing_one_client_keeps_the_reminder_of_another(self):
        sibling = self.env["res.partner"].create(
            {"name": "Sid Sibling", "is_care_client": True}
        )
        self.relate(
            sibling,
            self.guardian,
            self.type_responsible,
            date_start=EVENT_START.date() - timedelta(days=400),
            reminder_opt_in=True,
            reminder_email=True,
            reminder_email_lead_hours=24,
        )
        self.event.partner_ids = [(4, sibling.id)]
        self.run_cron_at(EVENT_START - timedelta(hours=20))
        mail = self.mails()
        self.assertEqual(len(mail), 1, "one reminder for both clients")
        self.adult.with_user(self.care_manager).action_erase_care_data()
        self.assertEqual(mail.state, "outgoing", "Sid's guardian is still reminded")
        self.assertEqual(self.reminders().client_ids, sibling)

    def test_erasing_the_client_erases_the_reminders_sms(self):
        """Odoo keeps an SMS that failed (its queue runs with unlink_failed
        off): erasing blanks it, and cancels one not sent yet rather than send
        it blank."""
        self.relation.write({"reminder_email": False, "reminder_sms": True})
        self.run_cron_at(EVENT_START - timedelta(hours=20))
        self.new_event("Dentist", EVENT_START + timedelta(hours=2), self.adult)
        self.run_cron_at(EVENT_START - timedelta(hours=19))
        SMS = self.env["sms.sms"]
        failed, queued = SMS.search([("partner_id", "=", self.guardian.id)], order="id")
        self.assertIn("12 Harbour Street", failed.body)
        failed.write({"state": "error", "failure_type": "sms_server"})
        self.adult.with_user(self.care_manager).action_erase_care_data()
        for sms in failed | queued:
            for private in ("12 Harbour Street", "Physiotherapy", "Dentist", "Ada"):
                self.assertNotIn(private, sms.body)
        self.assertEqual((failed | queued).mapped("state"), ["canceled", "canceled"])

    def test_without_the_sms_addon_sms_is_hidden_and_not_sent(self):
        Reminder = type(self.env["care.reminder"])
        with patch.object(Reminder, "_sms_available", return_value=False):
            self.relation.invalidate_recordset(["care_sms_available"])
            self.assertFalse(self.relation.care_sms_available)
            with self.assertRaisesRegex(ValidationError, "Choose e-mail or SMS"):
                self.relation.write({"reminder_email": False, "reminder_sms": True})
            self.relation.write({"reminder_sms": True})
            self.run_cron_at(EVENT_START - timedelta(hours=20))
        self.assertFalse(
            self.env["sms.sms"].search([("partner_id", "=", self.guardian.id)])
        )
        self.assertEqual(len(self.mails()), 1)
        self.assertFalse(self.reminders().sent_sms)

    def test_settings_are_validated(self):
        for hours in (1, 73, -5):
            with (
                self.subTest(hours=hours),
                self.assertRaisesRegex(ValidationError, "between 2 and 72 hours"),
            ):
                self.relation.reminder_email_lead_hours = hours
        with self.assertRaisesRegex(ValidationError, "Choose e-mail or SMS"):
            self.relation.write({"reminder_email": False, "reminder_sms": False})

    def test_form_sentence(self):
        self.assertEqual(
            self.relation.reminder_summary,
            "Gina Guardian will receive an e-mail 24 hours before each appointment "
            "Ada Adult attends, even the ones they do not share.",
        )
        self.relation.reminder_opt_in = False
        self.assertEqual(
            self.relation.reminder_summary,
            "Gina Guardian receives no appointment reminder.",
        )

    def test_cron_is_installed_every_fifteen_minutes(self):
        cron = self.env.ref("care_network.ir_cron_circle_reminders")
        self.assertTrue(cron.active)
        self.assertEqual((cron.interval_number, cron.interval_type), (15, "minutes"))


@tagged("post_install", "-at_install")
class TestRemindersPerChannel(ReminderCase):
    """E-mail and SMS each have their own lead time; the SMS goes to the number
    chosen on the relation."""

    def sms(self):
        return self.env["sms.sms"].search([("partner_id", "=", self.guardian.id)])

    def test_each_channel_at_its_own_time(self):
        self.guardian.phone = "+1 555 0100"
        self.relation.write(
            {
                "reminder_sms": True,
                "reminder_email_lead_hours": 24,
                "reminder_sms_lead_hours": 2,
            }
        )
        self.run_cron_at(EVENT_START - timedelta(hours=20))
        self.assertEqual(len(self.mails()), 1)
        self.assertFalse(self.sms(), "the SMS is not due yet")
        self.assertEqual(
            (self.reminders().sent_email, self.reminders().sent_sms), (True, False)
        )
        self.run_cron_at(EVENT_START - timedelta(minutes=90))
        self.assertEqual(len(self.sms()), 1)
        self.assertEqual(len(self.mails()), 1, "the e-mail is not sent again")
        self.assertEqual(len(self.reminders()), 1, "one row per event time")
        self.assertTrue(self.reminders().sent_sms)
        mobile = self.guardian.mobile
        self.assertEqual(
            self.sms().number, self.guardian._phone_format(number=mobile) or mobile
        )
        self.run_cron_at(EVENT_START - timedelta(minutes=30))
        self.assertEqual((len(self.sms()), len(self.mails())), (1, 1))

    def test_sms_to_the_phone_when_chosen(self):
        work = self.env["care.partner.phone"].create(
            {
                "partner_id": self.guardian.id,
                "kind": "work",
                "number": "+32 2 123 45 67",
            }
        )
        self.relation.write(
            {
                "reminder_email": False,
                "reminder_sms": True,
                "reminder_sms_phone_id": work.id,
            }
        )
        self.run_cron_at(EVENT_START - timedelta(hours=20))
        self.assertEqual(
            self.sms().number,
            self.guardian._phone_format(number="+3221234567") or "+3221234567",
        )

    def test_no_number_no_sms(self):
        self.relation.write({"reminder_email": False, "reminder_sms": True})
        self.guardian.mobile = False
        self.assertFalse(self.guardian.care_phone_ids)
        self.run_cron_at(EVENT_START - timedelta(hours=20))
        self.assertFalse(self.sms())
        self.assertFalse(self.reminders())

    def test_each_lead_time_is_validated(self):
        for field in ("reminder_email_lead_hours", "reminder_sms_lead_hours"):
            with (
                self.subTest(field=field),
                self.assertRaisesRegex(ValidationError, "between 2 and 72 hours"),
            ):
                self.relation[field] = 73

    def test_sentence_names_both_channels(self):
        self.relation.write({"reminder_sms": True, "reminder_sms_lead_hours": 2})
        self.assertEqual(
            self.relation.reminder_summary,
            "Gina Guardian will receive an e-mail 24 hours and an SMS to their mobile "
            "+1 555 0199 2 hours before each appointment Ada Adult attends, even the "
            "ones they do not share.",
        )

    def test_reminders_are_off_by_default(self):
        relation = self.relate(self.adult, self.other_parent, self.type_emergency)
        self.assertFalse(relation.reminder_opt_in)
        self.assertEqual(
            (
                relation.reminder_email_lead_hours,
                relation.reminder_sms_lead_hours,
                relation.reminder_sms_phone_id,
            ),
            (24, 24, self.env["care.partner.phone"]),
        )
        self.run_cron_at(EVENT_START - timedelta(hours=20))
        self.assertFalse(self.reminders(self.other_parent))
