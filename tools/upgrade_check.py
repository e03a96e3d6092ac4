"""Upgrade from the previous release: install version 18.0.1.0.0 (its commit, from
this repository's history) on a scratch database without demo data, create data
with it (including what Merge Contacts used to leave behind) and change a mail
template and a cron as an administrator would, switch to the current tree, run
``-u care_network``, and check the data, the migration, the access rules and the
administrator's changes afterwards; then ``-u`` once more, which keeps those
changes too.

Invoked by tools/test.sh; prints one line per check and exits non-zero on the first
failure.
"""

import ast
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from odoo_tests import MODULE, REPO_ROOT, ensure_template_db
from scratch import ScratchDb

# The release upgraded from, and its commit (tags may not travel with a clone).
PREVIOUS = ("18.0.1.0.0", "38e613f1ce7f9fbb8ebd5d57c12f22f3d1394cd0")
# CARE_UPGRADE_DB: another scratch database name, for runs side by side.
SCRATCH_DB = os.environ.get("CARE_UPGRADE_DB", f"{MODULE}_upgrade")
# What an agency's administrator rewords and reschedules on the previous release.
ADMIN_SUBJECT = "Agency reminder: {{ object.event_id.name }}"
ADMIN_BODY = "Our agency wording for reminders."
ADMIN_INTERVAL = [30, "minutes"]

CREATE = """
import json
from odoo import Command
Partner = env["res.partner"]
ref = env.ref
portal = ref("base.group_portal")
guardian_user = env["res.users"].create({
    "name": "Upgrade Guardian", "login": "upgrade_guardian",
    "email": "ug@example.com", "groups_id": [Command.set(portal.ids)]})
client = Partner.create({"name": "Upgrade Client", "is_care_client": True})
stranger = Partner.create({"name": "Upgrade Stranger", "is_care_client": True})
env["care.relation"].create({
    "partner_id": client.id, "related_partner_id": guardian_user.partner_id.id,
    "type_id": ref("care_network.relation_type_responsible_party").id,
    "can_view_profile": True, "can_view_referrals": True})
# Two contacts for one person, both the client's emergency contact, merged.
eli = {"name": "Eli Emergency", "email": "eli@example.com", "mobile": "+1 555 0100"}
first, twin = Partner.create([eli, eli])
emergency = ref("care_network.relation_type_emergency_contact")
env["care.relation"].create([
    {"partner_id": client.id, "related_partner_id": first.id, "type_id": emergency.id,
     "can_view_appointments": True},
    {"partner_id": client.id, "related_partner_id": twin.id, "type_id": emergency.id,
     "reminder_opt_in": True, "reminder_lead_hours": 6},
])
wizard = env["base.partner.merge.automatic.wizard"].create(
    {"dst_partner_id": first.id, "partner_ids": [Command.set([first.id, twin.id])]})
wizard.action_merge()
helper = env["res.users"].create({"name": "Upgrade Helper", "login": "upgrade_helper",
    "groups_id": [Command.set([ref("care_network.group_care_user").id])]})
program = env["care.program"].create({"name": "Upgrade Pantry",
    "provider_id": Partner.create({"name": "Upgrade Provider", "is_company": True}).id,
    "claimer_user_ids": [Command.set(helper.ids)]})
referral = env["care.referral"].with_user(helper).create(
    {"seeker_id": client.id, "program_id": program.id, "consent": True})
referral.set_state("sent")
# A reminder e-mail that failed to send: its copy is kept.
appointment = env["calendar.event"].with_context(no_mail_to_attendees=True).create({
    "name": "Upgrade Appointment", "start": "2030-01-07 10:00:00",
    "stop": "2030-01-07 11:00:00", "partner_ids": [Command.set(client.ids)]})
reminder = env["care.reminder"].create({
    "event_id": appointment.id, "event_start": appointment.start,
    "member_id": guardian_user.partner_id.id,
    "client_ids": [Command.set(client.ids)]})
env["mail.message"].create({"model": "care.reminder", "res_id": reminder.id,
    "message_type": "email_outgoing", "body": "Reminder of a private appointment"})
# The administrator rewords the reminder and reminds less often.
admin = ref("base.user_admin")
ref("care_network.mail_template_circle_reminder").with_user(admin).write(
    {"subject": %(subject)r, "body_html": "<p>%(body)s</p>"})
ref("care_network.ir_cron_circle_reminders").with_user(admin).write(
    {"interval_number": %(interval)r})
env.cr.commit()
print("IDS " + json.dumps({
    "client": client.id, "stranger": stranger.id, "guardian": guardian_user.id,
    "emergency": first.id, "referral": referral.id,
    "relations_before": len(client.care_relation_ids)}))
""" % {"subject": ADMIN_SUBJECT, "body": ADMIN_BODY, "interval": ADMIN_INTERVAL[0]}

# The administrator's changes, the shipped values of what they did not change, and
# the external ids still updatable by the next -u.
ADMIN_CHECK = """
import json
reminder = env.ref("care_network.mail_template_circle_reminder")
cron = env.ref("care_network.ir_cron_circle_reminders")
follow_up = env.ref("care_network.ir_cron_referral_follow_up")
referral_sent = env.ref("care_network.mail_template_referral_sent")
data = env["ir.model.data"].search([
    ("module", "=", "care_network"), ("model", "in", ("mail.template", "ir.cron"))])
print("ADMIN " + json.dumps({
    "reminder": [reminder.subject, %(body)r in reminder.body_html],
    "reminder_cron": [cron.interval_number, cron.interval_type],
    "follow_up_cron": [follow_up.interval_number, follow_up.interval_type],
    "referral_sent_links": "o_care_email_move" in referral_sent.body_html,
    "updatable": sorted(data.filtered(lambda row: not row.noupdate).mapped("name")),
}))
""" % {"body": ADMIN_BODY}

CHECK = """
import json
from odoo.exceptions import AccessError
ids = json.loads(%r)
module = env["ir.module.module"].search([("name", "=", "care_network")])
client = env["res.partner"].browse(ids["client"])
emergency = client.care_relation_ids.filtered(
    lambda r: r.related_partner_id.id == ids["emergency"])
referral = env["care.referral"].browse(ids["referral"])
guardian = env["res.users"].browse(ids["guardian"])
as_guardian = env["res.partner"].with_user(guardian)
try:
    as_guardian.browse(ids["stranger"]).read(["name"])
    stranger_hidden = False
except AccessError:
    stranger_hidden = True
print("CHECK " + json.dumps({
    "version": module.latest_version,
    "relations": len(client.care_relation_ids),
    "emergency_rows": len(emergency),
    "emergency_grants": [emergency[:1].can_view_appointments,
                         emergency[:1].reminder_opt_in],
    "referral": [referral.state, len(referral.status_log_ids)],
    "guardian_reads_client": as_guardian.browse(ids["client"]).name,
    "guardian_referrals": env["care.referral"].with_user(guardian).search([]).ids,
    "stranger_hidden": stranger_hidden,
    "parent_inverse_code": env.ref("care_network.relation_type_parent").inverse_code,
    "emergency_lead_hours": [emergency[:1].reminder_email_lead_hours,
                             emergency[:1].reminder_sms_lead_hours],
    "employer_related_kind": env.ref(
        "care_network.relation_type_employer").related_kind,
    "manager_type": bool(env.ref("care_network.relation_type_manager",
                                 raise_if_not_found=False)),
    "contact_kinds": sorted(client.care_relation_ids.mapped("contact_kind")),
    "emergency_phones": [(p.kind, p.number) for p in
                         emergency[:1].related_partner_id.care_phone_ids],
    "emergency_sms_number": emergency[:1]._reminder_sms_number(),
    "reminder_message_types": env["mail.message"].search(
        [("model", "=", "care.reminder")]).mapped("message_type"),
}))
"""


def previous_tree(folder):
    """The previous release's addon, written as ``folder/care_network``."""
    version, commit = PREVIOUS
    target = folder / MODULE
    target.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "archive", "--format=tar", commit],
        capture_output=True,
        check=False,
    )
    if archive.returncode:
        raise SystemExit(
            f"upgrade check FAILED: commit {commit} of {version} is not in this "
            f"clone's history ({archive.stderr.decode().strip()})"
        )
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    manifest = ast.literal_eval((target / "__manifest__.py").read_text())
    if manifest["version"] != version:
        raise SystemExit(f"upgrade check FAILED: {commit} is {manifest['version']}")
    return folder


def check_admin_changes(db, when):
    admin = json.loads(db.shell(ADMIN_CHECK, "ADMIN "))
    db.expect(
        f"{when}: the administrator's reminder wording kept",
        admin["reminder"],
        [ADMIN_SUBJECT, True],
    )
    db.expect(
        f"{when}: the administrator's reminder schedule kept",
        admin["reminder_cron"],
        ADMIN_INTERVAL,
    )
    db.expect(
        f"{when}: a cron added by the upgrade has its shipped schedule",
        admin["follow_up_cron"],
        [1, "hours"],
    )
    db.expect(
        f"{when}: a template no one changed has the shipped wording",
        admin["referral_sent_links"],
        True,
    )
    db.expect(f"{when}: every template and cron is noupdate", admin["updatable"], [])


def main():
    current = ast.literal_eval((REPO_ROOT / "__manifest__.py").read_text())["version"]
    print(f"==> Upgrade check: {PREVIOUS[0]} -> {current}")
    folder = Path(tempfile.mkdtemp(prefix="care_network_previous_"))
    try:
        template = ensure_template_db(demo=False)
        old = ScratchDb(SCRATCH_DB, template, "upgrade", previous_tree(folder))
        old.odoo("-i", MODULE, "--stop-after-init", "--without-demo=all")
        ids_json = old.shell(CREATE, "IDS ")
        before = json.loads(ids_json)
        old.expect(
            f"{PREVIOUS[0]}: the merge left the emergency contact twice",
            before["relations_before"],
            3,
        )
        new = ScratchDb.existing(SCRATCH_DB, "upgrade")
        new.odoo("-u", MODULE, "--stop-after-init")
        result = json.loads(new.shell(CHECK % ids_json, "CHECK "))
        expect = new.expect
        expect("installed version after -u", result["version"], current)
        expect("migration folded the merged duplicate", result["relations"], 2)
        expect("one emergency relation", result["emergency_rows"], 1)
        expect("grants of both kept", result["emergency_grants"], [True, True])
        expect("referral and its history intact", result["referral"], ["sent", 1])
        expect(
            "portal rule: guardian reads the granting client",
            result["guardian_reads_client"],
            "Upgrade Client",
        )
        expect(
            "portal rule: guardian sees the client's referral",
            result["guardian_referrals"],
            [before["referral"]],
        )
        expect("portal rule: stranger client hidden", result["stranger_hidden"], True)
        expect(
            "migration gave Parent its FHIR inverse code",
            result["parent_inverse_code"],
            "CHILD",
        )
        expect(
            "migration kept the single lead time for e-mail and SMS",
            result["emergency_lead_hours"],
            [6, 6],
        )
        expect(
            "migration told linked accounts from alternative contacts",
            result["contact_kinds"],
            ["alternative", "linked"],
        )
        expect(
            "migration made the contacts' numbers phone rows",
            result["emergency_phones"],
            [["mobile", "+1 555 0100"]],
        )
        expect(
            "migration kept the SMS number of the reminders",
            result["emergency_sms_number"],
            "+1 555 0100",
        )
        expect(
            "an Employer may be a person or an organisation",
            result["employer_related_kind"],
            "any",
        )
        expect("the Manager type is added", result["manager_type"], True)
        expect(
            "migration made kept reminder e-mails their member's",
            result["reminder_message_types"],
            ["user_notification"],
        )
        check_admin_changes(new, "after -u")
        new.odoo("-u", MODULE, "--stop-after-init")
        check_admin_changes(new, "after the next -u")
        new.drop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("upgrade check passed")


if __name__ == "__main__":
    main()
