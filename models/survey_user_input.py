from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression

FREE_TEXT_FIELDS = {"char_box": "value_char_box", "text_box": "value_text_box"}


class SurveyUserInput(models.Model):
    """An answer to a care form, filed in the client's record whoever filled it
    in: the client themself, a member of their circle, or staff."""

    _inherit = "survey.user_input"

    care_client_id = fields.Many2one(
        "res.partner",
        string="Client",
        index=True,
        ondelete="cascade",
        help="The client whose file this form belongs to.",
    )
    care_relation_id = fields.Many2one(
        "care.relation",
        string="Through Relation",
        index="btree_not_null",
        ondelete="set null",
        help="The relation of the client's circle the form was sent through.",
    )
    care_package_id = fields.Many2one(
        "care.package",
        string="Package",
        index="btree_not_null",
        ondelete="set null",
        help="Sent under this package: shared with its participants.",
    )
    care_form_kind = fields.Selection(
        related="survey_id.care_form_kind",
        store=True,
        string="Form Kind",
    )
    care_shared = fields.Boolean(
        string="Shared with the Client",
        help="Readable on the portal by the client and by those who hold the "
        "client's profile grant (the recipient always reads it).",
    )
    care_recipient_role = fields.Char(
        string="Recipient", compute="_compute_care_recipient_role"
    )

    @api.depends("partner_id", "care_client_id", "care_relation_id")
    def _compute_care_recipient_role(self):
        for answer in self:
            relation = answer.care_relation_id
            if not answer.care_client_id:
                answer.care_recipient_role = False
            elif answer.partner_id == answer.care_client_id:
                answer.care_recipient_role = self.env._("The client")
            elif relation:
                label = (
                    relation.inverse_label
                    if relation.partner_id == answer.partner_id
                    else relation.label
                )
                answer.care_recipient_role = f"{answer.partner_id.name} ({label})"
            else:
                answer.care_recipient_role = answer.partner_id.name or answer.email

    @api.constrains("care_client_id", "care_relation_id", "partner_id")
    def _check_care_relation(self):
        for answer in self.filtered("care_relation_id"):
            sides = answer.care_relation_id.partner_id | (
                answer.care_relation_id.related_partner_id
            )
            if answer.care_client_id not in sides or (
                answer.partner_id and answer.partner_id not in sides
            ):
                raise ValidationError(
                    self.env._(
                        "The form %(form)s went through the relation %(relation)s, "
                        "which does not link %(client)s and %(recipient)s.",
                        form=answer.survey_id.title,
                        relation=answer.care_relation_id.display_name,
                        client=answer.care_client_id.name,
                        recipient=answer.partner_id.name,
                    )
                )

    # --- the portal ---------------------------------------------------------------
    @api.model
    def _care_portal_domain(self, partner):
        """The answers ``partner`` reads on the portal: the client-facing forms sent
        to them (while the relation they went through is current), and the shared
        forms of their own file, of the clients who grant them their profile and
        of the packages they (or those clients) take part in. Internal forms never.

        Portal users have no ACL on Survey's models (Odoo's survey security holds):
        the addon's portal pages serve these answers, and only those."""
        grant = [
            ("related_partner_id", "=", partner.id),
            ("can_view_profile", "=", True),
            ("is_current", "=", True),
        ]
        return [
            ("care_form_kind", "=", "client"),
            ("care_client_id", "!=", False),
            "|",
            "&",
            ("partner_id", "=", partner.id),
            "|",
            ("care_relation_id", "=", False),
            ("care_relation_id.is_current", "=", True),
            "&",
            ("care_shared", "=", True),
            "|",
            "|",
            ("care_client_id", "=", partner.id),
            ("care_client_id.care_relation_ids", "any", grant),
            (
                "care_package_id.participant_ids",
                "any",
                ["|", ("id", "=", partner.id), ("care_relation_ids", "any", grant)],
            ),
        ]

    @api.model
    def _care_portal_answers(self, partner, domain=None, **search_kwargs):
        """The answers of :meth:`_care_portal_domain` (within ``domain``), as
        superuser: call it only once the visitor is known to be ``partner``."""
        partner.ensure_one()
        return self.sudo().search(
            expression.AND([self._care_portal_domain(partner), domain or []]),
            **search_kwargs,
        )

    # --- completion ---------------------------------------------------------------
    def _mark_done(self):
        result = super()._mark_done()
        for answer in self.sudo().filtered("care_client_id"):
            answer._care_post_completion()
        return result

    def _care_post_completion(self):
        self.ensure_one()
        body = Markup(
            self.env._(
                'Form <a href="#" data-oe-model="survey.user_input" '
                'data-oe-id="%(id)s">%(form)s</a> completed by %(person)s.'
            )
        ) % {
            "id": self.id,
            "form": self.survey_id.title,
            "person": self.partner_id.name or self.email or self.env._("someone"),
        }
        self.care_client_id.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _care_send_invitation(self):
        """E-mail the recipient their personal link to this form."""
        template = self.env.ref("care_network.mail_template_care_form")
        for answer in self:
            template.send_mail(
                answer.id, email_layout_xmlid="mail.mail_notification_light"
            )
            answer.care_client_id.message_post(
                body=self.env._(
                    "Form %(form)s sent to %(person)s.",
                    form=answer.survey_id.title,
                    person=answer.care_recipient_role,
                ),
                subtype_xmlid="mail.mt_note",
            )

    # --- buttons ------------------------------------------------------------------
    def action_care_resend(self):
        """E-mail the recipient their link again (a form not completed yet)."""
        for answer in self:
            if answer.state == "done":
                raise UserError(
                    self.env._(
                        "%(form)s was already completed: it cannot be sent again.",
                        form=answer.survey_id.title,
                    )
                )
        self._care_send_invitation()
        return True

    def action_care_fill(self):
        """Staff open the form to fill it in (internal forms)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": self.get_start_url(),
            "target": "self",
        }

    # --- data on request ----------------------------------------------------------
    def _care_data(self):
        self.ensure_one()
        return {
            "form": self.survey_id.title,
            "kind": self.care_form_kind,
            "recipient": self.partner_id.name or self.email or None,
            "relation": self.care_relation_id.display_name or None,
            "state": self.state,
            "sent": fields.Datetime.to_string(self.create_date),
            "completed": fields.Datetime.to_string(self.end_datetime)
            if self.end_datetime
            else None,
            "answers": [
                {
                    "question": line.question_id.title,
                    "answer": None if line.skipped else line.display_name,
                }
                for line in self.user_input_line_ids
            ],
        }

    def _care_erase_free_text(self, erased):
        lines = self.user_input_line_ids
        for answer_type, field in FREE_TEXT_FIELDS.items():
            lines.filtered(lambda line, t=answer_type: line.answer_type == t).write(
                {field: erased}
            )
