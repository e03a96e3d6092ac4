from odoo import api, fields, models
from odoo.exceptions import UserError


class CareFormSend(models.TransientModel):
    """Send one care form to one person (the client or a current member of
    their circle), or open an internal form for staff to fill about a client."""

    _name = "care.form.send"
    _description = "Send a Care Form"

    mode = fields.Selection(
        [("send", "Send to portal"), ("fill", "Fill internally")],
        default="send",
        required=True,
    )
    client_id = fields.Many2one("res.partner", required=True, ondelete="cascade")
    survey_id = fields.Many2one(
        "survey.survey",
        string="Form",
        required=True,
        ondelete="cascade",
        domain="[('care_form_kind', '=', mode == 'send' and 'client' or 'internal')]",
    )
    recipient_id = fields.Many2one(
        "res.partner",
        ondelete="cascade",
        domain="[('id', 'in', allowed_recipient_ids)]",
        help="The client, or a current member of their circle with an e-mail.",
    )
    allowed_recipient_ids = fields.Many2many(
        "res.partner", compute="_compute_allowed_recipient_ids"
    )
    relation_id = fields.Many2one(
        "care.relation",
        string="Through Relation",
        compute="_compute_relation_id",
        store=True,
        readonly=False,
        ondelete="cascade",
    )
    package_id = fields.Many2one(
        "care.package",
        ondelete="cascade",
        domain="['|', ('holder_id', '=', client_id), "
        "('participant_ids', 'in', client_id)]",
        help="Sent under this package: once completed, a shared form is shared with "
        "the package's participants too.",
    )
    care_shared = fields.Boolean(
        string="Share with the Client",
        compute="_compute_care_shared",
        store=True,
        readonly=False,
        help="The client, and those who hold the client's profile grant, read the "
        "completed form on the portal.",
    )

    @api.depends("client_id")
    def _compute_allowed_recipient_ids(self):
        for wizard in self:
            client = wizard.client_id
            people = client | wizard._circle_relations().mapped(
                lambda r, client=client: r._other_side(client)
            )
            wizard.allowed_recipient_ids = people.filtered(
                lambda p: p.email and not p.is_company
            )

    @api.depends("recipient_id")
    def _compute_relation_id(self):
        for wizard in self:
            relation = wizard.relation_id
            if relation and wizard.recipient_id in (
                relation.partner_id | relation.related_partner_id
            ):
                continue
            wizard.relation_id = wizard._circle_relations().filtered(
                lambda r, w=wizard: r._other_side(w.client_id) == w.recipient_id
            )[:1]

    @api.depends("survey_id")
    def _compute_care_shared(self):
        for wizard in self:
            wizard.care_shared = wizard.survey_id.care_share_default

    @api.onchange("relation_id")
    def _onchange_relation_id(self):
        if self.relation_id and not self.recipient_id:
            self.recipient_id = self.relation_id._other_side(self.client_id)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        relation = self.env["care.relation"].browse(values.get("relation_id"))
        client = self.env["res.partner"].browse(values.get("client_id"))
        if relation and client and "recipient_id" in fields_list:
            values.setdefault("recipient_id", relation._other_side(client).id)
        return values

    def _circle_relations(self):
        """The client's current relations, whichever side the client is on."""
        self.ensure_one()
        client = self.client_id
        return (client.care_relation_ids | client.care_related_to_ids).filtered(
            "is_current"
        )

    # --- checks -------------------------------------------------------------------
    def _check_form(self):
        kind = "client" if self.mode == "send" else "internal"
        if self.survey_id.care_form_kind != kind or not self.survey_id.active:
            raise UserError(
                self.env._(
                    "%(form)s is not an active %(kind)s care form.",
                    form=self.survey_id.title,
                    kind=dict(
                        self.survey_id._fields["care_form_kind"]._description_selection(
                            self.env
                        )
                    )[kind].lower(),
                )
            )
        if not self.client_id.is_care_client and not self.client_id.care_group_kind:
            raise UserError(
                self.env._(
                    "%(partner)s is not a care client: forms are filed in a client's "
                    "record.",
                    partner=self.client_id.name,
                )
            )

    def _check_recipient(self):
        client, recipient = self.client_id, self.recipient_id
        if not recipient:
            raise UserError(self.env._("Choose who receives the form."))
        if recipient != client and recipient not in self._circle_relations().mapped(
            lambda r: r._other_side(client)
        ):
            raise UserError(
                self.env._(
                    "%(person)s is not a current member of the circle of care of "
                    "%(client)s: a form goes to the client or to someone in their "
                    "circle.",
                    person=recipient.name,
                    client=client.name,
                )
            )
        if not recipient.email:
            raise UserError(
                self.env._(
                    "%(person)s has no e-mail address: add one to send them a form.",
                    person=recipient.name,
                )
            )
        if client.care_contact_preference == "none":
            raise UserError(
                self.env._(
                    "%(client)s asked not to be contacted (Don't reach out): no form "
                    "is e-mailed about them.",
                    client=client.name,
                )
            )

    # --- actions ------------------------------------------------------------------
    def action_confirm(self):
        self.ensure_one()
        self._check_form()
        if self.mode == "fill":
            answer = self._create_answer(self.env.user.partner_id, relation=None)
            return answer.action_care_fill()
        self._check_recipient()
        answer = self._create_answer(self.recipient_id, relation=self.relation_id)
        answer._care_send_invitation()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": self.env._(
                    "%(form)s sent to %(person)s.",
                    form=self.survey_id.title,
                    person=self.recipient_id.name,
                ),
                "type": "success",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _create_answer(self, partner, relation):
        return self.survey_id._create_answer(
            partner=partner,
            check_attempts=False,
            care_client_id=self.client_id.id,
            care_relation_id=relation.id if relation else False,
            care_shared=self.care_shared if self.mode == "send" else False,
            care_package_id=self.package_id.id,
        )
