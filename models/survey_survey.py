from odoo import fields, models

CARE_FORM_KINDS = [
    ("client", "Client-facing"),
    ("internal", "Internal"),
]
CARE_FORM_CATEGORIES = [
    ("intake", "Intake"),
    ("consent", "Consent and release"),
    ("contact", "Contact details"),
    ("assessment", "Assessment"),
    ("feedback", "Feedback"),
    ("other", "Other"),
]


class SurveySurvey(models.Model):
    """A care form is a survey marked with a kind: client-facing forms are sent
    to the portal, internal ones are filled by staff about a client."""

    _inherit = "survey.survey"

    care_form_kind = fields.Selection(
        CARE_FORM_KINDS,
        string="Care Form",
        index=True,
        help="Client-facing forms are sent to a client or a member of their circle "
        "through the portal; internal forms are filled by staff about a client and "
        "never show on the portal. Empty: not a care form.",
    )
    care_form_category = fields.Selection(
        CARE_FORM_CATEGORIES, string="Form Category", default="other"
    )
    care_share_default = fields.Boolean(
        string="Share Answers with the Client",
        default=True,
        help="Default of a sent form's sharing: a shared form is readable on the "
        "portal by the client and by those who hold the client's profile grant.",
    )
    care_answer_ids = fields.One2many(
        "survey.user_input",
        "survey_id",
        string="Care Answers",
        domain=[("care_client_id", "!=", False)],
    )
    care_answer_count = fields.Integer(
        string="Sent", compute="_compute_care_answer_count"
    )

    def _compute_care_answer_count(self):
        counts = dict(
            self.env["survey.user_input"]._read_group(
                [("survey_id", "in", self.ids), ("care_client_id", "!=", False)],
                ["survey_id"],
                ["__count"],
            )
        )
        for survey in self:
            survey.care_answer_count = counts.get(survey, 0)

    def action_view_care_answers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "care_network.action_care_form_answers"
        )
        action["domain"] = [("survey_id", "=", self.id)]
        action["context"] = {"search_default_group_state": 1}
        return action
