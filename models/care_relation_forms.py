from odoo import models


class CareRelation(models.Model):
    _inherit = "care.relation"

    def action_send_care_form(self):
        """Send a form about the client to the person of this relation."""
        self.ensure_one()
        return self.partner_id._care_form_wizard("send", relation=self)
