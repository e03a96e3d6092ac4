from odoo import api, models
from odoo.exceptions import ValidationError

from .. import fhir_codes as fhir

AUDIT_EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type"
RESTFUL_INTERACTION = "http://hl7.org/fhir/restful-interaction"
OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role"


class CareAccessLog(models.Model):
    """A row of the access log as a FHIR AuditEvent: a RESTful read of the
    client's data by a person, through a relation when there was one."""

    _inherit = "care.access.log"

    def _fhir_audit_events(self):
        """The AuditEvent of each row, as the user reads them: the clients are
        asked about once for the whole batch."""
        readable = fhir.Readable().among(self.client_id)
        return [row._fhir_audit_event(readable) for row in self]

    def _fhir_audit_event(self, readable=None):
        """The row as an AuditEvent, serialised as the current user: the row's
        own copies (the viewer's name, the relation's label) as they were kept;
        the client's name only where the user may read the client, the viewer
        and the relation by id only."""
        self.ensure_one()
        readable = readable or fhir.Readable()
        what = dict(self._fields["what"]._description_selection(self.env))[self.what]
        who = {
            "identifier": {
                "system": fhir.PARTNER_IDENTIFIER,
                "value": str(self.partner_id.id),
            }
            if self.partner_id
            else None,
            "display": self.viewer_name,
        }
        if self.relation_id:
            who["reference"] = f"RelatedPerson/{self.relation_id.id}"
        entities = [
            {
                "what": fhir.patient_reference(self.client_id, readable),
                "role": {"system": OBJECT_ROLE, "code": "1", "display": "Patient"},
                "description": what,
            }
        ]
        record = self._fhir_record_reference()
        if record:
            entities.append({"what": record, "description": what})
        return fhir.compact(
            {
                "resourceType": "AuditEvent",
                "id": str(self.id),
                "type": {
                    "system": AUDIT_EVENT_TYPE,
                    "code": "rest",
                    "display": "RESTful Operation",
                },
                "subtype": [
                    {"system": RESTFUL_INTERACTION, "code": "read", "display": "read"}
                ],
                "action": "R",
                "recorded": fhir.instant(self.create_date),
                "outcome": "0",
                "agent": [
                    {
                        "who": who,
                        "name": self.viewer_name,
                        "requestor": True,
                        "role": [{"text": self.relation_label}]
                        if self.relation_label
                        else None,
                    }
                ],
                "source": {"observer": {"display": "Care Network"}},
                "entity": entities,
            }
        )

    def _fhir_record_reference(self):
        """The FHIR resource of the record that was read, where there is one."""
        served = {
            "care.referral": "ServiceRequest",
            "care.relation": "RelatedPerson",
        }
        if self.res_model in served and self.res_id:
            return {"reference": f"{served[self.res_model]}/{self.res_id}"}
        return None

    # --- search ----------------------------------------------------------------------
    @api.model
    def _fhir_search_domain(self, params):
        """``patient`` (Patient/<id>), ``agent`` (the viewer's partner identifier,
        ``system|id`` or ``id``), ``date`` (when the read happened)."""
        domain = []
        if "patient" in params:
            domain.append(("client_id", "=", fhir.patient_id(self.env, params)))
        if "agent" in params:
            viewer = fhir.record_id(fhir.token_code(params["agent"]))
            if viewer is None:
                raise ValidationError(
                    self.env._(
                        "agent must be the viewer's partner identifier, not %(value)s.",
                        value=params["agent"],
                    )
                )
            domain.append(("partner_id", "=", viewer))
        if "date" in params:
            operator, value = fhir.split_prefix(params["date"])
            domain.append(("create_date", operator, fhir.parse_moment(self.env, value)))
        return domain
