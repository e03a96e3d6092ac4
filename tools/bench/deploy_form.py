"""`make bench`, case f_deploy: a client's form as care staff's web client reads it
in a deployment beside Odoo's usual apps (sale, account, crm, project, hr, website,
sms, mass_mailing: the deployment suite's template), with the addon's fields
against the same form without them. The database (the apps, the addon, 5,000
clients with two relations each, one with a circle of 6 and one of 20) is built once
per release and template and kept; code changes within a release come in by `-u`.

Prints ``RESULT {json}`` (bench.py's compare() output for the case, the number of
fields). Run by tools/bench.py; alone: ``cd tools && python bench/deploy_form.py``
(with tools/common.sh's variables exported).
"""

import ast
import hashlib
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from odoo_tests import (
    DEPLOY_APPS,
    MODULE,
    REPO_ROOT,
    database_exists,
    ensure_template_db,
    odoo_command,
)
from scratch import ScratchDb

BENCH_DIR = Path(__file__).resolve().parent
STAFF_LOGIN = "bench_deploy_staff"

# The staff member works in the apps too: their groups bring the apps' fields and
# smart buttons onto the contact form, as in a deployment.
DATA = """
from odoo import Command

Partner = env["res.partner"].with_context(tracking_disable=True)
Relation = env["care.relation"].with_context(tracking_disable=True)
ref = env.ref
groups = [
    "care_network.group_care_user",
    "sales_team.group_sale_salesman_all_leads",
    "account.group_account_invoice",
    "project.group_project_user",
    "hr.group_hr_user",
    "mass_mailing.group_mass_mailing_user",
]
env["res.users"].create({
    "name": "Deployment Staff", "login": %(login)r, "password": %(login)r,
    "groups_id": [Command.link(ref(xmlid).id) for xmlid in groups],
})
types = [ref("care_network.relation_type_" + name) for name in (
    "emergency_contact", "sibling", "friend", "parent", "guardian",
)]
clients = Partner.create([
    {"name": f"Deployment Client {i}", "is_care_client": True, "ref": f"dc{i}"}
    for i in range(5000)
])
contacts = Partner.create([
    {"name": f"Deployment Contact {i}", "email": f"dc{i}@example.com"}
    for i in range(5000)
])
Relation.create([
    {"partner_id": client.id, "related_partner_id": contacts[(i + k) %% 5000].id,
     "type_id": types[k %% 2].id}
    for i, client in enumerate(clients) for k in range(2)
])
for ref_, rows in (("deploy-client", 6), ("deploy-circle", 20)):
    client = Partner.create({"name": ref_, "is_care_client": True, "ref": ref_,
                             "email": ref_ + "@example.com"})
    Relation.create([
        {"partner_id": client.id, "related_partner_id": contacts[i].id,
         "type_id": types[i %% len(types)].id}
        for i in range(rows)
    ])
env.cr.commit()
print("DATA", len(clients))
"""

# The case: a client with a circle of 6, as bench f's (3 to 6); the same form of a
# client with a circle of 20 is printed beside it, without a target.
MEASURE = """
staff = env["res.users"].search([("login", "=", %(login)r)])
Partner = env["res.partner"].with_user(staff)


def form(ref_):
    client = Partner.search([("ref", "=", ref_)])
    care_spec, base_spec = form_specs(client)
    return compare(
        lambda: client.web_read(care_spec), lambda: client.web_read(base_spec)
    ), care_spec, base_spec


result, care_spec, base_spec = form("deploy-client")
result["fields"] = len(care_spec)
result["addon_fields"] = len(set(care_spec) - set(base_spec))
result["circle_of_20"] = form("deploy-circle")[0]
print("RESULT " + json.dumps(result))
"""


def database_name(template):
    key = hashlib.sha1(DATA.encode())
    manifest = ast.literal_eval((REPO_ROOT / "__manifest__.py").read_text())
    key.update(manifest["version"].encode())
    key.update(template.encode())
    return f"{MODULE}_bench_deploy_{key.hexdigest()[:10]}"


def prepare():
    template = ensure_template_db(DEPLOY_APPS, demo=False)
    name = database_name(template)
    if database_exists(name):
        db = ScratchDb.existing(name, "bench_deploy")
        db.odoo("-u", MODULE, "--stop-after-init")
        return db
    print(
        f"==> f_deploy: building {name} (Odoo's usual apps, the addon, 5,000 clients)"
    )
    building = ScratchDb(f"{name}_building", template, "bench_deploy")
    building.odoo("-i", MODULE, "--stop-after-init", "--without-demo=all")
    building.shell(DATA % {"login": STAFF_LOGIN}, "DATA")
    subprocess.run(
        odoo_command(subcommand="db") + ["rename", building.name, name],
        check=True,
        capture_output=True,
    )
    return ScratchDb.existing(name, "bench_deploy")


def main():
    db = prepare()
    script = (BENCH_DIR / "form_spec.py").read_text() + "\nimport json\n"
    print("RESULT " + db.shell(script + MEASURE % {"login": STAFF_LOGIN}, "RESULT "))
    return 0


if __name__ == "__main__":
    sys.exit(main())
