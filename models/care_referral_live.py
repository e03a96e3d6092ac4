from odoo import models


class CareReferral(models.Model):
    """Live boards: after a move, the users who work the referral and may read
    it are told on Odoo's bus, and their open boards, lists and
    forms reload it without a page reload."""

    _inherit = "care.referral"

    def _care_watchers(self):
        """The internal users who may have this referral on a board: the people
        who work it, kept only where the record rules let them read it (the
        notice names the referral)."""
        self.ensure_one()
        referral = self.sudo()
        candidates = (
            referral.helper_user_id
            | referral.team_id.member_user_ids
            | referral.program_id.claimer_user_ids
            | referral.seeker_id.care_manager_user_ids
            | self.env.ref("care_network.group_care_manager").sudo().users
        ).filtered(lambda user: not user.share)
        return candidates.filtered(lambda user: self.with_user(user).has_access("read"))

    def _care_notify_moved(self):
        states = dict(self._fields["state"]._description_selection(self.env))
        for referral in self:
            last = (
                self.env["care.referral.status.log"]
                .sudo()
                .search([("referral_id", "=", referral.id)], order="id desc", limit=1)
            )
            payload = {
                "id": referral.id,
                "name": referral.name,
                "state": referral.state,
                "state_label": states[referral.state],
                "by": last.who or "",
                "by_uid": self.env.uid,
            }
            referral._care_watchers().partner_id._bus_send(
                "care_referral_moved", payload
            )
