from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import CareCase, company_b_care_user


@tagged("post_install", "-at_install")
class TestContactWizard(CareCase):
    """The contact wizard, the one way to add to a circle of care: who may use
    it, what it refuses, and the invitation it hands over to."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Wizard = cls.env["care.relation.contact.wizard"]

    def typed(self, client, **values):
        return {
            "partner_id": client.id,
            "type_id": self.type_emergency.id,
            "contact_kind": "alternative",
            "firstname": "Tess",
            "lastname": "Typed",
            "email": "tess@example.com",
            **values,
        }

    def assertNobodyTyped(self):
        self.assertFalse(self.Partner.search([("name", "=", "Tess Typed")]))

    def test_portal_and_plain_internal_users_cannot_use_it(self):
        portal = new_test_user(
            self.env, login="wizard_portal", groups="base.group_portal"
        )
        prepared = self.Wizard.create(self.typed(self.adult))
        for user in (portal, self.internal_user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.Wizard.with_user(user).create(self.typed(self.adult))
                with self.assertRaises(AccessError):
                    prepared.with_user(user).action_confirm()
        self.assertNobodyTyped()
        self.assertFalse(self.adult.care_relation_ids)

    def test_company_b_cannot_relate_a_company_a_client(self):
        client_a = self.Partner.create(
            {
                "name": "Client A",
                "is_care_client": True,
                "company_id": self.env.company.id,
            }
        )
        user_b = company_b_care_user(self.env, "wizard_b")
        for values in (
            self.typed(client_a),
            {
                "partner_id": client_a.id,
                "type_id": self.type_emergency.id,
                "related_partner_id": self.other_parent.id,
            },
        ):
            with (
                self.subTest(kind=values.get("contact_kind", "linked")),
                self.assertRaises(AccessError),
            ):
                self.Wizard.with_user(user_b).create(values).action_confirm()
        self.assertNobodyTyped()
        self.assertFalse(client_a.care_relation_ids)

    def test_a_client_with_only_a_name(self):
        solo = self.Partner.create({"name": "Solo"})
        wizard = self.Wizard.with_user(self.care_user).create(
            {
                "partner_id": solo.id,
                "type_id": self.type_emergency.id,
                "contact_kind": "alternative",
                "firstname": "Sid",
                "lastname": "Sparse",
                "no_email": True,
            }
        )
        self.assertEqual(wizard.related_portal_state, "invitable")
        self.assertFalse(wizard.send_portal_invitation, "no e-mail, no invitation")
        self.assertEqual(
            wizard.action_confirm(), {"type": "ir.actions.act_window_close"}
        )
        relation = solo.care_relation_ids
        contact = relation.related_partner_id
        self.assertEqual(contact.name, "Sid Sparse")
        self.assertFalse(contact.email or contact.phone or contact.mobile)
        self.assertFalse(contact.care_phone_ids)
        self.assertFalse(relation.reminder_sms_phone_id)
        self.assertEqual(relation.contact_kind, "alternative")
        self.assertEqual(relation.company_id, self.env.company)

    def test_a_linked_account_needs_its_partner(self):
        with self.assertRaisesRegex(ValidationError, "Pick the partner to relate"):
            self.Wizard.with_user(self.care_user).create(
                {"partner_id": self.adult.id, "type_id": self.type_emergency.id}
            ).action_confirm()
        self.assertFalse(self.adult.care_relation_ids)

    def test_a_refused_relation_creates_nobody(self):
        with self.assertRaisesRegex(ValidationError, "before it starts"):
            self.Wizard.with_user(self.care_user).create(
                self.typed(self.adult, date_start=self.today, date_end="2000-01-01")
            ).action_confirm()
        self.assertNobodyTyped()

    def test_the_grants_and_invitation_follow_the_type(self):
        wizard = self.Wizard.with_user(self.care_user).create(
            self.typed(self.minor, type_id=self.type_guardian.id)
        )
        self.assertTrue(wizard.can_view_profile)
        self.assertTrue(wizard.send_portal_invitation, "a guardian is invited")
        wizard.type_id = self.type_emergency
        self.assertFalse(wizard.can_view_profile)
        self.assertTrue(wizard.is_emergency_contact)

    def test_the_web_client_gets_the_invitation_dialog(self):
        wizard = (
            self.Wizard.with_user(self.care_user)
            .with_context(care_invitation_dialog=True)
            .create(self.typed(self.minor, type_id=self.type_guardian.id))
        )
        action = wizard.action_confirm()
        relation = self.minor.care_relation_ids.filtered(
            lambda r: r.related_partner_id.name == "Tess Typed"
        )
        self.assertEqual(action["res_model"], "care.portal.invitation")
        self.assertEqual(action["context"]["care_relation_ids"], relation.ids)
        self.assertFalse(relation.pending_portal_invitation)
        self.assertEqual(relation.related_portal_state, "invitable", "not yet")

    def test_code_invites_at_once(self):
        relation = self.add_contact(
            self.minor,
            self.type_guardian,
            user=self.care_user,
            **{
                key: value
                for key, value in self.typed(self.minor).items()
                if key not in ("partner_id", "type_id")
            },
        )
        self.assertEqual(relation.related_partner_id.name, "Tess Typed")
        self.assertEqual(relation.related_portal_state, "portal")
