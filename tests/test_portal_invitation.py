from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.mail.tests.common import MockEmail

from .common import CareCase


@tagged("post_install", "-at_install")
class TestPortalInvitation(CareCase, MockEmail):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["mail.mail"].search([]).unlink()
        cls.Users = cls.env["res.users"].with_context(active_test=False)
        cls.second_minor = cls.Partner.create(
            {
                "name": "Max Minor",
                "birthdate": cls.minor.birthdate,
                "is_care_client": True,
                "care_relation_ids": [
                    (
                        0,
                        0,
                        {
                            "related_partner_id": cls.guardian.id,
                            "type_id": cls.type_guardian.id,
                        },
                    )
                ],
            }
        )
        cls.newcomer = cls.Partner.create(
            {"name": "Nora Newcomer", "email": "nora@example.com"}
        )

    def _portal_user(self, partner):
        return self.Users.search([("partner_id", "=", partner.id)])

    def _mails_to(self, partner):
        return self.env["mail.mail"].search([("recipient_ids", "in", partner.ids)])

    def test_saving_with_invitation_ticked_creates_one_portal_login(self):
        with self.mock_mail_gateway():
            relation = self.Relation.with_user(self.care_user).create(
                {
                    "partner_id": self.adult.id,
                    "related_partner_id": self.newcomer.id,
                    "type_id": self.type_responsible.id,
                    "send_portal_invitation": True,
                }
            )
        user = self._portal_user(self.newcomer)
        self.assertEqual(len(user), 1)
        self.assertTrue(user._is_portal())
        self.assertEqual(user.login, "nora@example.com")
        self.assertEqual(relation.related_portal_state, "portal")
        welcome = [
            mail for mail in self._mails if "nora@example.com" in str(mail["email_to"])
        ]
        self.assertEqual(len(welcome), 1, "Odoo's portal invitation e-mail is sent")
        self.assertIn("/web/signup", welcome[0]["body"])
        # The adult client hears that Nora can now see their records.
        notice = self._mails_to(self.adult)
        self.assertEqual(len(notice), 1)
        self.assertIn("Nora Newcomer", notice.subject)

    def test_one_login_whatever_the_number_of_wards(self):
        relations = self.minor.care_relation_ids | self.second_minor.care_relation_ids
        self.assertEqual(relations.related_partner_id, self.guardian)
        relations.with_user(self.care_user).action_invite_portal()
        relations.with_user(self.care_user).action_invite_portal()
        self.assertEqual(len(self._portal_user(self.guardian)), 1)

    def test_form_default_follows_the_type(self):
        Relation = self.Relation.with_user(self.care_user)
        guardian_draft = Relation.new(
            {
                "partner_id": self.adult.id,
                "related_partner_id": self.newcomer.id,
                "type_id": self.type_guardian.id,
            }
        )
        self.assertTrue(guardian_draft.send_portal_invitation)
        emergency_draft = Relation.new(
            {
                "partner_id": self.adult.id,
                "related_partner_id": self.newcomer.id,
                "type_id": self.type_emergency.id,
            }
        )
        self.assertFalse(emergency_draft.send_portal_invitation)
        self.assertFalse(self._portal_user(self.newcomer))

    def test_missing_email_is_refused(self):
        nameless = self.Partner.create({"name": "Edda Nomail"})
        with self.assertRaisesRegex(UserError, "Edda Nomail has no e-mail address"):
            self.relate(
                self.adult,
                nameless,
                self.type_responsible,
                send_portal_invitation=True,
            )
        self.assertFalse(
            self.Relation.search([("related_partner_id", "=", nameless.id)])
        )
        self.assertFalse(self._portal_user(nameless))

    def test_invalid_email_is_refused(self):
        self.newcomer.email = "not an address"
        with self.assertRaisesRegex(UserError, "not valid"):
            self.relate(
                self.adult,
                self.newcomer,
                self.type_responsible,
                send_portal_invitation=True,
            )

    def test_duplicate_email_is_refused(self):
        new_test_user(self.env, login="nora@example.com", groups="base.group_portal")
        with self.assertRaisesRegex(UserError, "already the login of"):
            self.relate(
                self.adult,
                self.newcomer,
                self.type_responsible,
                send_portal_invitation=True,
            )
        self.assertFalse(self._portal_user(self.newcomer))

    def test_organisations_get_no_login(self):
        relation = self.relate(self.adult, self.employer, self.type_employer)
        self.employer.email = "hr@acme.example.com"
        with self.assertRaisesRegex(UserError, "Acme Works is an organisation"):
            relation.action_invite_portal()

    def test_password_reset_needs_a_login_first(self):
        relation = self.minor.care_relation_ids.with_user(self.care_user)
        with self.assertRaisesRegex(UserError, "has no portal login yet"):
            relation.action_send_password_reset()
        relation.action_invite_portal()
        with self.mock_mail_gateway():
            relation.action_send_password_reset()
        reset = [m for m in self._mails if "gina@example.com" in str(m["email_to"])]
        self.assertEqual(len(reset), 1)
        self.assertIn("reset_password", reset[0]["body"])

    def test_the_portal_readers_of_a_relation_send_no_password_reset(self):
        """The client and their guardian read the relation on the portal: neither
        sends the other a reset link through it."""
        relation = self.minor.care_relation_ids
        relation.with_user(self.care_user).action_invite_portal()
        guardian_user = relation.related_partner_id.user_ids
        self.assertTrue(guardian_user._is_portal())
        as_guardian = relation.with_user(guardian_user)
        self.assertTrue(as_guardian.read(["related_partner_id"]), "she reads it")
        with self.mock_mail_gateway(), self.assertRaises(AccessError):
            as_guardian.action_send_password_reset()
        self.assertFalse(self._mails)

    def test_revoke_unticks_grants_and_keeps_login_for_other_wards(self):
        first = self.minor.care_relation_ids
        second = self.second_minor.care_relation_ids
        (first | second).action_invite_portal()
        user = self._portal_user(self.guardian)

        first.with_user(self.care_user).action_revoke_portal()
        self.assertFalse(first.can_view_profile or first.can_view_referrals)
        self.assertTrue(user.active, "Still the guardian of Max")

        second.with_user(self.care_user).action_revoke_portal()
        self.assertFalse(user.active, "No access left: the login goes too")
        self.assertEqual(second.related_portal_state, "revoked")
        # Inviting again brings the same login back.
        second.write({"can_view_profile": True})
        second.action_invite_portal()
        self.assertTrue(user.active)
        self.assertEqual(self._portal_user(self.guardian), user)

    def test_other_guardians_of_a_minor_are_told(self):
        self.other_parent.email = "oscar@example.com"
        new_guardian = self.relate(self.minor, self.other_parent, self.type_guardian)
        self.env["mail.mail"].search([]).unlink()
        new_guardian.action_invite_portal()
        notices = self.env["mail.mail"].search(
            [("model", "=", "care.relation"), ("res_id", "=", new_guardian.id)]
        )
        self.assertEqual(notices.recipient_ids, self.guardian)

    def test_granting_access_later_tells_the_client(self):
        relation = self.relate(self.adult, self.newcomer, self.type_emergency)
        relation.action_invite_portal()
        self.env["mail.mail"].search([]).unlink()
        relation.can_view_appointments = True
        self.assertEqual(len(self._mails_to(self.adult)), 1)

    def test_dont_reach_out_silences_the_notice(self):
        self.adult.care_contact_preference = "none"
        self.relate(
            self.adult,
            self.newcomer,
            self.type_responsible,
            send_portal_invitation=True,
        )
        self.assertFalse(self._mails_to(self.adult))
