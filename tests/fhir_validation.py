"""Every resource the API serves, checked by two independent strict
implementations of the FHIR models and for empty values."""

from fhir.resources.R4B import get_fhir_model_class
from fhirclient.models.fhirelementfactory import FHIRElementFactory

from odoo.addons.care_network.fhir_codes import BOOLEAN_ELEMENTS


def empty_values(value, path="$", key=None):
    """Where ``value`` holds a null, an empty string, list or object, or a
    false that is not a boolean element's."""
    if value is None or (not isinstance(value, bool) and value in ("", [], {})):
        return [path]
    if value is False and key not in BOOLEAN_ELEMENTS:
        return [path]
    if isinstance(value, dict):
        return [
            problem
            for name, item in value.items()
            for problem in empty_values(item, f"{path}.{name}", name)
        ]
    if isinstance(value, list):
        return [
            problem
            for index, item in enumerate(value)
            for problem in empty_values(item, f"{path}[{index}]", key)
        ]
    return []


def validate(resource):
    """Raise AssertionError unless ``resource`` (and every resource of a
    Bundle) passes both model libraries and holds no empty value."""
    problems = empty_values(resource)
    if problems:
        raise AssertionError(f"empty values at {', '.join(problems)}")
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    FHIRElementFactory.instantiate(resource["resourceType"], resource)
    for entry in (
        resource.get("entry", []) if resource["resourceType"] == "Bundle" else []
    ):
        if "resource" in entry:
            validate(entry["resource"])
    return resource
