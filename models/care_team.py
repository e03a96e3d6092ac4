from odoo import api, fields, models


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

    # The referral rules list each user's sharing teams by id, and Odoo caches
    # a rule's domain per user: a change of who shares what clears that cache.
    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        self.env.registry.clear_cache()
        return teams

    def write(self, vals):
        result = super().write(vals)
        if {"member_user_ids", "share_referrals"} & set(vals):
            self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result
