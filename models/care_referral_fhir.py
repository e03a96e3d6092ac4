from odoo import api, models
from odoo.exceptions import UserError, ValidationError

from .. import fhir_codes as fhir
from .care_referral import OUTCOMES

TASK_TO_STATE = {status: state for state, status in fhir.TASK_STATUS.items()}


class CareReferral(models.Model):
    """A referral as the FHIR pair the HL7 Gravity SDOH guide uses: the
    ServiceRequest (what is asked of whom) and the Task that tracks the loop."""

    _inherit = "care.referral"

    def _fhir_common(self):
        self.ensure_one()
        return {
            "id": str(self.id),
            "meta": {"lastUpdated": fhir.instant(self.write_date)},
            "identifier": [{"system": fhir.REFERRAL_IDENTIFIER, "value": self.name}],
            "intent": "order",
            "authoredOn": fhir.instant(self.create_date),
        }

    def _fhir_resources(self, resource_type):
        """The ServiceRequest or Task of each referral, as the user reads them:
        the linked records are asked about once for the whole batch."""
        readable = fhir.Readable().among(self.seeker_id).among(self.program_id)
        readable.among(self.company_id).among(readable(self.helper_user_id).partner_id)
        serialise = "_fhir_task" if resource_type == "Task" else "_fhir_service_request"
        return [getattr(referral, serialise)(readable) for referral in self]

    def _fhir_requester(self, readable):
        """Who asked: the helper, else the agency (the profiles require one), as
        far as the user may read them."""
        helper = readable(readable(self.helper_user_id).partner_id)
        name = helper.name or readable(self.company_id).name
        return {"display": name} if name else None

    def _fhir_categories(self, readable):
        """The services the program offers, else SDOH's "unspecified"."""
        tags = readable(readable(self.program_id).service_tag_ids)
        if tags:
            return [{"text": tag.name} for tag in tags]
        return [
            fhir.codeable_concept(
                fhir.SDOHCC_TEMPORARY_CODES,
                "sdoh-category-unspecified",
                "SDOH Category Unspecified",
            )
        ]

    def _fhir_program(self, readable):
        program = self.program_id
        return {
            "identifier": {"system": fhir.PROGRAM_IDENTIFIER, "value": str(program.id)},
            "display": readable(program).name,
        }

    def _fhir_outcome(self):
        return fhir.codeable_concept(
            fhir.OUTCOME_SYSTEM, self.outcome, dict(OUTCOMES)[self.outcome]
        )

    def _fhir_service_request(self, readable=None):
        """The referral as a ServiceRequest, serialised as the current user: a
        linked record (client, program, helper) shows its name only where the
        user may read it."""
        self.ensure_one()
        readable = readable or fhir.Readable()
        return fhir.compact(
            {
                "resourceType": "ServiceRequest",
                **self._fhir_common(),
                "meta": {
                    "lastUpdated": fhir.instant(self.write_date),
                    "profile": [fhir.SDOHCC_SERVICE_REQUEST],
                },
                "status": fhir.SERVICE_REQUEST_STATUS[self.state],
                "category": self._fhir_categories(readable),
                "code": {"text": readable(self.program_id).name},
                "subject": fhir.patient_reference(self.seeker_id, readable),
                "requester": self._fhir_requester(readable),
                "performer": [self._fhir_program(readable)],
                "note": [{"text": self.comment}] if self.comment else [],
            }
        )

    def _fhir_task(self, readable=None):
        """The referral's Task, serialised as the current user (as
        ``_fhir_service_request``)."""
        self.ensure_one()
        readable = readable or fhir.Readable()
        task = {
            "resourceType": "Task",
            **self._fhir_common(),
            "meta": {
                "lastUpdated": fhir.instant(self.write_date),
                "profile": [fhir.SDOHCC_TASK],
            },
            "status": fhir.TASK_STATUS[self.state],
            "code": {"coding": [{"system": fhir.TASK_CODE, "code": "fulfill"}]},
            "basedOn": [fhir.reference("ServiceRequest", self.id)],
            "focus": fhir.reference("ServiceRequest", self.id),
            "for": fhir.patient_reference(self.seeker_id, readable),
            "lastModified": fhir.instant(self.write_date),
            "requester": self._fhir_requester(readable),
            "owner": self._fhir_program(readable),
        }
        if self.outcome and self.state == "completed":
            task["output"] = [
                {
                    "type": {"text": "outcome"},
                    "valueCodeableConcept": self._fhir_outcome(),
                }
            ]
        elif self.outcome:
            task["statusReason"] = self._fhir_outcome()
        return fhir.compact(task)

    # --- search ----------------------------------------------------------------------
    @api.model
    def _fhir_search_domain(self, resource_type, params):
        """``patient``/``subject``, ``status``, ``_lastUpdated``; Tasks also
        ``owner`` (the program's id)."""
        domain = []
        for name in ("patient", "subject"):
            if name in params:
                domain.append(
                    ("seeker_id", "=", fhir.patient_id(self.env, params, name))
                )
        if "status" in params:
            statuses = (
                fhir.TASK_STATUS
                if resource_type == "Task"
                else fhir.SERVICE_REQUEST_STATUS
            )
            wanted = set(fhir.token_code(params["status"]).split(","))
            if not wanted <= set(statuses.values()):
                raise ValidationError(
                    self.env._(
                        "status must be one of %(statuses)s, not %(value)s.",
                        statuses=", ".join(sorted(set(statuses.values()))),
                        value=params["status"],
                    )
                )
            domain.append(
                (
                    "state",
                    "in",
                    [state for state, status in statuses.items() if status in wanted],
                )
            )
        if "_lastUpdated" in params:
            operator, value = fhir.split_prefix(params["_lastUpdated"])
            domain.append(
                (
                    "write_date",
                    operator,
                    fhir.parse_moment(self.env, value, "_lastUpdated"),
                )
            )
        if "owner" in params and resource_type == "Task":
            program = fhir.record_id(fhir.token_code(params["owner"]))
            if program is None:
                raise ValidationError(
                    self.env._(
                        "owner must be a program id, not %(value)s.",
                        value=params["owner"],
                    )
                )
            domain.append(("program_id", "=", program))
        return domain

    # --- writes ----------------------------------------------------------------------
    @api.model
    def _fhir_move_from_task(self, task):
        """(state, outcome, note) a Task sent by PUT or PATCH asks for."""
        status = task.get("status")
        if status not in TASK_TO_STATE:
            raise ValidationError(
                self.env._(
                    "Task.status %(status)s is not a referral status.", status=status
                )
            )
        outcome = False
        concepts = [task.get("statusReason") or {}] + [
            output.get("valueCodeableConcept") or {}
            for output in task.get("output") or []
        ]
        for concept in concepts:
            for coding in concept.get("coding") or []:
                if coding.get("code") in dict(OUTCOMES):
                    outcome = coding["code"]
        notes = [
            note.get("text") for note in task.get("note") or [] if note.get("text")
        ]
        return TASK_TO_STATE[status], outcome, "\n".join(notes) or False

    @api.model
    def _fhir_create(self, service_request):
        """A referral from a ServiceRequest: subject an existing client, performer
        a program (its identifier), the seeker's consent as an extension. Sent at
        once when its status is active."""
        seeker = fhir.reference_id(
            (service_request.get("subject") or {}).get("reference") or "", "Patient"
        )
        program = next(
            (
                performer["identifier"].get("value")
                for performer in service_request.get("performer") or []
                if (performer.get("identifier") or {}).get("system")
                == fhir.PROGRAM_IDENTIFIER
            ),
            None,
        )
        program = fhir.record_id(program) if isinstance(program, str) else None
        if not seeker or program is None:
            raise ValidationError(
                self.env._(
                    "A ServiceRequest needs subject Patient/<id> and a performer with "
                    "the identifier system %(system)s and a program id.",
                    system=fhir.PROGRAM_IDENTIFIER,
                )
            )
        if service_request.get("status") not in ("draft", "active"):
            raise ValidationError(
                self.env._("A new ServiceRequest is draft or active.")
            )
        consent = any(
            extension.get("url") == fhir.CONSENT_EXTENSION
            and extension.get("valueBoolean")
            for extension in service_request.get("extension") or []
        )
        client = self.env["res.partner"].search(
            [("id", "=", seeker), ("is_care_client", "=", True)]
        )
        target = self.env["care.program"].search([("id", "=", program)])
        if not client or not target:
            raise UserError(self.env._("No such client or program."))
        notes = [note.get("text") for note in service_request.get("note") or []]
        referral = self.create(
            {
                "seeker_id": client.id,
                "program_id": target.id,
                "consent": consent,
                "comment": "\n".join(filter(None, notes)) or False,
            }
        )
        if service_request["status"] == "active":
            referral.set_state("sent")
        return referral
