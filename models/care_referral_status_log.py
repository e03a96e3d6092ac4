from odoo import api, fields, models
from odoo.exceptions import UserError

from .care_referral import OUTCOMES, STATES

# Only erasing care data passes this object: it cannot travel through RPC.
_ERASE = object()


class CareReferralStatusLog(models.Model):
    """Append-only history of a referral's status moves."""

    _name = "care.referral.status.log"
    _description = "Care Referral Status Log"
    _order = "date desc, id desc"

    referral_id = fields.Many2one(
        "care.referral", required=True, index=True, ondelete="cascade", readonly=True
    )
    user_id = fields.Many2one("res.users", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Person", readonly=True)
    author_name = fields.Char(string="Who", readonly=True, help='Shown as "First L."')
    organization_id = fields.Many2one(
        "res.partner", string="Organisation", readonly=True
    )
    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    state_from = fields.Selection(STATES, string="From", readonly=True)
    state_to = fields.Selection(STATES, string="To", required=True, readonly=True)
    outcome = fields.Selection(OUTCOMES, readonly=True)
    note = fields.Text(readonly=True)

    @staticmethod
    def short_name(name):
        """ "Nadia Navigator" -> "Nadia N." """
        parts = (name or "").split()
        if len(parts) < 2:
            return name or ""
        return f"{parts[0]} {parts[-1][0]}."

    @api.model
    def _log_move(self, referral, move, outcome, note, actor, roles):
        """One row for one ``(from, to)`` move, made by ``actor``: a ``(user,
        partner)`` pair; the user is empty when the seeker follows their e-mailed
        link without logging in."""
        old_state, new_state = move
        user, partner = actor
        author_name = self.short_name(partner.name)
        if "provider" in roles:
            # From the program's e-mailed link: the program answers, as itself.
            organization = referral.program_id.provider_id
            author_name = referral.program_id._intake_label()
        elif "claimer" in roles and not roles & {"helper", "manager"}:
            organization = referral.program_id.provider_id
        elif not user or user.share:
            # A portal user's company, when they belong to one; a person on their
            # own has no organisation (not their own name twice).
            organization = partner.parent_id.commercial_partner_id
        else:
            organization = referral.company_id.partner_id or user.company_id.partner_id
        return self.with_context(care_log_append=True).create(
            {
                "referral_id": referral.id,
                "user_id": user.id,
                "partner_id": partner.id,
                "author_name": author_name,
                "organization_id": organization.id,
                "state_from": old_state,
                "state_to": new_state,
                "outcome": outcome,
                "note": note,
            }
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("care_log_append"):
            raise UserError(
                self.env._("The status history is written by status moves only.")
            )
        return super().create(vals_list)

    def write(self, vals):
        # Append-only: only erasing a client's care data rewrites rows.
        if self.env.context.get("care_log_erase") is _ERASE:
            return super().write(vals)
        raise UserError(
            self.env._("The status history of a referral cannot be changed.")
        )

    def _erase_person(self, person, placeholder):
        """Anonymise these rows for an erased client: no notes, and the client's
        name no longer shown as the author of their moves."""
        erasing = self.with_context(care_log_erase=_ERASE)
        erasing.write({"note": False})
        erasing.filtered(lambda log: log.partner_id == person).write(
            {"partner_id": False, "author_name": placeholder}
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("The status history of a referral cannot be deleted.")
        )
