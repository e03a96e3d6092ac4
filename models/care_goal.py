from odoo import api, fields, models


class CareGoal(models.Model):
    _name = "care.goal"
    _description = "Care Goal"
    _inherit = ["care.portal.seeker.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "state, target_date, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    seeker_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        tracking=True,
    )
    state = fields.Selection(
        [("open", "Open"), ("achieved", "Achieved"), ("dropped", "Dropped")],
        default="open",
        required=True,
        tracking=True,
    )
    target_date = fields.Date(tracking=True)
    description = fields.Html()
    referral_ids = fields.One2many("care.referral", "goal_id", string="Referrals")
    referral_count = fields.Integer(compute="_compute_referral_count")
    company_id = fields.Many2one(
        "res.company", index=True, default=lambda self: self.env.company
    )

    @api.depends("referral_ids")
    def _compute_referral_count(self):
        for goal in self:
            goal.referral_count = len(goal.referral_ids)

    def action_achieve(self):
        self.state = "achieved"

    def action_drop(self):
        self.state = "dropped"

    def action_reopen(self):
        self.state = "open"

    def _care_erase(self, placeholder):
        """Anonymise these goals for an erased client: their name and description,
        and the copies of the name elsewhere: each message and activity on a
        goal keeps the name of its record, and a tracked link to a goal (a
        referral's goal) keeps the goal's name in its tracking line."""
        self.write({"name": placeholder, "description": False})
        self.env["mail.message"].search(
            [("model", "=", self._name), ("res_id", "in", self.ids)]
        ).write({"record_name": placeholder})
        self.env["mail.activity"].with_context(active_test=False).search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        ).write({"res_name": placeholder})
        Tracking = self.env["mail.tracking.value"]
        links = [("field_id.relation", "=", self._name)]
        for side in ("old", "new"):
            Tracking.search([*links, (f"{side}_value_integer", "in", self.ids)]).write(
                {f"{side}_value_char": placeholder}
            )
