"""18.0.1.4.0: the seeded relation types fit staffing agencies, and employers
have a stage. The types are
noupdate data: an Employer may now be a person, and an organisation (an employer,
a facility) may have emergency contacts and case managers. Types an administrator
already changed are left as they are."""

from odoo import SUPERUSER_ID, api

# (xml id, field, value shipped before, value shipped now)
KIND_CHANGES = [
    ("care_network.relation_type_employer", "related_kind", "organization", "any"),
    ("care_network.relation_type_emergency_contact", "partner_kind", "person", "any"),
    ("care_network.relation_type_case_manager", "partner_kind", "person", "any"),
]


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid, field, before, now in KIND_CHANGES:
        relation_type = env.ref(xmlid, raise_if_not_found=False)
        if relation_type and relation_type[field] == before:
            relation_type[field] = now
    stage_employers(env)


def stage_employers(env):
    """Employers get a stage: active when someone currently works for them through
    a relation, potential otherwise."""
    role = env.ref("care_network.role_employer", raise_if_not_found=False)
    employer_type = env.ref(
        "care_network.relation_type_employer", raise_if_not_found=False
    )
    if not role or not employer_type:
        return
    employers = env["res.partner"].search(
        [("care_role_ids", "in", role.ids), ("care_employer_stage", "=", False)]
    )
    working = env["care.relation"].search(
        [
            ("type_id", "=", employer_type.id),
            ("related_partner_id", "in", employers.ids),
            ("is_current", "=", True),
        ]
    )
    active = working.related_partner_id
    active.care_employer_stage = "active"
    (employers - active).care_employer_stage = "potential"
