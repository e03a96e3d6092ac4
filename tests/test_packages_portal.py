from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import new_appointment
from .test_packages import PackageCase


@tagged("post_install", "-at_install")
class TestPackagesOnThePortal(HttpCase, PackageCase):
    """A participant, the guardian of a participant, a member left out and a
    stranger, each on /my/packages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        portal = "base.group_portal"
        cls.adult_user = new_test_user(
            cls.env,
            login="ada_portal",
            name="Ada Adult",
            groups=portal,
            partner_id=cls.adult.id,
        )
        cls.guardian_user = new_test_user(
            cls.env,
            login="gina_portal",
            name="Gina Guardian",
            groups=portal,
            partner_id=cls.guardian.id,
        )
        cls.stranger_user = new_test_user(cls.env, login="stan_portal", groups=portal)
        cls.left_out = cls.Partner.create(
            {"name": "Lena Leftout", "is_care_client": True}
        )
        cls.relate(cls.left_out, cls.family, cls.type_member)
        cls.left_out_user = new_test_user(
            cls.env,
            login="lena_portal",
            name="Lena Leftout",
            groups=portal,
            partner_id=cls.left_out.id,
        )
        cls.package = cls.make_package(
            session_count=4,
            participant_ids=[Command.set((cls.adult | cls.minor).ids)],
        ).sudo()
        cls.package.action_activate()
        start = fields.Datetime.now() + timedelta(days=2)
        Event = cls.env["calendar.event"].with_context(no_mail_to_attendees=True)
        cls.coaching_session = Event.create(
            {
                "name": "Coaching with Mia and Ada",
                "care_package_id": cls.package.id,
                "start": start,
                "stop": start + timedelta(hours=1),
                "partner_ids": [Command.set((cls.adult | cls.minor).ids)],
            }
        )
        cls.package.message_post(
            body="Bring the reading plan",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        cls.package.message_post(
            body="Staff only remark",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        other_family = cls.Partner.create(
            {"name": "Other Family", "is_company": True, "care_group_kind": "family"}
        )
        cls.relate(cls.left_out, other_family, cls.type_member)
        cls.other_package = cls.env["care.package"].create(
            {"name": "Other coaching", "holder_id": other_family.id}
        )

    def get(self, url, login=None):
        self.authenticate(login, login)
        return self.url_open(url, allow_redirects=False)

    def adas_private_session(self, **values):
        """A private session of the package that only Ada attends."""
        return new_appointment(
            self.env,
            "Ada's custody hearing prep",
            self.adult,
            location="Room of the hearing",
            privacy="private",
            care_package_id=self.package.id,
            **values,
        )

    def test_participant_and_guardian_see_the_package_sessions_and_shared_note(self):
        for login in ("ada_portal", "gina_portal"):
            listing = self.get("/my/packages", login)
            self.assertIn("Family coaching", listing.text, login)
            self.assertNotIn("Other coaching", listing.text, login)
            page = self.get(f"/my/packages/{self.package.id}", login)
            self.assertEqual(page.status_code, 200, login)
            self.assertIn("Coaching with Mia and Ada", page.text, login)
            self.assertIn("Bring the reading plan", page.text, login)
            self.assertNotIn("Staff only remark", page.text, login)

    def test_a_message_staff_mark_internal_later_leaves_the_page(self):
        message = self.package.message_ids.filtered(
            lambda m: "Bring the reading plan" in (m.body or "")
        )
        message.with_user(self.care_user).write({"is_internal": True})
        for login in ("ada_portal", "gina_portal"):
            page = self.get(f"/my/packages/{self.package.id}", login)
            self.assertEqual(page.status_code, 200, login)
            self.assertNotIn("Bring the reading plan", page.text, login)
        self.authenticate(None, None)
        page = self.url_open(self.package.get_portal_url())
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("Bring the reading plan", page.text, "the token link")

    def test_a_private_session_shows_its_details_only_to_who_attends_it(self):
        self.adas_private_session()
        url = f"/my/packages/{self.package.id}"
        attendee_page = self.get(url, "ada_portal").text
        self.assertIn("Ada&#39;s custody hearing prep", attendee_page)
        self.assertIn("Room of the hearing", attendee_page)
        for login, page_url in (
            ("gina_portal", url),
            (None, self.package.get_portal_url()),
        ):
            page = self.get(page_url, login)
            self.assertEqual(page.status_code, 200, login)
            self.assertIn("Private session", page.text, login)
            self.assertIn("Coaching with Mia and Ada", page.text, login)
            self.assertNotIn("custody hearing", page.text, login)
            self.assertNotIn("Room of the hearing", page.text, login)

    def test_a_session_for_internal_users_only_shows_no_details_outside(self):
        new_appointment(
            self.env,
            "Team case review of Mia",
            self.minor,
            privacy="confidential",
            care_package_id=self.package.id,
        )
        url = f"/my/packages/{self.package.id}"
        for login, page_url in (
            ("ada_portal", url),
            ("gina_portal", url),
            (None, self.package.get_portal_url()),
        ):
            page = self.get(page_url, login)
            self.assertEqual(page.status_code, 200, login)
            self.assertIn("Private session", page.text, login)
            self.assertNotIn("Team case review", page.text, login)
        staff = self.get(f"/care/preview/{self.adult.id}{url}", "care_user")
        self.assertIn("Private session", staff.text, "as Ada sees it")
        self.assertNotIn("Team case review", staff.text)

    def test_staff_previewing_a_private_session_they_are_not_in_see_no_details(self):
        """Ada attends a private session organised by the care manager: the care
        user previewing Ada's page is in neither, so Odoo's calendar hides its
        details from them (the page's sessions read as superuser must not
        carry its title into the preview)."""
        self.adas_private_session(user_id=self.care_manager.id)
        page_url = f"/care/preview/{self.adult.id}/my/packages/{self.package.id}"
        outsider = self.get(page_url, "care_user")
        self.assertEqual(outsider.status_code, 200)
        self.assertIn("Coaching with Mia and Ada", outsider.text)
        self.assertIn("Private session", outsider.text)
        self.assertNotIn("custody hearing", outsider.text)
        self.assertNotIn("Room of the hearing", outsider.text)
        organiser = self.get(page_url, "care_manager")
        self.assertIn("Ada&#39;s custody hearing prep", organiser.text)
        self.assertIn("Room of the hearing", organiser.text)

    def test_others_see_nothing_of_it(self):
        url = f"/my/packages/{self.package.id}"
        for login in ("lena_portal", "stan_portal"):
            self.assertEqual(self.get(url, login).status_code, 403, login)
            self.assertNotIn("Family coaching", self.get("/my/packages", login).text)
        self.assertEqual(self.get(url).status_code, 403, "public without token")
        self.assertEqual(
            self.get("/my/packages/987654321", "ada_portal").status_code, 404
        )

    def test_the_guardian_loses_it_with_the_grant(self):
        relation = self.minor.care_relation_ids.filtered(
            lambda r: r.related_partner_id == self.guardian
        )
        relation.can_view_profile = False
        response = self.get(f"/my/packages/{self.package.id}", "gina_portal")
        self.assertEqual(response.status_code, 403)

    def test_the_package_link_with_its_token_opens_it(self):
        url = self.package.get_portal_url()
        self.assertEqual(self.get(url).status_code, 200)

    def test_shared_forms_under_the_package_reach_its_participants(self):
        survey = self.env["survey.survey"].create(
            {
                "title": "Family check-in",
                "care_form_kind": "client",
                "access_mode": "token",
            }
        )
        answer = self.env["survey.user_input"].create(
            {
                "survey_id": survey.id,
                "partner_id": self.guardian.id,
                "care_client_id": self.minor.id,
                "care_package_id": self.package.id,
                "care_shared": True,
                "state": "done",
            }
        )
        page = self.get(f"/my/packages/{self.package.id}", "ada_portal")
        self.assertIn("Family check-in", page.text)
        self.assertEqual(
            self.get(f"/my/forms/{answer.id}", "ada_portal").status_code, 200
        )
        self.assertEqual(
            self.get(f"/my/forms/{answer.id}", "lena_portal").status_code, 403
        )
