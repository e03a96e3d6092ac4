from odoo import models


class CareRelation(models.Model):
    _inherit = "care.relation"

    def action_open_care_ecomap(self):
        """The ecomap of this relation's client (from Clients by relation)."""
        self.ensure_one()
        return self.partner_id.action_open_care_ecomap()
