from odoo import api, models

from .. import fhir_codes as fhir


class ResPartner(models.Model):
    """A client as a FHIR Patient: the minimum the other resources need."""

    _inherit = "res.partner"

    def _fhir_patient(self):
        self.ensure_one()
        identifiers = [{"system": fhir.PARTNER_IDENTIFIER, "value": str(self.id)}]
        if self.ref:
            identifiers.append({"system": f"{fhir.LOCAL}:ref", "value": self.ref})
        return fhir.compact(
            {
                "resourceType": "Patient",
                "id": str(self.id),
                "meta": {"lastUpdated": fhir.instant(self.write_date)},
                "identifier": identifiers,
                "active": self.active,
                "name": fhir.human_names(self.name),
                "telecom": fhir.contact_points(self),
                "birthDate": self.birthdate.isoformat() if self.birthdate else None,
                "address": fhir.addresses(self),
            }
        )

    @api.model
    def _fhir_search_domain(self, params):
        """Patients are care clients; ``identifier``, ``name``, ``birthdate``."""
        domain = [("is_care_client", "=", True)]
        if "identifier" in params:
            value = fhir.token_code(params["identifier"])
            domain += (
                ["|", ("ref", "=", value), ("id", "=", fhir.record_id(value))]
                if fhir.record_id(value) is not None
                else [("ref", "=", value)]
            )
        if "name" in params:
            domain.append(("name", "ilike", params["name"]))
        if "birthdate" in params:
            operator, value = fhir.split_prefix(params["birthdate"])
            domain.append(
                ("birthdate", operator, fhir.parse_date(self.env, value, "birthdate"))
            )
        return domain
