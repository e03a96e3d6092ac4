from odoo import fields, models


class CareTeam(models.Model):
    _name = "care.team"
    _description = "Care Team"
    _inherit = ["care.referral.scope.mixin"]
    _care_scope_fields = ("member_user_ids", "share_referrals")
    _order = "name"

    name = fields.Char(required=True, translate=True)
    member_user_ids = fields.Many2many(
        "res.users",
        "care_team_member_rel",
        "team_id",
        "user_id",
        string="Members",
        domain=[("share", "=", False)],
    )
    share_referrals = fields.Boolean(
        help="Members see and work each other's outbound referrals.",
    )
    site_id = fields.Many2one(
        "res.partner",
        domain=[("is_company", "=", True)],
        help="The office or agency the team works for: the organisation its members "
        "are shown with in referral histories (their company without one).",
    )
    company_id = fields.Many2one(
        "res.company", index=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)
