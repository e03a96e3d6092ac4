"""Joint sessions: two or more clients linked in each other's circle."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user, tagged

from .test_reminder_format import EVENT_START, LONG_AGO, ReminderFormatCase


@tagged("post_install", "-at_install")
class TestJointSessions(ReminderFormatCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner_client = cls.Partner.create(
            {"name": "Ben Partner", "email": "ben@example.com", "is_care_client": True}
        )
        cls.link = cls.relate(
            cls.adult, cls.partner_client, cls.type_sibling, date_start=LONG_AGO
        )
        cls.joint = cls.new_event(
            "Couple therapy",
            cls.adult,
            cls.partner_client,
            start=EVENT_START + timedelta(hours=2),
            user_id=cls.staff.id,
        )
        cls.stranger = cls.Partner.create(
            {"name": "Zoe Stranger", "is_care_client": True}
        )

    def test_linked_clients_make_a_joint_session(self):
        self.assertTrue(self.joint.care_joint_session)
        self.assertEqual(self.joint.care_client_ids, self.adult | self.partner_client)
        Event = self.env["calendar.event"]
        self.assertEqual(Event.search([("care_joint_session", "=", True)]), self.joint)
        self.assertIn(self.event, Event.search([("care_joint_session", "=", False)]))

    def test_unlinked_clients_or_one_client_are_not(self):
        unlinked = self.new_event("Group", self.adult, self.stranger)
        self.assertFalse(unlinked.care_joint_session)
        self.assertFalse(unlinked.care_client_ids)
        self.assertFalse(self.event.care_joint_session, "one client")
        with_guardian = self.new_event("With mum", self.adult, self.guardian)
        self.assertFalse(with_guardian.care_joint_session, "a member is no client")

    def test_an_ended_link_or_a_declined_client_is_not_joint(self):
        self.link.write(
            {
                "date_start": self.today - relativedelta(years=2),
                "date_end": self.today - relativedelta(days=1),
            }
        )
        self.joint.invalidate_recordset()
        self.assertFalse(self.joint.care_joint_session)
        self.link.date_end = False
        self.joint.attendee_ids.filtered(
            lambda a: a.partner_id == self.partner_client
        ).do_decline()
        self.assertFalse(self.joint.care_joint_session)

    def test_on_each_client_file(self):
        for client in (self.adult, self.partner_client):
            self.assertEqual(client.care_joint_session_count, 1)
            action = client.action_view_care_joint_sessions()
            self.assertEqual(
                self.env["calendar.event"].search(action["domain"]), self.joint
            )
        self.assertEqual(self.stranger.care_joint_session_count, 0)

    def test_a_shared_guardian_is_reminded_once(self):
        """The guardian is in both clients' circles; each circle is reminded."""
        self.relate(
            self.partner_client,
            self.guardian,
            self.type_responsible,
            date_start=LONG_AGO,
            reminder_opt_in=True,
            reminder_email=True,
            reminder_email_lead_hours=24,
        )
        self.relate(
            self.partner_client,
            self.other_parent,
            self.type_emergency,
            date_start=LONG_AGO,
            reminder_opt_in=True,
            reminder_email=True,
            reminder_email_lead_hours=24,
        )
        for _run in range(2):
            with freeze_time(EVENT_START - timedelta(hours=20)):
                self.env["care.reminder"]._cron_send_due_reminders()
        Reminder = self.env["care.reminder"]
        shared = Reminder.search(
            [("event_id", "=", self.joint.id), ("member_id", "=", self.guardian.id)]
        )
        self.assertEqual(len(shared), 1)
        self.assertEqual(shared.client_ids, self.adult | self.partner_client)
        mails = self.env["mail.mail"].search(
            [("model", "=", "care.reminder"), ("res_id", "=", shared.id)]
        )
        self.assertEqual(len(mails), 1)
        self.assertIn("Ada Adult, Ben Partner", mails.subject)
        other = Reminder.search(
            [("event_id", "=", self.joint.id), ("member_id", "=", self.other_parent.id)]
        )
        self.assertEqual(other.client_ids, self.partner_client)
        body = (
            self.env["mail.mail"]
            .search([("model", "=", "care.reminder"), ("res_id", "=", other.id)])
            .body_html
        )
        # Ben's contact is told Ben is with Ada: they are linked in Ben's circle.
        self.assertIn("With: Nadia Navigator, Ada Adult", body)

    def test_attendance_per_client_set_by_staff(self):
        as_staff = self.joint.with_user(self.staff)
        attendees = as_staff.attendee_ids
        came = attendees.filtered(lambda a: a.partner_id == self.adult)
        as_staff.write(
            {"attendee_ids": [Command.update(came.id, {"care_attended": True})]}
        )
        self.assertEqual(
            {a.partner_id: a.care_attended for a in self.joint.attendee_ids},
            {self.adult: True, self.partner_client: False},
        )

    def test_a_client_the_user_may_not_read_is_not_shown(self):
        other_company = self.env["res.company"].create({"name": "Other agency"})
        self.partner_client.company_id = other_company
        outsider = new_test_user(
            self.env,
            login="staff_here",
            groups="care_network.group_care_user",
            company_id=self.env.company.id,
            company_ids=[Command.set(self.env.company.ids)],
        )
        event = self.joint.with_user(outsider)
        self.assertTrue(event.care_joint_session)
        self.assertEqual(event.care_client_ids, self.adult)
        values = event.read(["care_client_ids", "care_joint_session"])[0]
        self.assertEqual(values["care_client_ids"], self.adult.ids)

    def test_a_private_joint_session_names_nobody_to_staff_outside_it(self):
        """Calendar masks a private session's attendees for staff outside it:
        the joint-session fields and the client's count do not undo that, nor
        leave them in the cache for calendar's own fields."""
        self.joint.privacy = "private"
        outsider = new_test_user(
            self.env, login="outside_staff", groups="care_network.group_care_user"
        )
        self.env.invalidate_all()
        values = self.joint.with_user(outsider).read(["care_client_ids", "name"])[0]
        self.assertEqual((values["care_client_ids"], values["name"]), ([], "Busy"))
        self.env.invalidate_all()
        attendees = {"partner_id": {"fields": {"display_name": {}}}}
        spec = {
            "care_joint_session_count": {},
            "meeting_ids": {
                "fields": {"name": {}, "attendee_ids": {"fields": attendees}}
            },
        }
        file = self.adult.with_user(outsider).web_read(spec)[0]
        self.assertEqual(file["care_joint_session_count"], 1)
        meeting = next(m for m in file["meeting_ids"] if m["id"] == self.joint.id)
        self.assertEqual((meeting["name"], meeting["attendee_ids"]), ("Busy", []))

    def test_a_private_sessions_name_is_its_readers_not_the_last_ones(self):
        """Links are named as superuser for each reader in turn (the preview,
        a cron): the organiser's name for it is not the next reader's."""
        organiser = new_test_user(
            self.env, login="organiser_staff", groups="care_network.group_care_user"
        )
        outsider = new_test_user(
            self.env, login="outside_staff_3", groups="care_network.group_care_user"
        )
        self.joint.write({"privacy": "private", "user_id": organiser.id})
        self.env.invalidate_all()
        self.assertEqual(
            self.joint.with_user(organiser).sudo().display_name, self.joint.name
        )
        self.assertEqual(self.joint.with_user(outsider).sudo().display_name, "Busy")

    def test_a_private_sessions_name_read_as_a_link_caches_nothing_of_it(self):
        """Odoo names a many2one as superuser; calendar's own naming then read
        every column of the event into the cache the reader reads next."""
        self.joint.write({"privacy": "private", "location": "Room Zeta"})
        outsider = new_test_user(
            self.env, login="outside_staff_2", groups="base.group_user"
        )
        self.env.invalidate_all()
        attendee = self.joint.attendee_ids[:1].with_user(outsider)
        meetings = {"fields": {"name": {}, "location": {}}}
        spec = {
            "event_id": {"fields": {"display_name": {}}},
            "partner_id": {"fields": {"meeting_ids": meetings}},
        }
        row = attendee.web_read(spec)[0]
        self.assertEqual(row["event_id"]["display_name"], "Busy")
        meeting = next(
            m for m in row["partner_id"]["meeting_ids"] if m["id"] == self.joint.id
        )
        self.assertEqual((meeting["name"], meeting["location"]), ("Busy", False))
        package = self.env["care.package"].create(
            {"name": "Zeta couple work", "holder_id": self.adult.id}
        )
        self.joint.care_package_id = package
        self.env.invalidate_all()
        event = self.joint.with_user(outsider).read(["care_package_id"])[0]
        self.assertFalse(event["care_package_id"], "calendar masks it")
        self.assertEqual(package.sessions_booked, 1, "still counted")
