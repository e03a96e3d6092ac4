"""Moving from OCA partner_multi_relation: install it (from its wheel, pinned in
tools/requirements-nodeps.txt) beside care_network on a scratch database, create
types and relations with its own models, run the import as a care manager (the
wizard proposes the addon's own types, its run copies in the background: the cron's
calls are made here), and check the circle that results from both sides; a second
run copies nothing, a relation added in between is copied once; both addons'
partner views load together.

Invoked by tools/test.sh; prints one line per check and exits non-zero on the
first failure.
"""

import json

from odoo_tests import MODULE, ensure_template_db
from scratch import ScratchDb

SCRATCH_DB = f"{MODULE}_pmr"
OCA = "partner_multi_relation"

CREATE = """
import json
Partner = env["res.partner"]
Type = env["res.partner.relation.type"]
Relation = env["res.partner.relation"]
ana = Partner.create({"name": "Ana Client", "is_care_client": True})
bob = Partner.create({"name": "Bob Parent"})
cy = Partner.create({"name": "Cy Sibling"})
acme = Partner.create({"name": "Acme Employer", "is_company": True})
parent = Type.create({"name": "is parent of", "name_inverse": "is child of",
                      "contact_type_left": "p", "contact_type_right": "p"})
sibling = Type.create({"name": "is sibling of", "name_inverse": "is sibling of",
                       "is_symmetric": True})
employer = Type.create({"name": "is employer of", "name_inverse": "is employee of",
                        "contact_type_left": "c", "contact_type_right": "p"})
mirror = Type.create({"name": "is own reference of", "name_inverse": "refers to",
                      "allow_self": True})
env["res.users"].create({"name": "PMR Manager", "login": "pmr_manager",
    "groups_id": [(4, env.ref("care_network.group_care_manager").id)]})
Relation.create([
    {"left_partner_id": bob.id, "right_partner_id": ana.id, "type_id": parent.id,
     "date_start": "2010-01-01"},
    {"left_partner_id": cy.id, "right_partner_id": ana.id, "type_id": sibling.id},
    {"left_partner_id": acme.id, "right_partner_id": ana.id, "type_id": employer.id,
     "date_start": "2020-03-01", "date_end": "2024-06-30"},
    {"left_partner_id": ana.id, "right_partner_id": ana.id, "type_id": mirror.id},
])
env.cr.commit()
print("IDS " + json.dumps({"ana": ana.id, "bob": bob.id, "cy": cy.id, "acme": acme.id,
                           "parent": parent.id}))
"""

IMPORT = """
import json
manager = env["res.users"].search([("login", "=", "pmr_manager")])
wizard = env["care.relation.import"].with_user(manager).create({})
lines = {line.source_name: line.target_type_id.name or None for line in wizard.line_ids}
action = wizard.action_import()
env.cr.commit()
job = env[action["res_model"]].browse(action["res_id"])
for _call in range(10):  # the cron's calls
    env["care.relation.import.job"]._cron_run()
    env.cr.commit()
    if job.state not in ("queued", "running"):
        break
told = job.message_ids.filtered(lambda m: manager.partner_id in m.partner_ids)
print("RESULT " + json.dumps({"summary": job.summary, "proposed": lines,
    "run": [job.state, job.progress, bool(told)]}))
"""

CIRCLE = """
import json
ids = json.loads(%r)
ana = env["res.partner"].browse(ids["ana"])
bob = env["res.partner"].browse(ids["bob"])
def rows(relations, side):
    return sorted([r[side].name, r.type_id.name, str(r.date_start or ""),
                   str(r.date_end or "")] for r in relations)
print("CIRCLE " + json.dumps({
    "ana": rows(ana.care_relation_ids, "related_partner_id"),
    "bob_belongs_to": [[r.partner_id.name, r.inverse_label]
                       for r in bob.care_related_to_ids],
    "types": sorted(env["care.relation.type"].search(
        [("name", "in", ("Parent", "Sibling", "Employer", "is own reference of",
                         "is parent of", "is sibling of", "is employer of"))]
    ).mapped("name")),
}))
"""

ADD = """
import json
ids = json.loads(%r)
env["res.partner.relation"].create({"left_partner_id": ids["bob"],
    "right_partner_id": ids["cy"], "type_id": ids["parent"]})
env.cr.commit()
print("ADDED yes")
"""

VIEWS = """
views = env["res.partner"].get_views([(False, "form"), (False, "list")])
menu = env.ref("care_network.menu_relation_import")
visible = menu.id in env["ir.ui.menu"]._visible_menu_ids()
blacklisted = menu.id in env["ir.ui.menu"]._load_menus_blacklist()
loaded = bool(views["views"]["form"]["arch"])
print("VIEWS " + str(loaded and visible and not blacklisted))
"""


def main():
    print(f"==> {OCA} check: import its relations, both addons side by side")
    db = ScratchDb(SCRATCH_DB, ensure_template_db(demo=False), "pmr")
    try:
        db.odoo("-i", f"{MODULE},{OCA}", "--stop-after-init", "--without-demo=all")
        ids_json = db.shell(CREATE, "IDS ")
        first = json.loads(db.shell(IMPORT, "RESULT "))
        summary = first["summary"]
        db.expect(
            "types: the addon's own proposed where the labels mean the same",
            (first["proposed"], summary.splitlines()[0]),
            (
                {
                    "is employer of": "Employer",
                    "is own reference of": None,
                    "is parent of": "Parent",
                    "is sibling of": "Sibling",
                },
                "Relation types: 1 created, 3 reused.",
            ),
        )
        db.expect(
            "the run ends done, and tells the manager who started it",
            first["run"],
            ["done", 100.0, True],
        )
        db.expect(
            "first run copies three relations",
            summary.splitlines()[1],
            "Relations: 3 copied, 0 copied before.",
        )
        db.expect(
            "the self-relation is skipped, and why",
            summary.splitlines()[2:],
            ["Skipped 1: a partner related to itself."],
        )
        circle = json.loads(db.shell(CIRCLE % ids_json, "CIRCLE "))
        db.expect(
            "Ana's circle, with the dates",
            circle["ana"],
            [
                ["Acme Employer", "Employer", "2020-03-01", "2024-06-30"],
                ["Bob Parent", "Parent", "2010-01-01", ""],
                ["Cy Sibling", "Sibling", "", ""],
            ],
        )
        db.expect(
            "read from Bob's side",
            circle["bob_belongs_to"],
            [["Ana Client", "Child"]],
        )
        again = json.loads(db.shell(IMPORT, "RESULT "))
        db.expect(
            "second run reuses the types and copies nothing",
            again["summary"].splitlines()[:2],
            [
                "Relation types: 0 created, 4 reused.",
                "Relations: 0 copied, 3 copied before.",
            ],
        )
        db.shell(ADD % ids_json, "ADDED ")
        third = json.loads(db.shell(IMPORT, "RESULT "))
        db.expect(
            "a relation added in between is copied once",
            third["summary"].splitlines()[1],
            "Relations: 1 copied, 3 copied before.",
        )
        db.expect(
            "no duplicate care type",
            circle["types"],
            ["Employer", "Parent", "Sibling", "is own reference of"],
        )
        db.expect(
            "both addons' partner views and our import menu load",
            db.shell(VIEWS, "VIEWS "),
            "True",
        )
    finally:
        db.drop()
    print(f"{OCA} check passed")


if __name__ == "__main__":
    main()
