# Runs inside `odoo-bin shell` on the benchmark database (``env`` is given), for
# `make loadtest`: passwords of the users it logs in as (once), the wards each
# guardian opens, and for each mover a pool of Sent referrals of its programs,
# disjoint so that no two users move the same referral. Prints CONFIG {json}.
# ruff: noqa: F821
import json

PASSWORD = "bench-password"
GUARDIANS, MOVERS, CLAIMERS, POOL = 60, 10, 10, 300

Users = env["res.users"].with_context(active_test=False)
guardians = Users.search(
    [("login", "=like", "bench_guardian_%")], limit=GUARDIANS, order="id"
)
staff = Users.search(
    [("login", "=like", "bench_staff_%")], limit=MOVERS + CLAIMERS, order="id"
)
flag = "care_network.loadtest_passwords"
if env["ir.config_parameter"].get_param(flag) != str(len(guardians | staff)):
    (guardians | staff).write({"password": PASSWORD})
    env["ir.config_parameter"].set_param(flag, str(len(guardians | staff)))

Relation = env["care.relation"]
guardian_type = env.ref("care_network.relation_type_guardian")
wards = []
for user in guardians:
    relation = Relation.search(
        [
            ("related_partner_id", "=", user.partner_id.id),
            ("can_view_profile", "=", True),
        ],
        limit=1,
    )
    wards.append([user.login, relation.partner_id.id])

movers, claimers = staff[:MOVERS], staff[MOVERS:]
pools, taken = {}, []
for user in movers:
    referrals = env["care.referral"].search(
        [
            ("state", "=", "sent"),
            ("program_id.claimer_user_ids", "in", user.id),
            ("id", "not in", taken),
        ],
        limit=POOL,
    )
    pools[user.login] = referrals.ids
    taken += referrals.ids

clients = env["res.partner"].search(
    [("ref", "=like", "bc%")], limit=200, order="id desc"
)
form_spec = {
    "name": {},
    "email": {},
    "phone": {},
    "street": {},
    "city": {},
    "care_role_ids": {"fields": {"display_name": {}}},
    "is_minor": {},
    "care_contact_preference": {},
    "care_relation_count": {},
    "care_referral_count": {},
    "care_goal_count": {},
    "care_circle_ids": {
        "fields": {
            "other_partner_name": {},
            "side_label": {},
            "contact_kind": {},
            "date_end": {},
            "is_current": {},
            "can_view_profile": {},
        },
        "limit": 40,
    },
}
env.cr.commit()
print(
    "CONFIG "
    + json.dumps(
        {
            "db": env.cr.dbname,
            "password": PASSWORD,
            "guardians": wards,
            "staff": movers.mapped("login"),
            "claimers": claimers.mapped("login"),
            "uids": {user.login: user.id for user in staff},
            "pools": pools,
            "clients": clients.ids,
            "circle_pairs": [
                [guardian_type.id, user.partner_id.id] for user in guardians
            ],
            "form_spec": form_spec,
            "reminder_cron": env.ref("care_network.ir_cron_circle_reminders").id,
        }
    )
)
