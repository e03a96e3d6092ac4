from odoo import fields, models


class CareTeam(models.Model):
    _name = "care.team"
    _description = "Care Team"
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
    company_id = fields.Many2one(
        "res.company", index=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)
