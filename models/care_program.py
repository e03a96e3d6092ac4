import re
import statistics

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import email_normalize


def _median(values):
    values = [value for value in values or () if value]
    return statistics.median(values) if values else 0.0


class CareProgram(models.Model):
    _name = "care.program"
    _description = "Care Program"
    _inherit = ["mail.thread", "care.referral.scope.mixin"]
    _care_scope_fields = ("claimer_user_ids",)
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    provider_id = fields.Many2one(
        "res.partner",
        index=True,
        domain=[("is_company", "=", True)],
        check_company=True,
        tracking=True,
        help="The organisation that runs the program.",
    )
    description = fields.Html(translate=True)
    service_tag_ids = fields.Many2many("care.service.tag", string="Services")
    zip_codes = fields.Char(
        string="ZIP Codes Served",
        help="Comma- or space-separated ZIP codes; end one with * to serve a prefix "
        "(100*). Leave empty for a program that serves everywhere.",
    )
    claimer_user_ids = fields.Many2many(
        "res.users",
        "care_program_claimer_rel",
        "program_id",
        "user_id",
        string="Claimers",
        domain=[("share", "=", False)],
        help="Staff who receive and work this program's inbound referrals.",
    )
    referral_ids = fields.One2many("care.referral", "program_id", string="Referrals")
    referral_count = fields.Integer(compute="_compute_referral_count")
    closed_loop_rate = fields.Float(
        string="Closed-Loop Rate (%)",
        compute="_compute_outcomes",
        digits=(16, 1),
        help="Share of sent referrals completed or rejected with an outcome.",
    )
    median_days_to_accept = fields.Float(
        string="Median Days to Accept", compute="_compute_outcomes", digits=(16, 1)
    )
    median_days_to_close = fields.Float(
        string="Median Days to Close", compute="_compute_outcomes", digits=(16, 1)
    )
    company_id = fields.Many2one(
        "res.company", index=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)

    # Programs without a login: referrals reach them by e-mail, with a link.
    intake_email = fields.Char(
        string="Intake E-mail",
        tracking=True,
        help="Where referrals to this program are sent, with a secure link to "
        "accept, decline and close them without logging in.",
    )
    intake_partner_id = fields.Many2one(
        "res.partner",
        string="Intake Contact",
        check_company=True,
        tracking=True,
        help="Who answers at the program; shown in the referral's history.",
    )
    notify_intake = fields.Boolean(
        string="Notify Intake E-mail",
        help="Also e-mail referrals to the intake address when the program has "
        "claimers. Without claimers, the intake e-mail always gets them.",
    )
    response_days = fields.Integer(
        string="Expected Response (days)",
        default=3,
        help="A referral still Sent after this many days needs a follow-up.",
    )
    stall_days = fields.Integer(
        string="Stalled After (days)",
        default=14,
        help="An accepted or started referral without a move for this many days "
        "needs a follow-up.",
    )

    @api.constrains("intake_email")
    def _check_intake_email(self):
        for program in self.filtered("intake_email"):
            if not email_normalize(program.intake_email):
                raise ValidationError(
                    self.env._(
                        "%(email)s is not a valid intake e-mail address for "
                        "%(program)s.",
                        email=program.intake_email,
                        program=program.name,
                    )
                )

    @api.constrains("response_days", "stall_days")
    def _check_follow_up_days(self):
        for program in self:
            if program.response_days < 1 or program.stall_days < 1:
                raise ValidationError(
                    self.env._(
                        "The expected response and the stall delay of %(program)s "
                        "are whole days, at least 1.",
                        program=program.name,
                    )
                )

    def _sends_to_intake(self):
        """Referrals to this program are e-mailed to its intake address."""
        self.ensure_one()
        return bool(self.intake_email) and (
            self.notify_intake or not self.claimer_user_ids
        )

    def _intake_label(self):
        """How the program appears as the author of a move made from its link."""
        self.ensure_one()
        return self.env._("%(program)s (intake)", program=self.name)

    def _zip_patterns(self):
        self.ensure_one()
        return [code for code in re.split(r"[\s,;]+", self.zip_codes or "") if code]

    def serves_zip(self, zip_code):
        """Whether the program serves this ZIP code (no codes: serves everywhere)."""
        self.ensure_one()
        patterns = self._zip_patterns()
        if not patterns:
            return True
        zip_code = (zip_code or "").strip()
        for pattern in patterns:
            if pattern.endswith("*"):
                if zip_code.startswith(pattern[:-1]):
                    return True
            elif zip_code == pattern:
                return True
        return False

    @api.model
    def programs_for_zip(self, zip_code, service_tags=None):
        domain = [("service_tag_ids", "in", service_tags.ids)] if service_tags else []
        return self.search(domain).filtered(
            lambda program: program.serves_zip(zip_code)
        )

    def _compute_outcomes(self):
        """Closed-loop rate and median days of the program's sent referrals, in
        one grouped query (medians are not an aggregate a pivot can regroup)."""
        groups = self.env["care.referral"]._read_group(
            [("program_id", "in", self.ids), ("date_sent", "!=", False)],
            ["program_id"],
            [
                "closed_loop_rate:avg",
                "days_to_accept:array_agg",
                "days_to_close:array_agg",
            ],
        )
        stats = {
            program: (rate, _median(accept), _median(close))
            for program, rate, accept, close in groups
        }
        for program in self:
            rate, accept, close = stats.get(program, (0.0, 0.0, 0.0))
            program.closed_loop_rate = rate
            program.median_days_to_accept = accept
            program.median_days_to_close = close

    def _compute_referral_count(self):
        counts = dict(
            self.env["care.referral"]._read_group(
                [("program_id", "in", self.ids)], ["program_id"], ["__count"]
            )
        )
        for program in self:
            program.referral_count = counts.get(program, 0)

    def action_view_referrals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "care_network.action_care_referral_all"
        )
        action["domain"] = [("program_id", "=", self.id)]
        action["context"] = {"default_program_id": self.id}
        return action
