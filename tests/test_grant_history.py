from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common_referral import ReferralCase


@tagged("post_install", "-at_install")
class TestGrantHistory(ReferralCase):
    """Who was given access, and by whom: each change on the relation's chatter,
    listed in the client's Access History."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The shared fixture turns tracking off; the history is what is tested.
        cls.env = cls.env(context={})
        cls.relation = cls.Relation.with_env(cls.env).create(
            {
                "partner_id": cls.seeker.id,
                "related_partner_id": cls.other_parent.id,
                "type_id": cls.type_parent.id,
                "can_view_profile": False,
                "can_view_appointments": False,
                "can_view_referrals": False,
            }
        )

    def setUp(self):
        super().setUp()
        # As if the relation was saved in an earlier transaction: Odoo does not
        # track changes to a record created in the same one.
        self.commit()

    def commit(self):
        # Tracking messages are posted when the transaction commits.
        self.env.flush_all()
        self.env.cr.precommit.run()

    def tracked(self, messages):
        # Tracking values are for administrators; the helper reads the summary.
        return messages.filtered(lambda m: m.sudo().tracking_value_ids)

    def history(self, client=None, domain=()):
        self.commit()
        action = (
            (client or self.seeker)
            .with_user(self.helper)
            .action_view_care_access_history()
        )
        return (
            self.env["mail.message"]
            .with_user(self.helper)
            .search(action["domain"] + list(domain))
        )

    def test_grant_date_and_type_changes_are_tracked(self):
        relation = self.relation.with_user(self.helper)
        relation.write({"can_view_referrals": True})
        self.commit()
        relation.write({"date_end": fields.Date.today() + timedelta(days=30)})
        self.commit()
        relation.write({"type_id": self.type_responsible.id})
        changes = self.tracked(self.history())
        self.assertEqual(len(changes), 3)
        self.assertEqual(changes.author_id, self.helper.partner_id)
        summaries = changes.mapped("care_change_summary")
        self.assertIn("Can View Referrals: No → Yes", summaries[-1])
        self.assertTrue(any("End Date" in s for s in summaries))
        self.assertTrue(
            any(
                "Relation Type: Parent / Child → Responsible Party / Dependent" in s
                for s in summaries
            )
        )

    def test_invitation_reset_and_revocation_are_recorded(self):
        relation = self.relation.with_user(self.helper)
        relation.write({"can_view_profile": True})
        relation.action_invite_portal()
        relation.action_send_password_reset()
        relation.action_revoke_portal()
        history = self.history()
        lines = (history - self.tracked(history)).mapped("care_change_summary")
        for expected in (
            "Portal invitation sent to Oscar Other.",
            "Password reset sent to Oscar Other.",
            "Portal access of Oscar Other revoked.",
            "Portal login of Oscar Other removed.",
        ):
            self.assertIn(expected, lines)

    def test_filter_by_person_and_period(self):
        self.relation.with_user(self.helper).write({"can_view_profile": True})
        seeker = self.seeker.with_env(self.env)
        guardian = seeker.care_relation_ids.filtered(
            lambda r: r.related_partner_id == self.guardian_user.partner_id
        )
        guardian.with_user(self.helper).write({"can_view_referrals": False})
        oscar = self.history(domain=[("care_person_id", "ilike", "Oscar")])
        self.assertTrue(oscar)
        self.assertFalse(oscar.filtered(lambda m: m.res_id == guardian.id))
        tomorrow = fields.Datetime.now() + timedelta(days=1)
        self.assertFalse(self.history(domain=[("date", ">=", tomorrow)]))
        # Another client's history is not this client's.
        self.assertFalse(self.history(self.adult) & self.history())
