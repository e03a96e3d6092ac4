import json

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common_forms import FormCase


@tagged("post_install", "-at_install")
class TestTrustSurvey(HttpCase, FormCase):
    """Issue #37, item 9: Odoo's survey security holds with the addon installed.
    Portal users read no survey model over RPC; the addon's portal pages serve
    them their forms (survey.user_input._care_portal_answers), never a form that
    is not theirs and never an internal one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.to_guardian = cls.fill(
            cls.send_form(cls.intake, cls.guardian_partner), "Wheelchair ramp"
        )
        # An internal form about Sam, shared and completed: staff-only all the same.
        cls.internal = cls.env["survey.user_input"].create(
            {
                "survey_id": cls.visit.id,
                "partner_id": cls.helper.partner_id.id,
                "care_client_id": cls.seeker.id,
                "care_shared": True,
            }
        )
        cls.fill(cls.internal, "Staff observation")
        # Another client's form, sent to someone else: not Greg's to read.
        cls.other_client = cls.Partner.create(
            {"name": "Olga Otherclient", "is_care_client": True}
        )
        cls.other_answer = cls.fill(
            cls.env["survey.user_input"].create(
                {
                    "survey_id": cls.intake.id,
                    "partner_id": cls.other_client.id,
                    "care_client_id": cls.other_client.id,
                    "care_shared": True,
                }
            ),
            "Olga private answer",
        )

    def call_kw(self, login, model, method, args, kwargs=None):
        """The raw JSON-RPC answer to ``login`` calling ``model.method``."""
        self.authenticate(login, login)
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": kwargs or {},
                    }
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def get(self, url, login=None):
        self.authenticate(login, login)
        return self.url_open(url, allow_redirects=False)

    def test_portal_users_read_no_survey_model_over_rpc(self):
        answers = self.to_guardian | self.internal | self.other_answer
        for login in ("guardian_portal", "responsible_portal", "seeker"):
            for model, args in (
                ("survey.survey", [[], ["title"]]),
                ("survey.user_input", [[], ["state", "care_client_id"]]),
                ("survey.user_input.line", [[], ["value_text_box"]]),
            ):
                reply = self.call_kw(login, model, "search_read", args)
                self.assertNotIn("result", reply, f"{login} {model}")
                self.assertEqual(
                    reply["error"]["data"]["name"],
                    "odoo.exceptions.AccessError",
                    f"{login} {model}",
                )
            reply = self.call_kw(
                login, "survey.user_input", "read", [answers.ids, ["state"]]
            )
            self.assertNotIn("result", reply, login)
            self.assertEqual(
                reply["error"]["data"]["name"], "odoo.exceptions.AccessError"
            )
            self.assertNotIn("Wheelchair ramp", json.dumps(reply))

    def test_survey_acl_rows_for_the_portal_are_gone(self):
        portal = self.env.ref("base.group_portal")
        for model in ("survey.survey", "survey.user_input", "survey.user_input.line"):
            self.assertFalse(
                self.env["ir.model.access"].search(
                    [("model_id.model", "=", model), ("group_id", "=", portal.id)]
                ),
                model,
            )
        for xmlid in (
            "care_network.access_care_form_survey_portal",
            "care_network.access_care_form_user_input_portal",
            "care_network.survey_survey_rule_portal_care",
            "care_network.survey_user_input_rule_portal_care",
        ):
            self.assertFalse(self.env.ref(xmlid, raise_if_not_found=False), xmlid)

    def test_the_guardian_still_reads_their_forms_on_the_portal(self):
        listing = self.get("/my/forms", "guardian_portal")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(f"/my/forms/{self.to_guardian.id}", listing.text)
        page = self.get(f"/my/forms/{self.to_guardian.id}", "guardian_portal")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Wheelchair ramp", page.text)

    def test_an_answer_not_theirs_is_refused(self):
        url = f"/my/forms/{self.other_answer.id}"
        for login in ("guardian_portal", "responsible_portal", "seeker"):
            response = self.get(url, login)
            self.assertEqual(response.status_code, 403, login)
            self.assertNotIn("Olga private answer", response.text, login)
            listing = self.get("/my/forms", login)
            self.assertNotIn(url, listing.text, login)
        # Olga herself reads it (she is the client and the recipient).
        olga = new_test_user(
            self.env,
            login="olga_portal",
            groups="base.group_portal",
            partner_id=self.other_client.id,
        )
        response = self.get(url, olga.login)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Olga private answer", response.text)

    def test_an_internal_form_never_shows_on_the_portal(self):
        url = f"/my/forms/{self.internal.id}"
        for login in ("guardian_portal", "responsible_portal", "seeker"):
            response = self.get(url, login)
            self.assertEqual(response.status_code, 403, login)
            self.assertNotIn("Staff observation", response.text, login)
            self.assertNotIn(url, self.get("/my/forms", login).text, login)
        # Staff read it as their record rules let them.
        response = self.get(url, "helper")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Staff observation", response.text)

    def test_the_portal_home_counts_only_the_visitors_forms_to_do(self):
        self.send_form(self.intake, self.guardian_partner)
        self.guardian_relation.write(
            {
                "date_start": self.today.replace(year=self.today.year - 2),
                "date_end": self.today.replace(year=self.today.year - 1),
            }
        )
        self.send_form(self.intake, self.seeker)
        counts = {}
        for login in ("guardian_portal", "seeker", "stranger_portal"):
            self.authenticate(login, login)
            response = self.url_open(
                "/my/counters",
                data=json.dumps({"params": {"counters": ["care_form_count"]}}),
                headers={"Content-Type": "application/json"},
            )
            counts[login] = response.json()["result"]["care_form_count"]
        # Greg's relation ended: the form sent through it no longer counts.
        self.assertEqual(
            counts, {"guardian_portal": 0, "seeker": 1, "stranger_portal": 0}
        )

    def test_a_packages_page_shows_its_shared_forms_never_an_internal_one(self):
        family = self.Partner.create(
            {"name": "Seeker Family", "is_company": True, "care_group_kind": "family"}
        )
        self.relate(self.seeker, family, self.type_member)
        package = self.env["care.package"].create(
            {
                "name": "Home support",
                "holder_id": family.id,
                "participant_ids": [Command.set(self.seeker.ids)],
            }
        )
        self.to_guardian.care_package_id = package
        self.internal.care_package_id = package
        page = self.get(f"/my/packages/{package.id}", "seeker")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f"/my/forms/{self.to_guardian.id}", page.text)
        self.assertNotIn(f"/my/forms/{self.internal.id}", page.text)
        self.assertNotIn("Test home visit", page.text)
        # The form the package page links to opens for the participant.
        form = self.get(f"/my/forms/{self.to_guardian.id}", "seeker")
        self.assertEqual(form.status_code, 200)
        self.assertIn("Wheelchair ramp", form.text)
