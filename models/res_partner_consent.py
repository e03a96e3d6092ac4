from odoo import fields, models


class ResPartner(models.Model):
    """A client's consents, and who may speak for the client."""

    _inherit = "res.partner"

    care_consent_ids = fields.One2many("care.consent", "client_id", string="Consents")

    def _care_speaks_for(self, person):
        """Whether ``person`` consents and sees disclosures for this client: the
        client themself, or a current legal guardian when the client is a minor."""
        self.ensure_one()
        if person == self:
            return True
        return self.is_minor and person in (
            self.sudo()._care_current_guardian_relations().related_partner_id
        )

    def action_view_care_consents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "care_network.action_care_consent"
        )
        action["domain"] = [("client_id", "=", self.id)]
        action["context"] = {
            "default_client_id": self.id,
            "default_given_by_id": self.id,
            "search_default_current": 1,
        }
        return action

    def action_view_care_access_history(self):
        """Who was given access to this client's record, and by whom: the
        changes and portal actions on the relations of the client's circle."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "care_network.action_care_access_history"
        )
        relations = self.env["care.relation"].search([("partner_id", "=", self.id)])
        action["domain"] = [
            ("model", "=", "care.relation"),
            ("res_id", "in", relations.ids),
        ]
        action["display_name"] = self.env._(
            "Access History of %(name)s", name=self.name
        )
        action["context"] = {"create": False}
        return action
