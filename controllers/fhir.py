"""A small FHIR R4 API: Patient, RelatedPerson, ServiceRequest, Task, Consent
and AuditEvent.

The Bearer token is an Odoo API key; every search and read runs as its owner, so
the ACLs and record rules decide what exists (a record the owner may not read is
"not found"). The records the ORM returned are serialised as the owner too (no
sudo): a linked record (a client, a relative, a program, a grantee) shows its
fields only where the owner may read it (see ``fhir_codes.Readable``)."""

import json
import re
from urllib.parse import urlencode

from psycopg2 import DataError

from odoo import fields, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

from .. import fhir_codes as fhir

BASE = "/fhir/R4"
FHIR_JSON = "application/fhir+json"
DEFAULT_COUNT = 20
MAX_COUNT = 100
SEARCH_PARAMS = {
    "Patient": {"identifier": "token", "name": "string", "birthdate": "date"},
    "RelatedPerson": {
        "patient": "reference",
        "relationship": "token",
        "active": "token",
    },
    "ServiceRequest": {
        "patient": "reference",
        "subject": "reference",
        "status": "token",
        "_lastUpdated": "date",
    },
    "Task": {
        "patient": "reference",
        "subject": "reference",
        "status": "token",
        "_lastUpdated": "date",
        "owner": "token",
    },
    "Consent": {"patient": "reference", "status": "token", "date": "date"},
    "AuditEvent": {"patient": "reference", "agent": "token", "date": "date"},
}
# Resources read and searched the same way: the model, and its serialiser.
PLAIN_RESOURCES = {
    "Consent": ("care.consent", "_fhir_consents"),
    "AuditEvent": ("care.access.log", "_fhir_audit_events"),
}
PROFILES = {
    "ServiceRequest": "http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/"
    "SDOHCC-ServiceRequest",
    "Task": "http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/"
    "SDOHCC-TaskForReferralManagement",
}
PAGING_PARAMS = {"_count", "_offset", "_format"}
BEARER = re.compile(r"^bearer\s+(\S+)$", re.IGNORECASE)


class FhirError(Exception):
    def __init__(self, status, code, diagnostics):
        super().__init__(diagnostics)
        self.status, self.code, self.diagnostics = status, code, diagnostics


def operation_outcome(code, diagnostics, severity="error"):
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "diagnostics": diagnostics}],
    }


def _holds_nul(value):
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


class CareFhir(http.Controller):
    # --- routes
    @http.route(
        f"{BASE}/metadata", type="http", auth="none", methods=["GET"], readonly=True
    )
    def fhir_metadata(self, **params):
        return self._respond(self._capability_statement())

    @http.route(
        [
            f"{BASE}/<string:resource_type>",
            f"{BASE}/<string:resource_type>/<string:resource_id>",
        ],
        type="http",
        auth="none",
        methods=["GET"],
        readonly=True,
        csrf=False,
        save_session=False,
    )
    def fhir_read(self, resource_type, resource_id=None, **params):
        return self._handle(self._read_or_search, resource_type, resource_id, params)

    @http.route(
        [
            f"{BASE}/<string:resource_type>",
            f"{BASE}/<string:resource_type>/<string:resource_id>",
        ],
        type="http",
        auth="none",
        methods=["POST", "PUT", "PATCH", "DELETE"],
        readonly=False,  # auth="none" routes are read-only unless said otherwise
        csrf=False,
        save_session=False,
    )
    def fhir_write(self, resource_type, resource_id=None, **params):
        return self._handle(self._write, resource_type, resource_id, params)

    @http.route(
        f"{BASE}/<path:path>",
        type="http",
        auth="none",
        methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        readonly=True,
        csrf=False,
        save_session=False,
    )
    def fhir_unknown(self, path, **params):
        """Any other path under the base answers FHIR too (never Odoo's page)."""
        return self._handle(self._unknown, path, None, params)

    def _unknown(self, path, _resource_id, _params):
        raise FhirError(404, "not-supported", "Nothing is served at this path.")

    @http.route(
        BASE,
        type="http",
        auth="none",
        methods=["POST"],
        readonly=False,
        csrf=False,
        save_session=False,
    )
    def fhir_transaction(self, **params):
        return self._handle(self._transaction, None, None, params)

    # --- plumbing
    def _handle(self, method, resource_type, resource_id, params):
        try:
            self._check_no_nul(resource_type, resource_id, params)
            self._authenticate()
            # A refused write leaves nothing behind.
            with request.env.cr.savepoint():
                return method(resource_type, resource_id, params)
        except FhirError as error:
            return self._respond(
                operation_outcome(error.code, error.diagnostics), status=error.status
            )
        except AccessError:
            return self._respond(
                operation_outcome("not-found", "No such resource."), status=404
            )
        except ValidationError as error:
            return self._respond(
                operation_outcome("invalid", error.args[0]), status=400
            )
        except DataError:
            # PostgreSQL refused a value of the request (out of range, badly
            # encoded): the savepoint above undid what the request had done.
            return self._respond(
                operation_outcome("invalid", "A value of the request is not valid."),
                status=400,
            )
        except UserError as error:
            return self._respond(
                operation_outcome("business-rule", error.args[0]), status=422
            )

    @staticmethod
    def _check_no_nul(*values):
        """A NUL byte is no character of a FHIR string (nor of a PostgreSQL one)."""
        if _holds_nul(list(values)):
            raise FhirError(400, "invalid", "The request holds a NUL character.")

    def _authenticate(self):
        match = BEARER.match(request.httprequest.headers.get("Authorization") or "")
        if not match:
            raise FhirError(401, "login", "Send an Odoo API key as a Bearer token.")
        uid = request.env["res.users.apikeys"]._check_credentials(
            scope="rpc", key=match.group(1)
        )
        if not uid:
            raise FhirError(401, "login", "This API key is not valid (or was revoked).")
        request.update_env(user=uid)

    def _respond(self, resource, status=200, headers=()):
        return request.make_response(
            json.dumps(resource),
            status=status,
            headers=[("Content-Type", FHIR_JSON), *headers],
        )

    @staticmethod
    def _not_found():
        return FhirError(404, "not-found", "No such resource.")

    # --- read and search
    def _read_or_search(self, resource_type, resource_id, params):
        if resource_type not in SEARCH_PARAMS:
            raise FhirError(
                404, "not-supported", f"{resource_type} is not served here."
            )
        if resource_id is None:
            return self._search(resource_type, params)
        resource = self._read(resource_type, resource_id)
        if resource is None:
            raise self._not_found()
        return self._respond(resource)

    def _read(self, resource_type, resource_id):
        env = request.env
        if resource_type in PLAIN_RESOURCES:
            return self._read_plain(resource_type, resource_id)
        if resource_type == "RelatedPerson":
            found = env["care.relation"]._fhir_read(resource_id)
            if not found:
                return None
            relation, inverse = found
            env["care.access.log"]._log_fhir(relation)
            return relation._fhir_related_person(inverse)
        record_id = fhir.record_id(resource_id)
        if record_id is None:
            return None
        if resource_type == "Patient":
            partner = env["res.partner"].search(
                [("id", "=", record_id), ("is_care_client", "=", True)]
            )
            env["care.access.log"]._log_fhir(partner)
            return partner._fhir_patient() if partner else None
        referral = env["care.referral"].search([("id", "=", record_id)])
        if not referral:
            return None
        env["care.access.log"]._log_fhir(referral)
        return referral._fhir_resources(resource_type)[0]

    def _plain_model(self, resource_type):
        model_name, serialise = PLAIN_RESOURCES[resource_type]
        model = request.env[model_name]
        if not model.has_access("read"):
            raise FhirError(
                403, "forbidden", f"This key may not read {resource_type} resources."
            )
        return model, serialise

    def _read_plain(self, resource_type, resource_id):
        model, serialise = self._plain_model(resource_type)
        record_id = fhir.record_id(resource_id)
        record = model.search([("id", "=", record_id)]) if record_id else model
        if not record:
            return None
        if resource_type == "Consent":
            request.env["care.access.log"]._log_fhir(record)
        return getattr(record, serialise)()[0]

    def _search_plain(self, resource_type, criteria, offset, count):
        model, serialise = self._plain_model(resource_type)
        domain = model._fhir_search_domain(criteria)
        records = model.search(domain, offset=offset, limit=count, order="id")
        if resource_type == "Consent":
            request.env["care.access.log"]._log_fhir(records)
        return model.search_count(domain), getattr(records, serialise)()

    def _search(self, resource_type, params):
        unknown = set(params) - set(SEARCH_PARAMS[resource_type]) - PAGING_PARAMS
        if unknown:
            raise FhirError(
                400,
                "not-supported",
                f"Unknown search parameter(s) for {resource_type}: "
                f"{', '.join(sorted(unknown))}.",
            )
        count, offset = self._paging(params)
        criteria = {
            key: value for key, value in params.items() if key not in PAGING_PARAMS
        }
        env = request.env
        if resource_type in PLAIN_RESOURCES:
            total, resources = self._search_plain(
                resource_type, criteria, offset, count
            )
        elif resource_type == "RelatedPerson":
            total, page = env["care.relation"]._fhir_search(criteria, offset, count)
            resources = env["care.relation"]._fhir_related_people(page)
            env["care.access.log"]._log_fhir(
                env["care.relation"].union(*(relation for relation, _inv in page))
            )
        elif resource_type == "Patient":
            Partner = env["res.partner"]
            domain = Partner._fhir_search_domain(criteria)
            total = Partner.search_count(domain)
            partners = Partner.search(domain, offset=offset, limit=count, order="id")
            resources = [partner._fhir_patient() for partner in partners]
            env["care.access.log"]._log_fhir(partners)
        else:
            Referral = env["care.referral"]
            domain = Referral._fhir_search_domain(resource_type, criteria)
            total = Referral.search_count(domain)
            referrals = Referral.search(domain, offset=offset, limit=count, order="id")
            resources = referrals._fhir_resources(resource_type)
            env["care.access.log"]._log_fhir(referrals)
        return self._respond(
            self._bundle(resource_type, criteria, resources, total, offset, count)
        )

    def _paging(self, params):
        count = fhir.record_id(str(params.get("_count", DEFAULT_COUNT)))
        offset = fhir.record_id(str(params.get("_offset", 0)))
        if count is None or offset is None:
            raise FhirError(400, "invalid", "_count and _offset are whole numbers.")
        if not 0 < count <= MAX_COUNT or offset < 0:
            raise FhirError(
                400, "invalid", f"_count is 1 to {MAX_COUNT} and _offset 0 or more."
            )
        return count, offset

    def _bundle(self, resource_type, criteria, resources, total, offset, count):
        base = request.httprequest.url_root.rstrip("/") + BASE

        def url(at):
            query = urlencode({**criteria, "_count": count, "_offset": at})
            return f"{base}/{resource_type}?{query}"

        links = [{"relation": "self", "url": url(offset)}]
        if offset + count < total:
            links.append({"relation": "next", "url": url(offset + count)})
        if offset:
            links.append({"relation": "previous", "url": url(max(offset - count, 0))})
        return fhir.compact(
            {
                "resourceType": "Bundle",
                "type": "searchset",
                "total": total,
                "link": links,
                "entry": [
                    {
                        "fullUrl": (
                            f"{base}/{resource['resourceType']}/{resource['id']}"
                        ),
                        "resource": resource,
                        "search": {"mode": "match"},
                    }
                    for resource in resources
                ],
            }
        )

    # --- writes
    def _body(self):
        try:
            body = json.loads(request.httprequest.get_data() or b"null")
        except ValueError as error:
            raise FhirError(400, "invalid", "The body is not JSON.") from error
        if _holds_nul(body):
            raise FhirError(400, "invalid", "The body holds a NUL character.")
        return body

    def _write(self, resource_type, resource_id, params):
        try:
            return self._write_resource(resource_type, resource_id)
        except (AttributeError, KeyError, TypeError) as error:
            # A body of the wrong shape (a number where an object belongs, a list
            # for a reference) breaks the reading of it: the client's mistake.
            raise FhirError(
                400, "structure", f"The {resource_type} sent is malformed."
            ) from error

    def _write_resource(self, resource_type, resource_id):
        method = request.httprequest.method
        if (
            resource_type == "ServiceRequest"
            and method == "POST"
            and resource_id is None
        ):
            referral = self._create_service_request(self._body())
            location = f"{BASE}/ServiceRequest/{referral.id}"
            return self._respond(
                referral._fhir_service_request(),
                status=201,
                headers=[("Location", location)],
            )
        if resource_type == "Task" and method in ("PUT", "PATCH") and resource_id:
            return self._respond(self._update_task(resource_id, method, self._body()))
        raise FhirError(
            405, "not-supported", f"{method} is not supported on {resource_type}."
        )

    def _create_service_request(self, body):
        if not request.env["care.referral"].has_access("create"):
            raise FhirError(403, "forbidden", "This key may not create referrals.")
        if not isinstance(body, dict) or body.get("resourceType") != "ServiceRequest":
            raise FhirError(400, "invalid", "Send a ServiceRequest resource.")
        return request.env["care.referral"]._fhir_create(body)

    def _update_task(self, resource_id, method, body):
        referral = request.env["care.referral"]
        if fhir.record_id(resource_id) is not None:
            referral = referral.search([("id", "=", fhir.record_id(resource_id))])
        if not referral:
            raise self._not_found()
        task = referral._fhir_task()
        if method == "PUT":
            if not isinstance(body, dict) or body.get("resourceType") != "Task":
                raise FhirError(400, "invalid", "Send a Task resource.")
            task = body
        else:
            task = self._apply_patch(task, body)
        state, outcome, note = referral._fhir_move_from_task(task)
        if state != referral.state:
            referral.set_state(state, outcome=outcome, note=note)
        return referral._fhir_task()

    @staticmethod
    def _apply_patch(task, operations):
        """A JSON Patch on the Task's top-level elements (status, statusReason,
        output, note): what a status move needs."""
        if not isinstance(operations, list):
            raise FhirError(400, "invalid", "PATCH takes a JSON Patch (a list).")
        task = dict(task)
        for operation in operations:
            if not isinstance(operation, dict):
                raise FhirError(
                    400, "invalid", "Each JSON Patch operation is an object."
                )
            path = str(operation.get("path", "")).strip("/")
            if operation.get("op") not in ("replace", "add") or "/" in path or not path:
                raise FhirError(
                    400, "invalid", "Only replace or add of Task elements is supported."
                )
            task[path] = operation.get("value")
        return task

    def _transaction(self, _resource_type, _resource_id, params):
        """A transaction Bundle: a ServiceRequest and its Task, created together."""
        try:
            return self._transaction_bundle()
        except (AttributeError, KeyError, TypeError) as error:
            # As in _write: a bundle of the wrong shape is the client's mistake.
            raise FhirError(
                400, "structure", "The Bundle sent is malformed."
            ) from error

    def _transaction_bundle(self):
        bundle = self._body()
        if (
            not isinstance(bundle, dict)
            or bundle.get("resourceType") != "Bundle"
            or (bundle.get("type") != "transaction")
        ):
            raise FhirError(400, "invalid", "Send a transaction Bundle.")
        entries = bundle.get("entry") or []
        requests = [
            entry.get("resource") or {}
            for entry in entries
            if (entry.get("resource") or {}).get("resourceType") == "ServiceRequest"
        ]
        tasks = [
            entry.get("resource") or {}
            for entry in entries
            if (entry.get("resource") or {}).get("resourceType") == "Task"
        ]
        if (
            len(requests) != 1
            or len(tasks) > 1
            or len(entries) != len(requests) + len(tasks)
        ):
            raise FhirError(
                400,
                "invalid",
                "A transaction holds one ServiceRequest and at most its Task.",
            )
        service_request = dict(requests[0])
        if tasks and tasks[0].get("status") == "requested":
            service_request["status"] = "active"
        referral = self._create_service_request(service_request)
        response_entries = [
            {
                "response": {
                    "status": "201 Created",
                    "location": f"ServiceRequest/{referral.id}",
                }
            }
        ]
        if tasks:
            response_entries.append(
                {
                    "response": {
                        "status": "201 Created",
                        "location": f"Task/{referral.id}",
                    }
                }
            )
        return self._respond(
            {
                "resourceType": "Bundle",
                "type": "transaction-response",
                "entry": response_entries,
            }
        )

    # --- what is served
    def _capability_statement(self):
        def resource(kind, interactions):
            return {
                "type": kind,
                **({"supportedProfile": [PROFILES[kind]]} if kind in PROFILES else {}),
                "interaction": [{"code": code} for code in interactions],
                "searchParam": [
                    {"name": name, "type": kind_of}
                    for name, kind_of in SEARCH_PARAMS[kind].items()
                ],
            }

        return {
            "resourceType": "CapabilityStatement",
            "status": "active",
            "date": fields.Date.today().isoformat(),
            "publisher": "Care Network",
            "kind": "instance",
            "software": {"name": "care_network"},
            "implementation": {
                "description": "Care Network: circles of care, closed-loop referrals",
                "url": request.httprequest.url_root.rstrip("/") + BASE,
            },
            "fhirVersion": "4.0.1",
            "format": [FHIR_JSON, "json"],
            "rest": [
                {
                    "mode": "server",
                    "security": {
                        "description": "An Odoo API key of the user, as a Bearer token."
                    },
                    "resource": [
                        resource("Patient", ("read", "search-type")),
                        resource("RelatedPerson", ("read", "search-type")),
                        resource("ServiceRequest", ("read", "search-type", "create")),
                        resource("Task", ("read", "search-type", "update", "patch")),
                        resource("Consent", ("read", "search-type")),
                        resource("AuditEvent", ("read", "search-type")),
                    ],
                    "documentation": (
                        "Referrals follow the HL7 Gravity SDOH Clinical Care profiles "
                        "for referral management (ServiceRequest and Task). A program "
                        "without a login is the guide's light recipient: it answers "
                        "the Task from the link e-mailed to it, and its moves show "
                        "here as Task status changes."
                    ),
                    "interaction": [{"code": "transaction"}],
                }
            ],
        }
