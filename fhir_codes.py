"""Code systems the FHIR resources of the addon use, and the helpers that parse
FHIR search parameters (references, dates, instants, tokens)."""

from datetime import UTC, date, datetime

from odoo.exceptions import ValidationError
from odoo.osv import expression

LOCAL = "urn:care-network"
PARTNER_IDENTIFIER = f"{LOCAL}:partner"
REFERRAL_IDENTIFIER = f"{LOCAL}:referral"
PROGRAM_IDENTIFIER = f"{LOCAL}:program"
OUTCOME_SYSTEM = f"{LOCAL}:referral-outcome"
LOCAL_RELATION_SYSTEM = f"{LOCAL}:relation-type"
CONSENT_EXTENSION = f"{LOCAL}:consent"
CONSENT_SCOPE_SYSTEM = f"{LOCAL}:consent-scope"

# The HL7 Gravity SDOH Clinical Care profiles the referral resources follow.
SDOHCC = "http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition"
SDOHCC_SERVICE_REQUEST = f"{SDOHCC}/SDOHCC-ServiceRequest"
SDOHCC_TASK = f"{SDOHCC}/SDOHCC-TaskForReferralManagement"
SDOHCC_TEMPORARY_CODES = "http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes"
TASK_CODE = "http://hl7.org/fhir/CodeSystem/task-code"

# The boolean elements the resources use: False is a value there; anywhere else
# it is an Odoo empty field (an unset date, an empty many2one's name) and dropped.
BOOLEAN_ELEMENTS = frozenset({"active", "valueBoolean", "requestor"})
EMPTY = (None, "", [], {})

V3_ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
V3_ROLE_CLASS = "http://terminology.hl7.org/CodeSystem/v3-RoleClass"
V2_0131 = "http://terminology.hl7.org/CodeSystem/v2-0131"
# HL7 v2 table 0131 (contact role): the one- and two-letter codes.
V2_0131_CODES = {"BP", "C", "CP", "E", "EP", "F", "I", "N", "O", "PR", "S", "U"}
V3_ROLE_CLASS_CODES = {"RESPRSN"}

# A referral's status as a Task's (the closed loop) and as a ServiceRequest's.
TASK_STATUS = {
    "draft": "draft",
    "sent": "requested",
    "accepted": "accepted",
    "in_progress": "in-progress",
    "completed": "completed",
    "rejected": "rejected",
    "cancelled": "cancelled",
}
SERVICE_REQUEST_STATUS = {
    "draft": "draft",
    "sent": "active",
    "accepted": "active",
    "in_progress": "active",
    "completed": "completed",
    "rejected": "revoked",
    "cancelled": "revoked",
}


def relation_system(code):
    """The code system of a relation type's code."""
    if code.startswith("X-"):
        return LOCAL_RELATION_SYSTEM
    if code in V2_0131_CODES:
        return V2_0131
    if code in V3_ROLE_CLASS_CODES:
        return V3_ROLE_CLASS
    return V3_ROLE_CODE


def codeable_concept(system, code, display):
    return {
        "coding": [{"system": system, "code": code, "display": display}],
        "text": display,
    }


def reference(resource_type, record_id, display=None):
    value = {"reference": f"{resource_type}/{record_id}"}
    if display:
        value["display"] = display
    return value


class Readable:
    """The linked records a resource may show: those the user of their
    environment may read, as the ORM says (``_filtered_access``: the ACLs and
    record rules; then the user's own search, as a read of their fields does).
    A serialiser runs as the API key's user and passes every linked record
    through this before it reads a field of it; an unreadable one comes back
    empty (its fields read as False), so the resource keeps at most its id.

    ``among`` asks about a whole page's linked records at once (one check per
    model); a record not asked about yet is asked about on its own."""

    def __init__(self):
        self._asked = {}  # model name -> ids asked about
        self._granted = {}  # model name -> ids the user may read

    def among(self, records):
        asked = self._asked.setdefault(records._name, set())
        todo = records.browse([rid for rid in set(records.ids) if rid not in asked])
        if todo:
            asked.update(todo.ids)
            granted = todo._filtered_access("read")
            if granted:
                # What a read of their fields would find (a model such as
                # ir.attachment decides in its search, not in its rules).
                granted = granted.with_context(active_test=False).search(
                    [("id", "in", granted.ids)]
                )
            self._granted.setdefault(records._name, set()).update(granted.ids)
        return self

    def __call__(self, records):
        """Those of ``records`` the user may read (fetched with the other
        readable ones of the page, never with a forbidden one)."""
        self.among(records)
        granted = self._granted.get(records._name, set())
        return records.browse(
            [rid for rid in records.ids if rid in granted]
        ).with_prefetch(tuple(granted))


def patient_reference(partner, readable):
    """A reference to the client ``partner``: its name only if the user may
    read it."""
    return reference("Patient", partner.id, readable(partner).name)


def contact_points(partner):
    """FHIR telecom of a partner: e-mail, phone, mobile."""
    points = []
    for system, value, use in (
        ("email", partner.email, None),
        ("phone", partner.phone, None),
        ("phone", partner.mobile, "mobile"),
    ):
        if value:
            points.append(
                {"system": system, "value": value, **({"use": use} if use else {})}
            )
    return points


def addresses(partner):
    lines = [line for line in (partner.street, partner.street2) if line]
    address = {
        key: value
        for key, value in (
            ("line", lines),
            ("city", partner.city),
            ("postalCode", partner.zip),
            ("state", partner.state_id.name),
            ("country", partner.country_id.code),
        )
        if value
    }
    return [address] if address else []


def human_names(name):
    return [{"text": name}] if name else []


def period(start, end):
    value = {}
    if start:
        value["start"] = start.isoformat()
    if end:
        value["end"] = end.isoformat()
    return value


def instant(moment):
    """A FHIR instant from an Odoo UTC datetime."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00") if moment else None


def compact(resource):
    """Without empty values: FHIR allows no null, empty strings, lists or
    objects, and an Odoo ``False`` is a value only for a boolean element."""
    if isinstance(resource, dict):
        cleaned = {key: compact(value) for key, value in resource.items()}
        return {
            key: value
            for key, value in cleaned.items()
            if not _is_empty(value) and (value is not False or key in BOOLEAN_ELEMENTS)
        }
    if isinstance(resource, list):
        items = (compact(value) for value in resource)
        return [item for item in items if not _is_empty(item) and item is not False]
    return resource


def _is_empty(value):
    return not isinstance(value, bool) and value in EMPTY


# FHIR search prefixes of date parameters, as domain operators.
DATE_PREFIXES = {"eq": "=", "ne": "!=", "gt": ">", "lt": "<", "ge": ">=", "le": "<="}


def split_prefix(value):
    """'ge2026-01-01' -> ('>=', '2026-01-01'); no prefix means equal."""
    prefix = value[:2]
    if prefix in DATE_PREFIXES:
        return DATE_PREFIXES[prefix], value[2:]
    return "=", value


def reference_id(value, resource_type):
    """'Patient/12' or '12' -> 12; anything else -> None."""
    if "/" in value:
        kind, _sep, value = value.partition("/")
        if kind != resource_type:
            return None
    return record_id(value)


def record_id(value):
    """'12' -> 12; anything but ASCII digits PostgreSQL can hold -> None."""
    if not (value.isascii() and value.isdigit()):
        return None
    return int(value) if int(value) < 2**31 else None


def patient_id(env, params, name="patient"):
    """The client id of a search parameter naming a patient (Patient/<id> or <id>):
    ``patient`` or ``subject``."""
    client = reference_id(params[name], "Patient")
    if client is None:
        raise ValidationError(
            env._(
                "%(param)s must be Patient/<id>, not %(value)s.",
                param=name,
                value=params[name],
            )
        )
    return client


def domain_or(domains):
    """One domain matching any of ``domains``."""
    return expression.OR(domains) if domains else []


def parse_date(env, value, name="date"):
    """A search parameter's date (YYYY-MM-DD); ``name`` says which in the error."""
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise ValidationError(
            env._(
                "%(param)s must be a date (YYYY-MM-DD), not %(value)s.",
                param=name,
                value=value,
            )
        ) from error


def parse_moment(env, value, name="date"):
    """A date or instant (with or without its zone) as a naive UTC datetime."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise ValidationError(
            env._(
                "%(param)s must be a date or an instant, not %(value)s.",
                param=name,
                value=value,
            )
        ) from error
    if moment.tzinfo:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def token_code(value):
    """'system|code' or 'code' -> code."""
    return value.rpartition("|")[2]
