from odoo import api, fields, models


class CareRelation(models.Model):
    """The consents a relation's portal grants and SMS reminders rest on."""

    _inherit = "care.relation"

    portal_consent_id = fields.Many2one(
        "care.consent",
        compute="_compute_consents",
        help="The client's current consent to this person's portal access.",
    )
    sms_consent_id = fields.Many2one(
        "care.consent",
        string="SMS Consent",
        compute="_compute_consents",
        help="The client's current consent to reminders by SMS.",
    )

    @api.depends(
        "partner_id.care_consent_ids.date_revoked",
        "partner_id.care_consent_ids.date_expiry",
        "related_partner_id",
    )
    @api.depends_context("tz")
    def _compute_consents(self):
        current = self.env["care.consent"]._current_of(self.partner_id)
        for relation in self:
            client = relation.partner_id
            relation.portal_consent_id = current._covers(
                client, "portal", relation.related_partner_id
            )[:1]
            relation.sms_consent_id = current._covers(client, "sms_reminders")[:1]
