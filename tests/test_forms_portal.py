import json

from odoo.tests import HttpCase, tagged

from .common import company_b_care_user
from .common_forms import FormCase


@tagged("post_install", "-at_install")
class TestFormsOnThePortal(HttpCase, FormCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.answer = cls.send_form(cls.intake, cls.guardian_partner)

    def get(self, url, login=None):
        self.authenticate(login, login)
        return self.url_open(url, allow_redirects=False)

    def test_my_forms_lists_to_do_then_done(self):
        response = self.get("/my/forms", "guardian_portal")
        self.assertEqual(response.status_code, 200)
        self.assertIn("To do", response.text)
        self.assertIn(self.answer.get_start_url(), response.text.replace("&amp;", "&"))
        self.fill(self.answer)
        response = self.get("/my/forms", "guardian_portal")
        self.assertNotIn("To do", response.text)
        self.assertIn(f"/my/forms/{self.answer.id}", response.text)

    def test_the_portal_home_counts_the_forms_to_do(self):
        self.authenticate("guardian_portal", "guardian_portal")
        response = self.url_open(
            "/my/counters",
            data=json.dumps({"params": {"counters": ["care_form_count"]}}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.json()["result"]["care_form_count"], 1)

    def test_a_completed_shared_form_reads_on_the_portal_of_those_allowed(self):
        self.fill(self.answer, "Wheelchair ramp")
        url = f"/my/forms/{self.answer.id}"
        for login in ("guardian_portal", "responsible_portal", "seeker"):
            response = self.get(url, login)
            self.assertEqual(response.status_code, 200, login)
            self.assertIn("Wheelchair ramp", response.text, login)
        for login in ("stranger_portal", "plain_internal"):
            response = self.get(url, login)
            self.assertEqual(response.status_code, 403, login)
            self.assertNotIn("Wheelchair ramp", response.text, login)
        self.assertEqual(self.get(url).status_code, 303, "public: to the login")
        self.assertEqual(self.get("/my/forms/987654321", "seeker").status_code, 404)

    def test_the_link_opens_that_one_form_without_login(self):
        response = self.url_open(self.answer.get_start_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn("Test intake", response.text)
        self.assertIn(self.answer.access_token, response.url)
        forged = self.url_open(
            f"/survey/start/{self.intake.access_token}?answer_token=not-a-token"
        )
        self.assertNotIn("What do you need?", forged.text)

    def test_a_finished_form_cannot_be_changed_by_its_recipient(self):
        self.fill(self.answer, "First answer")
        response = self.url_open(self.answer.get_start_url())
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("What do you need?", response.text, "no question to answer")
        submit = self.url_open(
            f"/survey/submit/{self.intake.access_token}/{self.answer.access_token}",
            data=json.dumps({"params": {}}),
            headers={"Content-Type": "application/json"},
        )
        self.assertIn({"error": "unauthorized"}, submit.json()["result"])
        lines = self.answer.user_input_line_ids
        self.assertEqual(
            set(lines.mapped("value_text_box")) - {False}, {"First answer"}
        )

    def test_rpc_reads_are_refused_to_the_portal(self):
        # Issue #37: portal users have no ACL on Survey's answers (Odoo's survey
        # security holds); they read their forms on /my/forms only.
        self.fill(self.answer)
        for login in ("guardian_portal", "responsible_portal", "stranger_portal"):
            self.authenticate(login, login)
            response = self.url_open(
                "/web/dataset/call_kw/survey.user_input/search_read",
                data=json.dumps(
                    {
                        "params": {
                            "model": "survey.user_input",
                            "method": "search_read",
                            "args": [[("care_client_id", "!=", False)], ["id"]],
                            "kwargs": {},
                        }
                    }
                ),
                headers={"Content-Type": "application/json"},
            )
            self.assertNotIn("result", response.json(), login)
            self.assertEqual(
                response.json()["error"]["data"]["name"],
                "odoo.exceptions.AccessError",
                login,
            )

    def test_the_preview_of_a_form_answer(self):
        self.fill(self.answer, "Wheelchair ramp")
        url = f"/care/preview/{self.guardian_partner.id}/my/forms/{self.answer.id}"
        response = self.get(url, "helper")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Wheelchair ramp", response.text)
        self.assertIn("o_care_preview_banner", response.text)
        # Staff who may not read the answer, and anyone but care staff: refused,
        # and the answer is not in the refusal.
        self.seeker.company_id = self.env.company
        company_b_care_user(self.env, "forms_staff_b", "Agency B")
        for login in ("forms_staff_b", "guardian_portal", "plain_internal"):
            response = self.get(url, login)
            self.assertEqual(response.status_code, 403, login)
            self.assertNotIn("Wheelchair ramp", response.text, login)
        self.assertEqual(self.get(url).status_code, 303, "public: to the login")
        missing = f"/care/preview/{self.guardian_partner.id}/my/forms/987654321"
        self.assertEqual(self.get(missing, "helper").status_code, 404)
