from odoo import fields, models


class ResUsers(models.Model):
    """The teams and programs a care user's referral rule lists by id: a rule
    of plain ids lets PostgreSQL combine three index scans, where the joins it
    replaces made it filter the referrals one by one (bench c at a million
    clients: 2.5 times slower than at 100,000 with the joins, see
    readme/DEVELOP.md, Performance)."""

    _inherit = "res.users"

    care_sharing_team_ids = fields.Many2many(
        "care.team",
        compute="_compute_care_referral_scope",
        context={"active_test": False},
        help="The teams this user belongs to that share their referrals.",
    )
    care_claimed_program_ids = fields.Many2many(
        "care.program",
        compute="_compute_care_referral_scope",
        # The rule reads .ids: archived programs stay in it.
        context={"active_test": False},
        help="The programs (archived ones too) whose inbound referrals this user "
        "works.",
    )

    def _compute_care_referral_scope(self):
        """Read with sudo: the rule's own inputs, whatever the user may browse.
        One search per model for all these users."""
        Team = self.env["care.team"].sudo().with_context(active_test=False)
        Program = self.env["care.program"].sudo().with_context(active_test=False)
        teams = Team.search(
            [("member_user_ids", "in", self.ids), ("share_referrals", "=", True)]
        )
        programs = Program.search([("claimer_user_ids", "in", self.ids)])
        for user in self:
            user.care_sharing_team_ids = teams.filtered(
                lambda team, user=user: user in team.member_user_ids
            )
            user.care_claimed_program_ids = programs.filtered(
                lambda program, user=user: user in program.claimer_user_ids
            )
