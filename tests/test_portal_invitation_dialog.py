from odoo.tests import tagged

from .common_forms import FormCase


@tagged("post_install", "-at_install")
class TestPortalInvitationDialog(FormCase):
    """Invite a client and their circle at once, with forms for each."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client_person = cls.Partner.create(
            {"name": "Cora Client", "email": "cora@example.com", "is_care_client": True}
        )
        cls.new_guardian = cls.Partner.create(
            {"name": "Nina New", "email": "nina@example.com"}
        )
        cls.no_mail = cls.Partner.create({"name": "Ned Nomail"})
        cls.friend = cls.Partner.create({"name": "Fred Friend", "email": "fred@x.com"})
        cls.guardian_rel = cls.relate(
            cls.client_person, cls.new_guardian, cls.type_guardian
        )
        cls.responsible_rel = cls.relate(
            cls.client_person, cls.no_mail, cls.type_responsible
        )
        cls.relate(
            cls.client_person,
            cls.friend,
            cls.env.ref("care_network.relation_type_friend"),
        )
        cls.relate(cls.client_person, cls.guardian_partner, cls.type_responsible)

    def dialog(self, **context):
        action = self.client_person.with_user(
            self.helper
        ).action_open_care_portal_invitation()
        return (
            self.env["care.portal.invitation"]
            .with_user(self.helper)
            .with_context(action["context"], **context)
            .create({})
        )

    def line(self, dialog, partner):
        return dialog.line_ids.filtered(lambda line: line.partner_id == partner)

    def test_lists_the_client_and_who_is_invited_or_granted(self):
        dialog = self.dialog()
        self.assertEqual(
            dialog.line_ids.partner_id,
            self.client_person
            | self.new_guardian
            | self.no_mail
            | self.guardian_partner,
            "the friend's relation neither invites nor grants",
        )
        self.assertTrue(self.line(dialog, self.client_person).is_client)
        self.assertEqual(self.line(dialog, self.new_guardian).portal_state, "invitable")
        self.assertEqual(
            self.line(dialog, self.guardian_partner).portal_state, "portal"
        )
        self.assertFalse(self.line(dialog, self.no_mail).invite, "no e-mail: unticked")
        self.assertTrue(self.line(dialog, self.new_guardian).invite)

    def test_one_click_invites_the_ticked_and_says_who(self):
        dialog = self.dialog()
        self.line(dialog, self.no_mail).invite = True
        message = dialog.action_skip()["params"]["message"]
        self.assertIn("Invited: Cora Client, Nina New.", message)
        self.assertIn("Already had access: Greg Guardian.", message)
        self.assertIn("Skipped, no e-mail address: Ned Nomail.", message)
        self.assertEqual(self.client_person._care_portal_state(), "portal")
        self.assertEqual(self.guardian_rel.related_portal_state, "portal")
        self.assertEqual(len(self.new_guardian.user_ids), 1)

    def test_an_unticked_person_is_not_invited(self):
        dialog = self.dialog()
        self.line(dialog, self.new_guardian).invite = False
        dialog.action_skip()
        self.assertEqual(self.new_guardian._care_portal_state(), "invitable")

    def test_invite_and_send_sends_each_persons_forms(self):
        dialog = self.dialog()
        self.line(dialog, self.new_guardian).survey_ids = self.intake
        self.line(dialog, self.guardian_partner).survey_ids = self.intake
        message = dialog.action_invite_and_send()["params"]["message"]
        self.assertIn("Forms sent: 2.", message)
        answers = self.env["survey.user_input"].search(
            [("care_client_id", "=", self.client_person.id)]
        )
        self.assertEqual(answers.partner_id, self.new_guardian | self.guardian_partner)
        self.assertEqual(
            answers.filtered(
                lambda a: a.partner_id == self.new_guardian
            ).care_relation_id,
            self.guardian_rel,
        )

    def test_skip_sends_no_form(self):
        dialog = self.dialog()
        self.line(dialog, self.new_guardian).survey_ids = self.intake
        dialog.action_skip()
        self.assertFalse(
            self.env["survey.user_input"].search(
                [("care_client_id", "=", self.client_person.id)]
            )
        )
        self.assertEqual(self.new_guardian._care_portal_state(), "portal")

    def test_after_saving_a_relation_it_lists_that_person_and_the_client(self):
        dialog = self.dialog(care_relation_ids=self.guardian_rel.ids)
        self.assertEqual(
            dialog.line_ids.partner_id, self.client_person | self.new_guardian
        )

    def test_saving_outside_the_web_client_invites_at_once(self):
        person = self.Partner.create(
            {"name": "Ivy Instant", "email": "ivy@example.com"}
        )
        relation = self.relate(
            self.client_person, person, self.type_parent, send_portal_invitation=True
        )
        self.assertEqual(relation.related_portal_state, "portal")
