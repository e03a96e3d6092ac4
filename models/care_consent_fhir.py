from odoo import api, fields, models
from odoo.exceptions import ValidationError

from . import fhir_codes as fhir

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

    def _fhir_consent(self):
        self.ensure_one()
        client = self.client_id
        attachment = self.attachment_ids[:1]
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
                "patient": fhir.reference("Patient", client.id, client.name),
                "dateTime": fhir.instant(fields.Datetime.to_datetime(self.date_given)),
                "performer": [self._fhir_given_by()],
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
                    "actor": self._fhir_actors(),
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

    def _fhir_given_by(self):
        given_by = self.given_by_id
        if given_by == self.client_id:
            return fhir.reference("Patient", given_by.id, given_by.name)
        return {
            "identifier": {
                "system": fhir.PARTNER_IDENTIFIER,
                "value": str(given_by.id),
            },
            "display": given_by.name,
        }

    def _fhir_actors(self):
        """Who the consent lets see the client's data: a person, a program or an
        organisation, as the recipient (IRCP)."""
        role = {"coding": [{"system": PARTICIPATION, "code": "IRCP"}]}
        actors = []
        if self.grantee_partner_id:
            actors.append(
                {
                    "role": role,
                    "reference": {
                        "identifier": {
                            "system": fhir.PARTNER_IDENTIFIER,
                            "value": str(self.grantee_partner_id.id),
                        },
                        "display": self.grantee_partner_id.name,
                    },
                }
            )
        if self.program_id:
            actors.append(
                {
                    "role": role,
                    "reference": {
                        "identifier": {
                            "system": fhir.PROGRAM_IDENTIFIER,
                            "value": str(self.program_id.id),
                        },
                        "display": self.program_id.name,
                    },
                }
            )
        if self.organization_id:
            actors.append(
                {
                    "role": role,
                    "reference": {
                        "identifier": {
                            "system": fhir.PARTNER_IDENTIFIER,
                            "value": str(self.organization_id.id),
                        },
                        "display": self.organization_id.name,
                    },
                }
            )
        return actors

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
