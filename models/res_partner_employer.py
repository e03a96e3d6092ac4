from odoo import api, fields, models

EMPLOYER_STAGES = [("potential", "Potential"), ("active", "Active")]


class ResPartner(models.Model):
    """Employers, as staffing agencies follow them: a person or an organisation with
    the Employer role, potential until it employs someone through the agency."""

    _inherit = "res.partner"

    care_is_employer = fields.Boolean(
        string="Is an Employer",
        compute="_compute_care_is_employer",
        help="Has the Employer role.",
    )
    care_employer_stage = fields.Selection(
        EMPLOYER_STAGES,
        string="Employer Stage",
        group_expand=True,
        tracking=True,
        help="Potential: an employer the agency is courting. Active: one it works for.",
    )

    @api.depends("care_role_ids")
    def _compute_care_is_employer(self):
        employer = self._care_data_role("care_network.role_employer")
        for partner in self:
            partner.care_is_employer = (
                bool(employer) and employer in partner.care_role_ids._origin
            )

    @api.onchange("care_role_ids")
    def _onchange_care_employer_stage(self):
        """A partner who becomes an employer starts as a potential one."""
        for partner in self:
            if partner.care_is_employer and not partner.care_employer_stage:
                partner.care_employer_stage = "potential"
