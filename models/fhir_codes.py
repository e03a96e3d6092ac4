"""Code systems the FHIR resources of the addon use."""

LOCAL = "urn:care-network"
PARTNER_IDENTIFIER = f"{LOCAL}:partner"
REFERRAL_IDENTIFIER = f"{LOCAL}:referral"
PROGRAM_IDENTIFIER = f"{LOCAL}:program"
OUTCOME_SYSTEM = f"{LOCAL}:referral-outcome"
LOCAL_RELATION_SYSTEM = f"{LOCAL}:relation-type"
CONSENT_EXTENSION = f"{LOCAL}:consent"

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
    """Without empty values: FHIR allows no empty strings, lists or objects."""
    if isinstance(resource, dict):
        cleaned = {key: compact(value) for key, value in resource.items()}
        return {
            key: value
            for key, value in cleaned.items()
            if value not in (None, "", [], {})
        }
    if isinstance(resource, list):
        return [
            item
            for item in (compact(value) for value in resource)
            if item not in (None, "", [], {})
        ]
    return resource


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
    return int(value) if value.isdigit() and int(value) < 2**31 else None


def token_code(value):
    """'system|code' or 'code' -> code."""
    return value.rpartition("|")[2]
