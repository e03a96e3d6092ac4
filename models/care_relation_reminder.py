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
    reminder_lead_hours = fields.Integer(
        string="Reminder Lead Time (hours)",
        default=24,
        help="How many hours before the appointment the reminder goes out (2 to 72).",
    )
    reminder_summary = fields.Char(
        compute="_compute_reminder_summary",
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
        "reminder_lead_hours",
        "partner_id.name",
        "related_partner_id.name",
    )
    def _compute_reminder_summary(self):
        for relation in self:
            channels = [
                label
                for wanted, label in (
                    (relation.reminder_email, self.env._("an e-mail")),
                    (
                        relation.reminder_sms and relation.care_sms_available,
                        self.env._("an SMS"),
                    ),
                )
                if wanted
            ]
            if not relation.reminder_opt_in or not channels:
                relation.reminder_summary = self.env._(
                    "%(member)s receives no appointment reminder.",
                    member=relation.related_partner_id.name
                    or self.env._("This member"),
                )
                continue
            relation.reminder_summary = self.env._(
                "%(member)s will receive %(channels)s %(hours)s hours before each "
                "appointment %(client)s attends, even the ones they do not share.",
                member=relation.related_partner_id.name or self.env._("This member"),
                channels=self.env._(" and ").join(channels),
                hours=relation.reminder_lead_hours,
                client=relation.partner_id.name or self.env._("the client"),
            )

    def _compute_care_sms_available(self):
        self.care_sms_available = self.env["care.reminder"]._sms_available()

    @api.constrains(
        "reminder_lead_hours", "reminder_opt_in", "reminder_email", "reminder_sms"
    )
    def _check_reminders(self):
        for relation in self:
            if not MIN_LEAD_HOURS <= relation.reminder_lead_hours <= MAX_LEAD_HOURS:
                raise ValidationError(
                    self.env._(
                        "The reminder lead time must be between %(min)s and %(max)s "
                        "hours, not %(hours)s.",
                        min=MIN_LEAD_HOURS,
                        max=MAX_LEAD_HOURS,
                        hours=relation.reminder_lead_hours,
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
