import re

from odoo import api, fields, models


class CareProgram(models.Model):
    _name = "care.program"
    _description = "Care Program"
    _inherit = ["mail.thread"]
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
    company_id = fields.Many2one(
        "res.company", index=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)

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
