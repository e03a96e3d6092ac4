import re
from types import SimpleNamespace
from unittest.mock import patch

from odoo.tests import new_test_user, tagged

from ..controllers.portal_preview import CarePortalPreview
from .common import company_b_care_user, new_appointment
from .test_portal import PortalCase

HIDDEN = re.compile(r'class="[^"]*o_care_preview_hidden[^"]*"[^>]*>\s*(\d+) record')


def hidden_count(body):
    """The number of records the preview says it left out (0: no notice)."""
    match = HIDDEN.search(body)
    return int(match.group(1)) if match else 0


@tagged("post_install", "-at_install")
class TestTrustPreview(PortalCase):
    """The preview shows what the person sees AND the staff user may read."""

    readonly_enabled = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.relation = cls.guardian_relation(cls)

    def preview(self, person, page, login):
        return self.get(f"/care/preview/{person.id}/{page}", login)

    # (a) a care user outside the referral's helper, team and program
    def test_a_care_user_does_not_read_foreign_referrals_through_the_preview(self):
        outsider = self.other_user
        self.assertFalse(self.referral.with_user(outsider).has_access("read"))
        name = self.referral.name
        for page in ("my/referrals", f"my/care/{self.seeker.id}"):
            response = self.preview(self.guardian_partner, page, "other_user")
            self.assertEqual(response.status_code, 200, page)
            self.assertNotIn(name, response.text, page)
            self.assertEqual(hidden_count(response.text), 1, page)
            self.assertIn("you may not read", response.text, page)
        detail = self.preview(
            self.guardian_partner, f"my/referrals/{self.referral.id}", "other_user"
        )
        self.assertEqual(detail.status_code, 403)
        self.assertNotIn(name, detail.text)
        # The referral's helper still sees it all, and nothing is said hidden.
        response = self.preview(self.guardian_partner, "my/referrals", "helper")
        self.assertIn(name, response.text)
        self.assertEqual(hidden_count(response.text), 0)
        self.assertNotIn("o_care_preview_hidden", response.text)

    def test_a_list_under_any_name_is_narrowed(self):
        """A record list a page's values hold under a name no code lists (one
        added to a page later) is narrowed like the others."""
        for staff, hidden in ((self.other_user, 1), (self.helper, 0)):
            values = {"added_later": self.referral.sudo(), "title": "Referrals"}
            staff_request = SimpleNamespace(env=self.env(user=staff))
            with patch(f"{CarePortalPreview.__module__}.request", staff_request):
                count = CarePortalPreview._care_preview_intersect(values)
            self.assertEqual(count, hidden, staff.login)
            self.assertEqual(len(values["added_later"]), 1 - hidden, staff.login)
            self.assertEqual(values["title"], "Referrals")

    def test_a_private_appointment_stays_masked_for_staff_who_are_not_in_it(self):
        """Calendar masks a private appointment's details for whoever is not in it:
        the preview reads the person's appointments as the staff user."""
        new_appointment(
            self.env,
            "Private Psychiatry Zeta",
            self.seeker | self.guardian_partner,
            privacy="private",
            user_id=self.helper.id,
        )
        page = f"my/care/{self.seeker.id}"
        own = self.get(f"/{page}", "guardian_portal")
        self.assertIn("Private Psychiatry Zeta", own.text, "she is in it")
        outsider = self.preview(self.guardian_partner, page, "care_user")
        self.assertEqual(outsider.status_code, 200)
        self.assertNotIn("Private Psychiatry Zeta", outsider.text)
        organiser = self.preview(self.guardian_partner, page, "helper")
        self.assertIn("Private Psychiatry Zeta", organiser.text)

    def test_an_appointment_the_guardian_is_not_in_shows_only_its_time(self):
        """A private appointment of the ward, and one for internal users only,
        show to the guardian (and in the preview of her page) as private."""
        for name, privacy in (
            ("Zeta therapy", "private"),
            ("Zeta review", "confidential"),
        ):
            new_appointment(
                self.env,
                name,
                self.seeker,
                location="Zeta clinic",
                privacy=privacy,
                user_id=self.helper.id,
            )
        # No privacy of its own: the organiser's default decides, as in calendar.
        self.helper.with_user(self.helper).calendar_default_privacy = "private"
        new_appointment(
            self.env, "Zeta by default", self.seeker, user_id=self.helper.id
        )
        page = f"my/care/{self.seeker.id}"
        for response in (
            self.get(f"/{page}", "guardian_portal"),
            self.preview(self.guardian_partner, page, "helper"),
        ):
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.text.count("Private appointment"), 3)
            self.assertNotIn("Zeta", response.text)

    # (b) a care user of another company, previewing a contact shared by both
    def test_another_companys_care_user_does_not_read_the_ward(self):
        company_b_care_user(self.env, "staff_b", "Agency B", name="Bea B-Staff")
        self.guardian_partner.company_id = False  # shared by both companies
        self.seeker.company_id = self.env.company  # the ward is company A's
        self.assertEqual(self.relation.company_id, self.env.company)
        ward = self.seeker.name
        listing = self.preview(self.guardian_partner, "my/care", "staff_b")
        self.assertEqual(listing.status_code, 200)
        self.assertNotIn(ward, listing.text)
        self.assertNotIn(f"/my/care/{self.seeker.id}", listing.text)
        self.assertEqual(hidden_count(listing.text), 1)
        referrals = self.preview(self.guardian_partner, "my/referrals", "staff_b")
        self.assertNotIn(self.referral.name, referrals.text)
        for page in (
            f"my/care/{self.seeker.id}",
            f"my/care/{self.seeker.id}/consents",
            f"my/referrals/{self.referral.id}",
        ):
            response = self.preview(self.guardian_partner, page, "staff_b")
            self.assertEqual(response.status_code, 403, page)
            self.assertNotIn(ward, response.text, page)
            self.assertNotIn("Dentist for Sam", response.text, page)
        # Company A's staff still see the ward through the same preview.
        listing = self.preview(self.guardian_partner, "my/care", "helper")
        self.assertIn(ward, listing.text)
        self.assertEqual(hidden_count(listing.text), 0)

    # (c) the access log is for care managers only
    def test_only_care_managers_read_the_access_log_in_the_preview(self):
        mia_relation = self.minor.care_relation_ids.filtered(
            lambda r: r.related_partner_id == self.dora
        )
        viewer = new_test_user(
            self.env,
            login="vera_viewer",
            name="Vera Viewer-Marker",
            groups="care_network.group_care_user",
        )
        self.env["care.access.log"].with_user(viewer)._log_read(
            self.minor, "profile", self.minor, mia_relation
        )
        page = f"my/care/{self.minor.id}/viewers"
        own = self.get(f"/{page}", "two_wards")
        self.assertIn("Vera Viewer-Marker", own.text, "the guardian's own page")
        row = 'class="o_care_portal_viewer"'
        self.assertIn(row, own.text)
        for login in ("care_user", "helper"):
            response = self.preview(self.dora, page, login)
            self.assertEqual(response.status_code, 403, login)
            self.assertNotIn("Vera Viewer-Marker", response.text, login)
            self.assertNotIn(row, response.text, login)
        response = self.preview(self.dora, page, "care_manager")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Vera Viewer-Marker", response.text)
        self.assertIn(row, response.text)
        self.assertEqual(hidden_count(response.text), 0)

    def test_the_preview_is_still_logged_once_as_a_preview(self):
        self.preview(self.guardian_partner, f"my/care/{self.seeker.id}", "other_user")
        Log = self.env["care.access.log"]
        self.assertEqual(
            Log.search([("what", "=", "preview")]).user_id, self.other_user
        )
        self.assertFalse(Log.search([("user_id", "=", self.guardian_user.id)]))
