# Runs inside `odoo-bin shell` on the bench database (``env`` is given), after
# form_spec.py (compare, summary, web_client_spec). Prints one line: RESULT {json}
# with the timings and query plans.
# ruff: noqa: F821
import json
import statistics
import time

from odoo.addons.care_network.models.care_relation import any_grant_domain


def plan(query):
    sql = query.select()
    env.cr.execute(
        b"EXPLAIN (ANALYZE, BUFFERS OFF, TIMING OFF) " + sql.code.encode(), sql.params
    )
    return [row[0] for row in env.cr.fetchall()]


Partner = env["res.partner"]
Relation = env["care.relation"]
Referral = env["care.referral"]
ref = {
    p.ref: p
    for p in Partner.search(
        [("ref", "in", ["circle-client", "circle-company", "bc500", "bg1"])]
    )
}
# Each record on its own, as a form reads it (not prefetched with the others).
circle_client = Partner.browse(ref["circle-client"].id)
company = ref["circle-company"]
claimer = env["res.users"].search([("login", "=", "bench_staff_1")])
guardian = env["res.users"].search([("login", "=", "bench_guardian_1")])
results = {}


# a. one client's circle (20 relations, both directions, labels) vs 20 child_ids:
# the circle as the form reads it, its rows seen from the client's side.
def read_circle():
    circle_client.invalidate_recordset(["care_circle_ids"])
    rows = circle_client.care_circle_ids
    assert len(rows) == 20, len(rows)
    rows.read(
        ["other_partner_name", "side_label", "display_name", "date_start", "is_current"]
    )


def read_children():
    children = Partner.search([("parent_id", "=", company.id)])
    assert len(children) == 20, len(children)
    children.read(["name", "display_name", "function", "email", "active"])


results["a"] = compare(read_circle, read_children)

# b. partners by one current relation (type, related partner) vs by parent_id:
# the domain the addon builds on Odoo's own `any` (relation rules apply).
guardian_type = env.ref("care_network.relation_type_guardian")
pair = [
    ("type_id", "=", guardian_type.id),
    ("related_partner_id", "=", ref["bg1"].id),
]
domain_b = Partner._care_circle_domain(pair)
assert Partner.search(domain_b)
domain_parent = [("parent_id", "=", company.id)]
# Reference: the bare one2many search for the same pair, without "current".
domain_native = [("care_relation_ids", "any", pair)]
results["b_native"] = compare(
    lambda: Partner.search(domain_native), lambda: Partner.search(domain_parent)
)
results["b"] = {
    **compare(lambda: Partner.search(domain_b), lambda: Partner.search(domain_parent)),
    "plan": plan(Partner._search(domain_b)),
    "baseline_plan": plan(Partner._search([("parent_id", "=", company.id)])),
}

# c. the referral list (80 rows) as a program claimer vs as superuser.
list_fields = [
    "name",
    "seeker_id",
    "program_id",
    "provider_id",
    "state",
    "helper_user_id",
    "create_date",
]
as_claimer = Referral.with_user(claimer)
assert len(as_claimer.search([], limit=80)) == 80
results["c"] = {
    **compare(
        lambda: as_claimer.search_read([], list_fields, limit=80),
        lambda: Referral.sudo().search_read([], list_fields, limit=80),
    ),
    "plan": plan(as_claimer._search([], limit=80, order="id desc")),
}
results["d_plans"] = {
    "my_care": plan(
        Relation.with_user(guardian)._search(
            [
                ("related_partner_id", "=", guardian.partner_id.id),
                ("is_current", "=", True),
                *any_grant_domain(),
            ]
        )
    ),
    # As /my/referrals asks for it; a portal user's referral searches are narrowed
    # to the seekers the portal rule allows (CareReferral._care_portal_seekers).
    "my_referrals": plan(
        Referral.with_user(guardian)._search([], limit=20, order="id desc")
    ),
}

# e. 10,000 relations in one create() call.
clients = Partner.search([("ref", "=like", "bc%")], limit=10001, order="id")
friend = env.ref("care_network.relation_type_friend")
vals = [
    {
        "partner_id": clients[i].id,
        "related_partner_id": clients[i + 1].id,
        "type_id": friend.id,
    }
    for i in range(10000)
]
CREATE_RUNS = 3


def create_relations():
    """Seconds for one create() of the 10,000 relations, rolled back after."""
    env.cr.execute("SAVEPOINT bench_create")
    start = time.perf_counter()
    Relation.create(vals)
    env.flush_all()
    elapsed = time.perf_counter() - start
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_create")
    env.invalidate_all()
    return elapsed


create_relations()  # warm-up: caches and PostgreSQL buffers, as for the other cases
create_seconds = statistics.median(create_relations() for _ in range(CREATE_RUNS))
results["e"] = {
    "relations_per_second": round(10000 / create_seconds),
    "seconds": round(create_seconds, 2),
    "runs": CREATE_RUNS,
}

# f. a client's form as the claimer's web client reads it (form_spec.py), against
# the same specification without the addon's fields.
form_client = Partner.with_user(claimer).browse(ref["bc500"].id)
care_spec, base_spec = form_specs(form_client)
results["f"] = {
    **compare(
        lambda: form_client.web_read(care_spec),
        lambda: form_client.web_read(base_spec),
    ),
    "fields": len(care_spec),
    "addon_fields": sorted(set(care_spec) - set(base_spec)),
}

# Where f's time goes: the base form plus one part of the addon's fields at a time.
CIRCLE_LISTS = ("care_circle_ids",)
F_PARTS = {
    "circle of care list": CIRCLE_LISTS,
    "button counts": (
        "care_relation_count",
        "care_referral_count",
        "care_goal_count",
        "care_package_count",
        "care_form_count",
    ),
    "role tags": ("care_role_ids",),
    "care manager avatars": ("care_manager_user_ids",),
    "organisation": (
        "care_group_kind",
        "care_primary_contact_id",
        "care_billing_contact_id",
        "care_team_user_ids",
        "care_membership_ids",
        "care_member_count",
        "care_member_message_ids",
        "care_member_activity_ids",
        "care_member_event_ids",
    ),
}
F_PARTS["other care profile fields"] = tuple(
    set(care_spec)
    - set(base_spec)
    - {name for part in F_PARTS.values() for name in part}
)
results["f_parts"] = {}
for part, names in F_PARTS.items():
    # A person's form has no organisation field left but the group kind.
    part_spec = dict(
        base_spec, **{name: care_spec[name] for name in names if name in care_spec}
    )
    timing = compare(
        lambda spec=part_spec: form_client.web_read(spec),
        lambda: form_client.web_read(base_spec),
    )
    results["f_parts"][part] = round(
        timing["case"]["median_ms"] - timing["baseline"]["median_ms"], 2
    )

# The targets of f: the whole form over the base form, and the circle list
# against Odoo's own Contacts tab with as many rows (f_lists vs f_native).
lists_spec = dict(base_spec, **{name: care_spec[name] for name in CIRCLE_LISTS})
results["f_lists"] = {
    **compare(
        lambda: form_client.web_read(lists_spec),
        lambda: form_client.web_read(base_spec),
    ),
    "rows": len(form_client.care_circle_ids),
}

# Reference: what Odoo's own one2many costs on the same form, without the addon:
# the Contacts & Addresses tab of a company showing as many contacts as the circle
# list shows rows (f_native), against the same form reading no contact rows.
form_company = Partner.with_user(claimer).browse(company.id)
no_contacts = dict(base_spec, child_ids={})


def contacts_tab(rows):
    same_rows = dict(base_spec, child_ids={**base_spec["child_ids"], "limit": rows})
    return compare(
        lambda: form_company.web_read(same_rows),
        lambda: form_company.web_read(no_contacts),
    )


results["f_native"] = contacts_tab(results["f_lists"]["rows"])
print("RESULT " + json.dumps(results))
