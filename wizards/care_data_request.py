from odoo import api, fields, models
from odoo.exceptions import UserError


class CareDataRequest(models.TransientModel):
    """Confirms a client's data request (export or erase) before it runs."""

    _name = "care.data.request"
    _description = "Care Data Request"

    client_id = fields.Many2one("res.partner", required=True)
    request = fields.Selection(
        [("export", "Export care data"), ("erase", "Erase care data")],
        required=True,
        default="export",
    )
    open_referral_names = fields.Char(compute="_compute_open_referral_names")
    confirm = fields.Boolean(
        string="I confirm",
        help="Erasing cannot be undone: notes, the client's name in status lines, "
        "their reminders and earlier exports are anonymised or removed for good.",
    )

    @api.depends("client_id")
    @api.depends_context("uid", "allowed_company_ids")
    def _compute_open_referral_names(self):
        for wizard in self:
            referrals = (
                wizard.client_id._care_open_referrals()
                if wizard.client_id
                else wizard.client_id.care_referral_ids
            )
            # _care_open_referrals reads as superuser: name only those the
            # user may read.
            names = referrals.with_env(self.env)._filtered_access("read")
            wizard.open_referral_names = ", ".join(names.mapped("name"))

    def action_confirm(self):
        self.ensure_one()
        self.client_id._check_care_data_manager()
        if self.request == "export":
            return self.client_id.action_export_care_data()
        if not self.confirm:
            raise UserError(
                self.env._(
                    "Tick “I confirm” to erase the care data of %(client)s.",
                    client=self.client_id.name,
                )
            )
        self.client_id.action_erase_care_data()
        return {"type": "ir.actions.act_window_close"}

    def action_print(self):
        self.ensure_one()
        self.client_id._check_care_data_manager()
        self.client_id._care_check_care_records("read")
        self.client_id.message_post(
            body=self.env._(
                "Care data report printed by %(user)s.", user=self.env.user.name
            )
        )
        return self.env.ref("care_network.action_report_care_data").report_action(
            self.client_id
        )
