"""18.0.1.1.0: Odoo's Merge Contacts now keeps the circle's invariants. Relations
that earlier merges left behind (a partner related to itself, two overlapping
relations of one type between one pair) are folded as a merge now folds them.
The seeded Parent type gets its inverse code (CHILD) for the FHIR API."""

from odoo import SUPERUSER_ID, api

# Set-based, once: the relations to fold, found in one pass over the table.
CANDIDATES = """
    SELECT r.id
      FROM care_relation r
     WHERE r.partner_id = r.related_partner_id
    UNION
    SELECT r.id
      FROM care_relation r
      JOIN care_relation_type t ON t.id = r.type_id
      JOIN care_relation o ON o.type_id = r.type_id AND o.id != r.id
       AND ((o.partner_id = r.partner_id
             AND o.related_partner_id = r.related_partner_id)
            OR (t.symmetric
                AND o.partner_id = r.related_partner_id
                AND o.related_partner_id = r.partner_id))
       AND daterange(o.date_start, o.date_end, '[]')
           && daterange(r.date_start, r.date_end, '[]')
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute(CANDIDATES)
    ids = [row[0] for row in cr.fetchall()]
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["care.relation"].browse(ids)._care_collapse_duplicates()
    # Seeded types are noupdate: give Parent the inverse code the FHIR API reads.
    parent = env.ref("care_network.relation_type_parent", raise_if_not_found=False)
    if parent and parent.code == "PRN" and not parent.inverse_code:
        parent.inverse_code = "CHILD"
