from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .. import fhir_codes as fhir

CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
CONSENT_CATEGORY = "http://loinc.org"
PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
CONSENT_STATUSES = ("active", "inactive", "rejected")


class CareConsent(models.Model):
    """A care consent as a FHIR Consent (scope patient-privacy): who may see what
    of the client, given by whom, for how long."""

    _inherit = "care.consent"

    def _fhir_status(self):
        """rejected once revoked; active while current; inactive otherwise
        (expired, or not started yet)."""
        self.ensure_one()
        if self.date_revoked:
            return "rejected"
        return "active" if self.is_current else "inactive"

    def _fhir_consents(self):
        """The Consent of each consent, as the user reads them: the linked
        records are asked about once for the whole batch."""
        readable = fhir.Readable().among(
            self.client_id
            | self.given_by_id
            | self.grantee_partner_id
            | self.organization_id
        )
        readable.among(self.program_id).among(self.attachment_ids)
        return [consent._fhir_consent(readable) for consent in self]

    def _fhir_consent(self, readable=None):
        """The consent as a FHIR Consent, serialised as the current user: the
        client, the person who gave it, its grantee, program or organisation
        show their names, and the signed form its name, only where the user may
        read that record (else a bare reference or identifier)."""
        self.ensure_one()
        readable = readable or fhir.Readable()
        attachment = readable(self.attachment_ids)[:1]
        return fhir.compact(
            {
                "resourceType": "Consent",
                "id": str(self.id),
                "meta": {"lastUpdated": fhir.instant(self.write_date)},
                "status": self._fhir_status(),
                "scope": {
                    "coding": [{"system": CONSENT_SCOPE, "code": "patient-privacy"}]
                },
                "category": [
                    {
                        "coding": [
                            {
                                "system": CONSENT_CATEGORY,
                                "code": "59284-0",
                                "display": "Patient Consent",
                            }
                        ]
                    }
                ],
                "patient": fhir.patient_reference(self.client_id, readable),
                "dateTime": fhir.instant(fields.Datetime.to_datetime(self.date_given)),
                "performer": [self._fhir_given_by(readable)],
                "sourceAttachment": {
                    "contentType": attachment.mimetype,
                    "url": f"/web/content/{attachment.id}",
                    "title": attachment.name,
                }
                if attachment
                else None,
                "policyRule": {"coding": [{"system": ACT_CODE, "code": "OPTIN"}]},
                "provision": {
                    "type": "permit",
                    "period": fhir.period(
                        self.date_given, self.date_revoked or self.date_expiry
                    ),
                    "actor": self._fhir_actors(readable),
                    "code": [
                        fhir.codeable_concept(
                            fhir.CONSENT_SCOPE_SYSTEM,
                            self.scope,
                            dict(
                                self._fields["scope"]._description_selection(self.env)
                            )[self.scope],
                        )
                    ],
                },
            }
        )

    def _fhir_given_by(self, readable):
        given_by = self.given_by_id
        if given_by == self.client_id:
            return fhir.patient_reference(given_by, readable)
        return {
            "identifier": {
                "system": fhir.PARTNER_IDENTIFIER,
                "value": str(given_by.id),
            },
            "display": readable(given_by).name,
        }

    def _fhir_actors(self, readable):
        """Who the consent lets see the client's data: a person, a program or an
        organisation, as the recipient (IRCP)."""
        role = {"coding": [{"system": PARTICIPATION, "code": "IRCP"}]}
        return [
            {
                "role": role,
                "reference": {
                    "identifier": {"system": system, "value": str(target.id)},
                    "display": readable(target).name,
                },
            }
            for system, target in (
                (fhir.PARTNER_IDENTIFIER, self.grantee_partner_id),
                (fhir.PROGRAM_IDENTIFIER, self.program_id),
                (fhir.PARTNER_IDENTIFIER, self.organization_id),
            )
            if target
        ]

    # --- search ----------------------------------------------------------------------
    @api.model
    def _fhir_search_domain(self, params):
        """``patient``, ``status`` (active, inactive, rejected), ``date``."""
        domain = []
        if "patient" in params:
            domain.append(("client_id", "=", fhir.patient_id(self.env, params)))
        if "status" in params:
            wanted = set(fhir.token_code(params["status"]).split(","))
            if not wanted <= set(CONSENT_STATUSES):
                raise ValidationError(
                    self.env._(
                        "status must be one of %(statuses)s, not %(value)s.",
                        statuses=", ".join(CONSENT_STATUSES),
                        value=params["status"],
                    )
                )
            alternatives = []
            if "rejected" in wanted:
                alternatives.append([("date_revoked", "!=", False)])
            if "active" in wanted:
                alternatives.append([("is_current", "=", True)])
            if "inactive" in wanted:
                alternatives.append(
                    [("date_revoked", "=", False), ("is_current", "=", False)]
                )
            domain += fhir.domain_or(alternatives)
        if "date" in params:
            operator, value = fhir.split_prefix(params["date"])
            domain.append(("date_given", operator, fhir.parse_date(self.env, value)))
        return domain
