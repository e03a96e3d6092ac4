from odoo import fields, models


class ResPartner(models.Model):
    """A client's joint sessions (couple, family, group): on the client's file."""

    _inherit = "res.partner"

    care_joint_session_count = fields.Integer(
        string="Joint Sessions", compute="_compute_care_joint_sessions"
    )

    def _care_joint_sessions(self):
        self.ensure_one()
        Event = self.env["calendar.event"]
        # The search's ids without fetching: calendar's fetch works out its
        # private fields on every call, and the flag reads what it needs.
        events = Event.browse(Event._search([("partner_ids", "in", self.ids)]))
        return events.filtered("care_joint_session")

    def _compute_care_joint_sessions(self):
        for partner in self:
            partner.care_joint_session_count = (
                len(partner._care_joint_sessions())
                if partner.id and partner.is_care_client
                else 0
            )

    def action_view_care_joint_sessions(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Joint Sessions of %(client)s", client=self.name),
            "res_model": "calendar.event",
            "view_mode": "list,form,calendar",
            "domain": [("id", "in", self._care_joint_sessions().ids)],
            "context": {"default_partner_ids": self.ids},
        }
