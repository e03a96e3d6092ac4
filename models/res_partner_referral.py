from odoo import fields, models


class ResPartner(models.Model):
    """A client's referrals and goals."""

    _inherit = "res.partner"

    care_referral_ids = fields.One2many(
        "care.referral", "seeker_id", string="Referrals"
    )
    care_referral_count = fields.Integer(
        string="Referral Count", compute="_compute_care_referral_counts"
    )
    care_goal_ids = fields.One2many("care.goal", "seeker_id", string="Goals")
    care_goal_count = fields.Integer(
        string="Goal Count", compute="_compute_care_referral_counts"
    )

    def _compute_care_referral_counts(self):
        counts = {}
        for model in ("care.referral", "care.goal"):
            records = self.env[model]
            if not records.has_access("read"):
                counts[model] = {}
                continue
            counts[model] = dict(
                records._read_group(
                    [("seeker_id", "in", self.ids)], ["seeker_id"], ["__count"]
                )
            )
        for partner in self:
            partner.care_referral_count = counts["care.referral"].get(partner, 0)
            partner.care_goal_count = counts["care.goal"].get(partner, 0)

    def action_start_referral(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Start a Referral for %(name)s", name=self.name),
            "res_model": "care.referral.start",
            "view_mode": "form",
            "target": "new",
            "context": {"default_seeker_id": self.id},
        }

    def action_view_care_referrals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "care_network.action_care_referral_all"
        )
        action["domain"] = [("seeker_id", "=", self.id)]
        action["context"] = {"default_seeker_id": self.id}
        return action

    def action_view_care_goals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "care_network.action_care_goal"
        )
        action["domain"] = [("seeker_id", "=", self.id)]
        action["context"] = {"default_seeker_id": self.id}
        return action
