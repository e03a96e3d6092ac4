from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import CareCase

CARE_MODELS = (
    "care.relation",
    "care.referral",
    "care.program",
    "care.team",
    "care.goal",
)


@tagged("post_install", "-at_install")
class TestMultiCompany(HttpCase, CareCase):
    """A care user of company B sees nothing of company A's circle of care."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Company = cls.env["res.company"]
        cls.company_a = Company.create({"name": "Agency A"})
        cls.company_b = Company.create({"name": "Agency B"})
        cls.user_a, cls.user_b = (
            new_test_user(
                cls.env,
                login=login,
                groups="care_network.group_care_user",
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
            )
            for login, company in (
                ("staff_a", cls.company_a),
                ("staff_b", cls.company_b),
            )
        )
        as_a = cls.env(
            user=cls.user_a, context={"allowed_company_ids": cls.company_a.ids}
        )
        Partner = as_a["res.partner"]
        cls.client_a = Partner.create(
            {
                "name": "Alma A-Client",
                "is_care_client": True,
                "company_id": cls.company_a.id,
            }
        )
        cls.contact_a = Partner.create(
            {"name": "Carl A-Contact", "company_id": cls.company_a.id}
        )
        cls.records_a = {
            "care.relation": as_a["care.relation"].create(
                {
                    "partner_id": cls.client_a.id,
                    "related_partner_id": cls.contact_a.id,
                    "type_id": cls.type_emergency.id,
                }
            ),
            "care.team": cls.env["care.team"].create(
                {
                    "name": "A Team",
                    "member_user_ids": [Command.set(cls.user_a.ids)],
                    "company_id": cls.company_a.id,
                }
            ),
            "care.goal": as_a["care.goal"].create(
                {"name": "A Goal", "seeker_id": cls.client_a.id}
            ),
        }
        provider = cls.env["res.partner"].create(
            {"name": "A Pantry", "is_company": True, "company_id": cls.company_a.id}
        )
        cls.records_a["care.program"] = (
            cls.env["care.program"]
            .sudo()
            .create(
                {
                    "name": "A Program",
                    "provider_id": provider.id,
                    "company_id": cls.company_a.id,
                    "claimer_user_ids": [Command.set(cls.user_a.ids)],
                }
            )
        )
        cls.records_a["care.referral"] = as_a["care.referral"].create(
            {
                "seeker_id": cls.client_a.id,
                "program_id": cls.records_a["care.program"].id,
                "consent": True,
            }
        )

    def test_company_a_records_belong_to_company_a(self):
        for model, record in self.records_a.items():
            self.assertEqual(record.sudo().company_id, self.company_a, model)

    def test_care_user_of_b_sees_none_of_a_by_orm(self):
        env_b = self.env(
            user=self.user_b, context={"allowed_company_ids": self.company_b.ids}
        )
        for model, record in self.records_a.items():
            self.assertFalse(env_b[model].search([("id", "=", record.id)]), model)
            with self.assertRaises(AccessError, msg=model):
                env_b[model].browse(record.id).read(["display_name"])
        self.assertFalse(
            env_b["res.partner"].search(
                [("id", "in", (self.client_a | self.contact_a).ids)]
            )
        )
        self.assertFalse(
            env_b["res.partner"].search(
                [("is_care_client", "=", True), ("company_id", "!=", False)]
            )
            & self.client_a
        )

    def test_care_user_of_b_sees_none_of_a_by_rpc(self):
        self.authenticate("staff_b", "staff_b")
        for model in (*CARE_MODELS, "res.partner"):
            ids = (
                self.client_a.ids
                if model == "res.partner"
                else self.records_a[model].ids
            )
            found = self.make_jsonrpc_request(
                f"/web/dataset/call_kw/{model}/search_read",
                {
                    "model": model,
                    "method": "search_read",
                    "args": [[("id", "in", ids)], ["display_name"]],
                    "kwargs": {},
                },
            )
            self.assertEqual(found, [], model)
            with self.assertRaises(Exception, msg=model) as refused:
                self.make_jsonrpc_request(
                    f"/web/dataset/call_kw/{model}/read",
                    {
                        "model": model,
                        "method": "read",
                        "args": [ids, ["display_name"]],
                        "kwargs": {},
                    },
                )
            self.assertIn("AccessError", str(refused.exception), model)

    def test_care_user_of_b_sees_none_of_a_in_the_portal(self):
        self.authenticate("staff_b", "staff_b")
        referral = self.records_a["care.referral"]
        listing = self.url_open("/my/referrals", allow_redirects=False)
        self.assertEqual(listing.status_code, 200)
        self.assertNotIn(referral.name, listing.text)
        for url in (f"/my/referrals/{referral.id}", f"/my/care/{self.client_a.id}"):
            response = self.url_open(url, allow_redirects=False)
            self.assertIn(response.status_code, (403, 404), url)
            self.assertNotIn("Alma A-Client", response.text, url)
        # Staff of company A see it (the test above is not blind).
        self.authenticate("staff_a", "staff_a")
        self.assertIn(referral.name, self.url_open("/my/referrals").text)

    def test_relation_cannot_link_partners_of_two_companies(self):
        client_b = self.env["res.partner"].create(
            {"name": "Bea B-Client", "company_id": self.company_b.id}
        )
        with self.assertRaisesRegex(
            ValidationError,
            "Bea B-Client belongs to Agency B and Carl A-Contact to Agency A",
        ):
            self.Relation.create(
                {
                    "partner_id": client_b.id,
                    "related_partner_id": self.contact_a.id,
                    "type_id": self.type_emergency.id,
                }
            )
        # A partner shared by all companies may be related to either.
        shared = self.env["res.partner"].create({"name": "Sol Shared"})
        self.relate(client_b, shared, self.type_emergency)
        self.relate(self.client_a, shared, self.type_emergency)
