from odoo import api, fields, models


class ResPartner(models.Model):
    """The forms in a client's file: every form sent about them, whoever filled
    it in, and the internal forms staff filled about them."""

    _inherit = "res.partner"

    care_form_answer_ids = fields.One2many(
        "survey.user_input", "care_client_id", string="Forms"
    )
    care_form_count = fields.Integer(
        string="Form Count", compute="_compute_care_form_count"
    )

    @api.depends("care_form_answer_ids")
    def _compute_care_form_count(self):
        # The rows of the Forms tab: one search for both, on the form.
        for partner in self:
            partner.care_form_count = len(partner.care_form_answer_ids)
        Answer = self.env["survey.user_input"]
        for group in self.filtered("care_group_kind"):
            group.care_form_count = Answer.search_count(
                [("care_client_id", "in", group._care_form_file_partners().ids)]
            )

    def _care_form_file_partners(self):
        """Whose forms this record's file gathers: the client, and for a family
        or client organisation, its current members too."""
        self.ensure_one()
        return self | self.care_member_ids

    def action_view_care_forms(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "care_network.action_care_form_answers"
        )
        action["domain"] = [
            ("care_client_id", "in", self._care_form_file_partners().ids)
        ]
        action["context"] = {"default_care_client_id": self.id}
        action["display_name"] = self.env._("Forms of %(name)s", name=self.name)
        return action

    def action_send_care_form(self):
        return self._care_form_wizard("send")

    def action_fill_care_form(self):
        return self._care_form_wizard("fill")

    def _care_form_wizard(self, mode, relation=None):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send a Form")
            if mode == "send"
            else self.env._("Fill an Internal Form"),
            "res_model": "care.form.send",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_client_id": self.id,
                "default_mode": mode,
                **({"default_relation_id": relation.id} if relation else {}),
            },
        }
