from odoo import models


class CareRelation(models.Model):
    _inherit = "care.relation"

    def _other_side(self, partner):
        """The partner of this relation who is not ``partner``."""
        self.ensure_one()
        return (
            self.partner_id
            if self.related_partner_id == partner
            else (self.related_partner_id)
        )

    def action_open_care_ecomap(self):
        """The ecomap of this relation's client (from Clients by relation)."""
        self.ensure_one()
        return self.partner_id.action_open_care_ecomap()

    def action_send_care_form(self):
        """Send a form about the client to the person of this relation."""
        self.ensure_one()
        return self.partner_id._care_form_wizard("send", relation=self)
