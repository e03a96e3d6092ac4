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
        current = self.env["care.consent"]._current_of(self.seeker_id)
        for referral in self:
            referral.consent_id = referral._covering_consents(current)[:1]

    def _covering_consents(self, current=None):
        """The seeker's current consents (among ``current``, read if not given)
        that cover this referral's program or its organisation."""
        self.ensure_one()
        if current is None:
            current = self.env["care.consent"]._current_of(self.seeker_id)
        program = self.program_id
        consents = current._covers(self.seeker_id, "program", program)
        if program.provider_id:
            consents |= current._covers(
                self.seeker_id, "organization", program.provider_id
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
