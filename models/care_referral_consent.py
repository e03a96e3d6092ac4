from odoo import api, fields, models


class CareReferral(models.Model):
    """The consent a referral rests on: live consent ticked on the referral, or a
    current consent of the seeker covering its program or the program's
    organisation."""

    _inherit = "care.referral"

    consent_id = fields.Many2one(
        "care.consent",
        string="Consent Record",
        compute="_compute_consent_id",
        help="The seeker's current consent that covers this referral's program.",
    )

    @api.depends(
        "seeker_id.care_consent_ids.date_revoked",
        "seeker_id.care_consent_ids.date_expiry",
        "program_id.provider_id",
    )
    @api.depends_context("tz")
    def _compute_consent_id(self):
        for referral in self:
            referral.consent_id = referral._covering_consents()[:1]

    def _covering_consents(self):
        self.ensure_one()
        Consent = self.env["care.consent"]
        if not self.seeker_id or not self.program_id:
            return Consent
        consents = Consent._covering(self.seeker_id, "program", self.program_id)
        if self.program_id.provider_id:
            consents |= Consent._covering(
                self.seeker_id, "organization", self.program_id.provider_id
            )
        return consents

    def _has_consent(self):
        self.ensure_one()
        return self.consent or bool(self._covering_consents())

    def _rests_on(self, consent):
        """Whether this referral's consent is ``consent`` alone."""
        self.ensure_one()
        if self.consent:
            return False
        if consent.scope == "program":
            return consent.program_id == self.program_id
        return consent.organization_id == self.program_id.provider_id
