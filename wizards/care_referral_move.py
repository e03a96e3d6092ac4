from odoo import api, fields, models

from ..models.care_referral import COMPLETE_OUTCOMES, OUTCOMES, REJECT_OUTCOMES


class CareReferralMove(models.TransientModel):
    """Asks for the outcome (and a note) of a move that closes a referral."""

    _name = "care.referral.move"
    _description = "Close a Referral"

    referral_id = fields.Many2one("care.referral", required=True, ondelete="cascade")
    state = fields.Selection(
        [
            ("completed", "Completed"),
            ("rejected", "Rejected"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
    )
    outcome = fields.Selection(selection="_selection_outcome")
    note = fields.Text()

    @api.model
    def _selection_outcome(self):
        """Only the outcomes that fit the move the wizard was opened for."""
        allowed = {
            "completed": COMPLETE_OUTCOMES,
            "rejected": REJECT_OUTCOMES,
            "cancelled": ("no_longer_interested",),
        }.get(self.env.context.get("default_state"))
        return [
            (key, label) for key, label in OUTCOMES if not allowed or key in allowed
        ]

    def action_confirm(self):
        self.ensure_one()
        self.referral_id.set_state(self.state, outcome=self.outcome, note=self.note)
        return {"type": "ir.actions.act_window_close"}
