from odoo import api, fields, models
from odoo.exceptions import ValidationError

MIN_LEAD_HOURS = 2
MAX_LEAD_HOURS = 72


class CareRelation(models.Model):
    """Appointment reminders to a member of the client's circle: who opted in, by
    which channel, how long before. The cron lives on ``care.reminder``."""

    _inherit = "care.relation"

    reminder_opt_in = fields.Boolean(
        string="Appointment Reminders",
        tracking=True,
        help="Send this member a reminder before each of the client's appointments.",
    )
    reminder_email = fields.Boolean(string="Remind by E-mail", default=True)
    reminder_sms = fields.Boolean(string="Remind by SMS", tracking=True)
    reminder_email_lead_hours = fields.Integer(
        string="E-mail Lead Time (hours)",
        default=24,
        help="How many hours before the appointment the e-mail goes out (2 to 72).",
    )
    reminder_sms_lead_hours = fields.Integer(
        string="SMS Lead Time (hours)",
        default=24,
        help="How many hours before the appointment the SMS goes out (2 to 72).",
    )
    reminder_sms_phone_id = fields.Many2one(
        "care.partner.phone",
        string="SMS Number",
        ondelete="set null",
        domain="[('partner_id', '=', related_partner_id)]",
        groups="care_network.group_care_user",
        help="Which of the member's numbers receives the SMS reminders; none "
        "chosen: their first mobile.",
    )
    reminder_summary = fields.Char(
        compute="_compute_reminder_summary",
        groups="care_network.group_care_user",
        help="What the member will receive, in one sentence.",
    )
    care_sms_available = fields.Boolean(
        compute="_compute_care_sms_available",
        help="SMS reminders need Odoo's SMS addon.",
    )

    @api.depends(
        "reminder_opt_in",
        "reminder_email",
        "reminder_sms",
        "reminder_email_lead_hours",
        "reminder_sms_lead_hours",
        "reminder_sms_phone_id.number",
        "related_partner_id.care_phone_ids.number",
        "related_partner_id.care_phone_ids.kind",
        "partner_id.name",
        "related_partner_id.name",
    )
    def _compute_reminder_summary(self):
        for relation in self:
            member = relation.related_partner_id.name or self.env._("This member")
            channels = relation._reminder_channel_phrases()
            if not relation.reminder_opt_in or not channels:
                relation.reminder_summary = self.env._(
                    "%(member)s receives no appointment reminder.", member=member
                )
                continue
            relation.reminder_summary = self.env._(
                "%(member)s will receive %(channels)s before each appointment "
                "%(client)s attends, even the ones they do not share.",
                member=member,
                channels=self.env._(" and ").join(channels),
                client=relation.partner_id.name or self.env._("the client"),
            )

    def _reminder_channel_phrases(self):
        """ "an e-mail 24 hours", "an SMS to their mobile 2 hours"."""
        self.ensure_one()
        phrases = []
        if self.reminder_email:
            phrases.append(
                self.env._(
                    "an e-mail %(hours)s hours", hours=self.reminder_email_lead_hours
                )
            )
        if self.reminder_sms and self.care_sms_available:
            phone = (
                self.reminder_sms_phone_id or self._reminder_default_sms_phone()
            )._filtered_access("read")
            if phone:
                kinds = dict(phone._fields["kind"]._description_selection(self.env))
                phrase = self.env._(
                    "an SMS to their %(kind)s %(number)s %(hours)s hours",
                    kind=kinds[phone.kind].lower(),
                    number=phone.number,
                    hours=self.reminder_sms_lead_hours,
                )
            else:
                phrase = self.env._(
                    "an SMS %(hours)s hours (once they have a mobile number)",
                    hours=self.reminder_sms_lead_hours,
                )
            phrases.append(phrase)
        return phrases

    def _reminder_channels(self, sms_available):
        """The channels this member can be reminded on: chosen, and reachable."""
        self.ensure_one()
        channels = []
        if self.reminder_email and self.related_partner_id.email:
            channels.append("email")
        if self.reminder_sms and sms_available and self._reminder_sms_number():
            channels.append("sms")
        return channels

    def _reminder_lead_hours(self, channel):
        self.ensure_one()
        return self[f"reminder_{channel}_lead_hours"]

    def _reminder_sms_number(self):
        """The normalised number of this member's SMS: the one chosen, else their
        first mobile (a relation made before the member had one still reaches
        the mobile added later)."""
        self.ensure_one()
        relation = self.sudo()
        phone = relation.reminder_sms_phone_id or relation._reminder_default_sms_phone()
        return phone.number or False

    def _reminder_default_sms_phone(self):
        self.ensure_one()
        return self.related_partner_id.care_phone_ids.filtered(
            lambda phone: phone.kind == "mobile"
        )[:1]

    @api.model
    def _reminder_sms_phone_follows(self, vals):
        """Another person related: the SMS number chosen among the former one's
        numbers goes (called by write, care_relation.py)."""
        if "related_partner_id" in vals and "reminder_sms_phone_id" not in vals:
            return {**vals, "reminder_sms_phone_id": False}
        return vals

    @api.onchange("related_partner_id")
    def _onchange_reminder_sms_phone(self):
        if self.reminder_sms_phone_id.partner_id != self.related_partner_id:
            self.reminder_sms_phone_id = self._reminder_default_sms_phone()

    @api.constrains("reminder_sms_phone_id", "related_partner_id")
    def _check_reminder_sms_phone(self):
        for relation in self:
            phone = relation.sudo().reminder_sms_phone_id
            if phone and phone.partner_id != relation.related_partner_id:
                raise ValidationError(
                    self.env._(
                        "The SMS number chosen is not one of %(member)s's numbers.",
                        member=relation.related_partner_id.name,
                    )
                )

    def _compute_care_sms_available(self):
        self.care_sms_available = self.env["care.reminder"]._sms_available()

    @api.constrains(
        "reminder_email_lead_hours",
        "reminder_sms_lead_hours",
        "reminder_opt_in",
        "reminder_email",
        "reminder_sms",
    )
    def _check_reminders(self):
        for relation in self:
            for hours in (
                relation.reminder_email_lead_hours,
                relation.reminder_sms_lead_hours,
            ):
                if not MIN_LEAD_HOURS <= hours <= MAX_LEAD_HOURS:
                    raise ValidationError(
                        self.env._(
                            "The reminder lead time must be between %(min)s and "
                            "%(max)s hours, not %(hours)s.",
                            min=MIN_LEAD_HOURS,
                            max=MAX_LEAD_HOURS,
                            hours=hours,
                        )
                    )
            if relation.reminder_opt_in and not (
                relation.reminder_email
                or (relation.reminder_sms and relation.care_sms_available)
            ):
                raise ValidationError(
                    self.env._(
                        "Choose e-mail or SMS (or both) for the appointment reminders "
                        "of %(member)s.",
                        member=relation.related_partner_id.name,
                    )
                )
