from odoo import fields, models


class ResUsers(models.Model):
    """The teams and programs a care user's referral rule lists by id: a rule
    of plain ids lets PostgreSQL combine three index scans, where the joins it
    replaces made it filter the referrals one by one (bench c at a million
    clients: 2.5 times slower than at 100,000 with the joins, see the README)."""

    _inherit = "res.users"

    care_sharing_team_ids = fields.Many2many(
        "care.team",
        compute="_compute_care_referral_scope",
        help="The teams this user belongs to that share their referrals.",
    )
    care_claimed_program_ids = fields.Many2many(
        "care.program",
        compute="_compute_care_referral_scope",
        help="The programs (archived ones too) whose inbound referrals this user "
        "works.",
    )

    def _compute_care_referral_scope(self):
        Team = self.env["care.team"].sudo().with_context(active_test=False)
        Program = self.env["care.program"].sudo().with_context(active_test=False)
        for user in self:
            user.care_sharing_team_ids = Team.search(
                [("member_user_ids", "in", user.ids), ("share_referrals", "=", True)]
            )
            user.care_claimed_program_ids = Program.search(
                [("claimer_user_ids", "in", user.ids)]
            )
