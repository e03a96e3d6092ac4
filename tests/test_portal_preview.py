from lxml import html as lxml_html

from odoo.tests import tagged

from .test_portal import PortalCase


def main_text(body):
    """The text of a page's main content, without forms, buttons and the
    preview banner: what the two renderings must share."""
    document = lxml_html.document_fromstring(body)
    for element in document.xpath(
        "//form | //button | //*[contains(@class, 'o_care_preview_banner')]"
    ):
        element.drop_tree()
    return " ".join(document.xpath("//main")[0].text_content().split())


@tagged("post_install", "-at_install")
class TestPortalPreview(PortalCase):
    """Staff preview what a member sees, page for page, without their session."""

    # The preview's access log row is written after a read-only request's
    # transaction (tested in test_access_log); here, on the request's cursor.
    readonly_enabled = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.relation = cls.guardian_relation(cls)
        cls.package = cls.env["care.package"].create(
            {"name": "Sam's coaching", "holder_id": cls.seeker.id}
        )

    def pages(self):
        return [
            "my/care",
            f"my/care/{self.seeker.id}",
            "my/referrals",
            f"my/referrals/{self.referral.id}",
            "my/forms",
            "my/packages",
            f"my/packages/{self.package.id}",
        ]

    def preview_url(self, page, person=None, relation=None):
        person = person or self.guardian_partner
        relation = self.relation if relation is None else relation
        query = f"?relation_id={relation.id}" if relation else ""
        return f"/care/preview/{person.id}/{page}{query}"

    def assert_same_as_member(self, login, pages, **preview):
        for page in pages:
            own = self.get(f"/{page}", login)
            shown = self.get(self.preview_url(page, **preview), "helper")
            self.assertEqual(shown.status_code, own.status_code, page)
            if own.status_code == 200:
                self.assertEqual(main_text(shown.text), main_text(own.text), page)
                self.assertIn("o_care_preview_banner", shown.text, page)

    def test_the_preview_is_the_members_own_pages(self):
        self.assert_same_as_member("guardian_portal", self.pages())

    def test_each_grant_on_and_off(self):
        client_page = [f"my/care/{self.seeker.id}", "my/referrals", "my/packages"]
        for grant in (
            "can_view_profile",
            "can_view_appointments",
            "can_view_referrals",
        ):
            self.relation[grant] = False
            self.assert_same_as_member("guardian_portal", client_page)
            self.relation[grant] = True
            self.assert_same_as_member("guardian_portal", client_page)

    def test_an_ended_relation(self):
        self.relation.write({"date_start": "2020-01-01", "date_end": "2021-01-01"})
        self.assert_same_as_member("guardian_portal", self.pages())
        response = self.get(self.preview_url(f"my/care/{self.seeker.id}"), "helper")
        self.assertEqual(response.status_code, 403)

    def test_a_revoked_grant(self):
        self.relation.write(
            {
                "can_view_profile": False,
                "can_view_appointments": False,
                "can_view_referrals": False,
                "can_update_referrals": False,
            }
        )
        self.assert_same_as_member("guardian_portal", self.pages())

    def test_the_lists_pages_stay_in_the_preview(self):
        for page in ("my/care/page/1", "my/referrals/page/1"):
            own = self.get(f"/{page}", "guardian_portal")
            shown = self.get(self.preview_url(page), "helper")
            self.assertEqual(shown.status_code, 200, page)
            self.assertEqual(main_text(shown.text), main_text(own.text), page)
        for login in ("guardian_portal", "plain_internal"):
            response = self.get(self.preview_url("my/referrals/page/1"), login)
            self.assertEqual(response.status_code, 403, login)

    def test_nothing_in_the_preview_acts(self):
        body = self.get(self.preview_url(f"my/referrals/{self.referral.id}"), "helper")
        self.assertEqual(body.status_code, 200)
        document = lxml_html.document_fromstring(body.text)
        self.assertFalse(document.xpath("//form | //button"))
        hrefs = [a.get("href") for a in document.xpath("//a[@href]")]
        self.assertTrue(hrefs)
        for href in hrefs:
            self.assertTrue(href.startswith(("#", "/care/preview/")), href)

    def test_the_staff_session_is_untouched_and_the_preview_logged(self):
        self.get(self.preview_url(f"my/care/{self.seeker.id}"), "helper")
        info = self.url_open(
            "/web/session/get_session_info",
            data="{}",
            headers={"Content-Type": "application/json"},
        ).json()["result"]
        self.assertEqual(info["uid"], self.helper.id)
        log = self.env["care.access.log"].search([("what", "=", "preview")])
        self.assertEqual(log.user_id, self.helper)
        self.assertEqual(log.client_id, self.seeker)
        self.assertEqual(log.relation_id, self.relation)
        self.assertFalse(
            self.env["care.access.log"].search(
                [("user_id", "=", self.guardian_user.id)]
            ),
            "the preview is not a read by the guardian",
        )

    def test_only_care_staff_preview(self):
        url = self.preview_url(f"my/care/{self.seeker.id}")
        for login in ("guardian_portal", "plain_internal"):
            self.assertEqual(self.get(url, login).status_code, 403, login)
        self.assertEqual(self.get(url).status_code, 303, "public: to the login")
        self.assertEqual(
            self.get(self.preview_url("my/account"), "helper").status_code, 404
        )
        nobody = self.Partner.create({"name": "No Login"})
        response = self.get(
            self.preview_url("my/care", person=nobody, relation=False), "helper"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("has no portal login", response.text)

    def test_the_action_opens_the_preview(self):
        action = self.relation.with_user(self.helper).action_preview_portal()
        self.assertEqual(
            action["url"],
            f"/care/preview/{self.guardian_partner.id}/my/care/{self.seeker.id}"
            f"?relation_id={self.relation.id}",
        )
        action = self.seeker.with_user(self.helper).action_preview_portal()
        self.assertEqual(
            action["url"], f"/care/preview/{self.seeker.id}/my/care/{self.seeker.id}"
        )


@tagged("post_install", "-at_install")
class TestClientsOwnPortal(PortalCase):
    """A client with a login sees their own record under My care."""

    readonly_enabled = False  # so that a wrongly logged read would show

    def test_the_client_reads_their_own_record(self):
        response = self.get(f"/my/care/{self.seeker.id}", "seeker")
        self.assertEqual(response.status_code, 200)
        for section in ("care_profile", "care_appointments", "care_referrals"):
            self.assertIn(f'id="{section}"', response.text)
        self.assertIn("Dentist for Sam", response.text)
        self.assertIn(self.referral.name, response.text)
        self.assertIn("your own record", response.text)
        listing = self.get("/my/care", "seeker")
        self.assertIn(f"/my/care/{self.seeker.id}", listing.text)

    def test_not_someone_elses_record(self):
        self.assertEqual(
            self.get(f"/my/care/{self.adult.id}", "seeker").status_code, 403
        )

    def test_a_portal_user_who_is_not_a_client_has_no_own_record(self):
        guardian = self.guardian_partner
        self.assertEqual(
            self.get(f"/my/care/{guardian.id}", "guardian_portal").status_code, 403
        )

    def test_the_client_preview_matches_the_clients_own_page(self):
        page = f"my/care/{self.seeker.id}"
        own = self.get(f"/{page}", "seeker")
        shown = self.get(f"/care/preview/{self.seeker.id}/{page}", "helper")
        self.assertEqual(shown.status_code, 200)
        self.assertEqual(main_text(shown.text), main_text(own.text))
        self.assertFalse(
            self.env["care.access.log"].search(
                [
                    ("user_id", "=", self.seeker_user.id),
                    ("client_id", "=", self.seeker.id),
                ]
            ),
            "reading one's own record is no disclosure",
        )
