"""18.0.1.1.0: Odoo's Merge Contacts now keeps the circle's invariants. Relations
that earlier merges left behind (a partner related to itself, two overlapping
relations of one type between one pair) are folded as a merge now folds them.
The seeded Parent type gets its inverse code (CHILD) for the FHIR API, and every
referral its seeker's access token."""

from odoo import SUPERUSER_ID, api

# Relations that link a partner to itself (only merges could make them).
SELF_RELATIONS = "SELECT id FROM care_relation WHERE partner_id = related_partner_id"


def migrate(cr, version):
    if not version:
        return
    cr.execute(SELF_RELATIONS)
    ids = [row[0] for row in cr.fetchall()]
    env = api.Environment(cr, SUPERUSER_ID, {})
    Relation = env["care.relation"]
    ids += Relation._overlapping_duplicate_ids()
    Relation.browse(ids)._care_collapse_duplicates()
    # Every referral has its seeker's link (portal pages are read-only routes now).
    for referral in env["care.referral"].search([("access_token", "=", False)]):
        referral._portal_ensure_token()
    # Seeded types are noupdate: give Parent the inverse code the FHIR API reads.
    parent = env.ref("care_network.relation_type_parent", raise_if_not_found=False)
    if parent and parent.code == "PRN" and not parent.inverse_code:
        parent.inverse_code = "CHILD"
