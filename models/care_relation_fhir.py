from odoo import api, models
from odoo.exceptions import ValidationError
from odoo.osv import expression

from .. import fhir_codes as fhir

INVERSE_SUFFIX = "-inverse"


class CareRelation(models.Model):
    """A relation as FHIR RelatedPerson: ``RelatedPerson/<id>`` is the related
    partner as the client's; ``RelatedPerson/<id>-inverse`` the client as the
    related partner's, where the type has a code for that side."""

    _inherit = "care.relation"

    def _fhir_code(self, inverse):
        self.ensure_one()
        return self.type_id._fhir_inverse_code() if inverse else self.type_id.code

    @api.model
    def _fhir_related_people(self, page):
        """The RelatedPerson of each ``(relation, inverse)`` of ``page``, as the
        user reads them (see ``_fhir_related_person``)."""
        readable = fhir.Readable().among(
            self.env["res.partner"].union(
                *(r.partner_id | r.related_partner_id for r, _inverse in page)
            )
        )
        return [
            relation._fhir_related_person(inverse, readable)
            for relation, inverse in page
        ]

    def _fhir_related_person(self, inverse=False, readable=None):
        """The relation as RelatedPerson, serialised as the current user: the
        person's name, telecom and address, and the patient's name, only where
        the user may read that partner (else the person is left unnamed and the
        patient is a bare reference)."""
        self.ensure_one()
        readable = readable or fhir.Readable()
        relation_type = self.type_id
        if inverse:
            patient, person = self.related_partner_id, self.partner_id
            label = relation_type.get_inverse_label()
        else:
            patient, person = self.partner_id, self.related_partner_id
            label = relation_type.name
        person = readable(person)
        code = self._fhir_code(inverse)
        return fhir.compact(
            {
                "resourceType": "RelatedPerson",
                "id": f"{self.id}{INVERSE_SUFFIX if inverse else ''}",
                "meta": {"lastUpdated": fhir.instant(self.write_date)},
                "active": self.is_current,
                "patient": fhir.patient_reference(patient, readable),
                "relationship": [
                    fhir.codeable_concept(fhir.relation_system(code), code, label)
                ],
                "name": fhir.human_names(person.name),
                "telecom": fhir.contact_points(person),
                "address": fhir.addresses(person),
                "period": fhir.period(self.date_start, self.date_end),
            }
        )

    @api.model
    def _fhir_search_domains(self, params):
        """(forward, inverse) domains for ``patient``, ``relationship``, ``active``."""
        forward = [("type_id.code", "!=", False)]
        inverse = [
            "|",
            ("type_id.inverse_code", "!=", False),
            "&",
            ("type_id.symmetric", "=", True),
            ("type_id.code", "!=", False),
        ]
        if "patient" in params:
            patient = fhir.patient_id(self.env, params)
            forward.append(("partner_id", "=", patient))
            inverse.append(("related_partner_id", "=", patient))
        if "relationship" in params:
            code = fhir.token_code(params["relationship"])
            forward.append(("type_id.code", "=", code))
            inverse += [
                "|",
                ("type_id.inverse_code", "=", code),
                "&",
                "&",
                ("type_id.symmetric", "=", True),
                ("type_id.inverse_code", "=", False),
                ("type_id.code", "=", code),
            ]
        if "active" in params:
            if params["active"] not in ("true", "false"):
                raise ValidationError(
                    self.env._(
                        "active must be true or false, not %(value)s.",
                        value=params["active"],
                    )
                )
            current = [("is_current", "=", params["active"] == "true")]
            forward, inverse = (
                expression.AND([forward, current]),
                expression.AND([inverse, current]),
            )
        return forward, inverse

    @api.model
    def _fhir_search(self, params, offset, limit):
        """(total, [(relation, inverse)]) of one page: forward ones first."""
        forward, inverse = self._fhir_search_domains(params)
        forward_total = self.search_count(forward)
        total = forward_total + self.search_count(inverse)
        page = []
        if offset < forward_total:
            page += [
                (relation, False)
                for relation in self.search(
                    forward, offset=offset, limit=limit, order="id"
                )
            ]
        rest = limit - len(page)
        if rest > 0:
            inverse_offset = max(offset - forward_total, 0)
            page += [
                (relation, True)
                for relation in self.search(
                    inverse, offset=inverse_offset, limit=rest, order="id"
                )
            ]
        return total, page

    @api.model
    def _fhir_read(self, resource_id):
        """The (relation, inverse) a RelatedPerson id names, if the user may read
        it and its type has a code for that side; else None."""
        inverse = resource_id.endswith(INVERSE_SUFFIX)
        raw = resource_id[: -len(INVERSE_SUFFIX)] if inverse else resource_id
        if fhir.record_id(raw) is None:
            return None
        relation = self.search([("id", "=", int(raw))])
        if not relation or not relation._fhir_code(inverse):
            return None
        return relation, inverse
