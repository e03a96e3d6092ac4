"""Install, uninstall and reinstall the addon on a scratch database, and check
that partners, users and calendar events created meanwhile are intact.

Invoked by tools/test.sh after the Odoo tests; prints one line per check and
exits non-zero on the first failure.
"""

import json

from odoo_tests import MODULE, ensure_template_db
from scratch import ScratchDb

SCRATCH_DB = f"{MODULE}_uninstall"

CREATE = """
import json
from datetime import datetime, timedelta
Partner = env["res.partner"]
client = Partner.create({"name": "Uninstall Client", "email": "uc@example.com",
                         "is_care_client": True, "birthdate": "1980-05-01"})
relative = Partner.create({"name": "Uninstall Relative"})
env["care.relation"].create({"partner_id": client.id,
    "related_partner_id": relative.id,
    "type_id": env.ref("care_network.relation_type_emergency_contact").id})
user = env["res.users"].create({"name": "Uninstall User", "login": "uninstall_user",
    "groups_id": [(6, 0, [env.ref("care_network.group_care_user").id])]})
start = datetime(2030, 1, 2, 9, 0)
event = env["calendar.event"].with_context(no_mail_to_attendees=True).create({
    "name": "Uninstall Appointment", "start": start, "stop": start + timedelta(hours=1),
    "partner_ids": [(6, 0, [client.id, relative.id])]})
env.cr.commit()
print("IDS " + json.dumps({"partners": [client.id, relative.id], "user": user.id,
                           "event": event.id}))
"""

UNINSTALL = """
module = env["ir.module.module"].search([("name", "=", "care_network")])
module.button_immediate_uninstall()
env.cr.commit()
print("UNINSTALLED")
"""

CHECK = """
import json
ids = json.loads(%r)
state = env["ir.module.module"].search([("name", "=", "care_network")]).state
partners = env["res.partner"].browse(ids["partners"]).exists()
user = env["res.users"].browse(ids["user"]).exists()
event = env["calendar.event"].browse(ids["event"]).exists()
env.cr.execute("SELECT to_regclass('care_relation') IS NOT NULL")
tables = env.cr.fetchone()[0]
print("CHECK " + json.dumps({
    "state": state,
    "partners": sorted(partners.mapped("name")),
    "user": user.login,
    "user_active": user.active,
    "event": event.name,
    "event_attendees": sorted(event.partner_ids.mapped("name")),
    "care_tables": tables,
}))
"""


def check(db, ids_json, installed):
    result = json.loads(db.shell(CHECK % ids_json, "CHECK "))
    expect = db.expect
    phase = "after reinstall" if installed else "after uninstall"
    expect(
        f"module state {phase}",
        result["state"],
        "installed" if installed else "uninstalled",
    )
    expect(
        f"partners intact {phase}",
        result["partners"],
        ["Uninstall Client", "Uninstall Relative"],
    )
    expect(
        f"user intact {phase}",
        (result["user"], result["user_active"]),
        ("uninstall_user", True),
    )
    expect(
        f"calendar event intact {phase}",
        (result["event"], result["event_attendees"]),
        ("Uninstall Appointment", ["Uninstall Client", "Uninstall Relative"]),
    )
    tables = "care tables present" if installed else "care tables gone"
    expect(f"{tables} {phase}", result["care_tables"], installed)


def main():
    db = ScratchDb(SCRATCH_DB, ensure_template_db(), "uninstall")
    print("==> Uninstall check: install, create data, uninstall, reinstall")
    db.odoo("-i", MODULE, "--stop-after-init", "--without-demo=all")
    ids_json = db.shell(CREATE, "IDS ")
    db.shell(UNINSTALL, "UNINSTALLED")
    check(db, ids_json, installed=False)
    db.odoo("-i", MODULE, "--stop-after-init", "--without-demo=all")
    check(db, ids_json, installed=True)
    db.drop()
    print("uninstall check passed")


if __name__ == "__main__":
    main()
