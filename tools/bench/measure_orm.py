# Runs inside `odoo-bin shell` on the bench database (``env`` is given).
# Prints one line: RESULT {json} with the timings and query plans.
# ruff: noqa: F821
import json
import statistics
import time

from odoo.addons.care_network.models.care_relation import any_grant_domain

RUNS = 40


def timed(func, runs=RUNS, reset=True):
    samples = []
    for index in range(runs + 3):
        if reset:
            env.invalidate_all()
        start = time.perf_counter()
        func()
        elapsed = (time.perf_counter() - start) * 1000
        if index >= 3:  # warm-up runs are dropped
            samples.append(elapsed)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 3),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 3),
    }


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
circle_client = ref["circle-client"]
company = ref["circle-company"]
claimer = env["res.users"].search([("login", "=", "bench_staff_1")])
guardian = env["res.users"].search([("login", "=", "bench_guardian_1")])
results = {}


# a. one client's circle (20 relations, both directions, labels) vs 20 child_ids.
def read_circle():
    relations = Relation.with_context(care_viewpoint_id=circle_client.id).search(
        [
            "|",
            ("partner_id", "=", circle_client.id),
            ("related_partner_id", "=", circle_client.id),
        ]
    )
    assert len(relations) == 20, len(relations)
    relations.read(
        ["other_partner_id", "side_label", "display_name", "date_start", "is_current"]
    )


def read_children():
    children = Partner.search([("parent_id", "=", company.id)])
    assert len(children) == 20, len(children)
    children.read(["name", "display_name", "function", "email", "active"])


results["a"] = {"case": timed(read_circle), "baseline": timed(read_children)}

# b. partners by (relation type, related partner) vs by parent_id.
guardian_type = env.ref("care_network.relation_type_guardian")
domain_b = [
    ("care_relation_type_id", "=", guardian_type.id),
    ("care_related_partner_id", "=", ref["bg1"].id),
]
assert Partner.search(domain_b)
results["b"] = {
    "case": timed(lambda: Partner.search(domain_b)),
    "baseline": timed(lambda: Partner.search([("parent_id", "=", company.id)])),
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
    "case": timed(lambda: as_claimer.search_read([], list_fields, limit=80)),
    "baseline": timed(lambda: Referral.sudo().search_read([], list_fields, limit=80)),
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
env.cr.execute("SAVEPOINT bench_create")
start = time.perf_counter()
Relation.create(vals)
env.flush_all()
elapsed = time.perf_counter() - start
env.cr.execute("ROLLBACK TO SAVEPOINT bench_create")
env.invalidate_all()
results["e"] = {
    "relations_per_second": round(10000 / elapsed),
    "seconds": round(elapsed, 2),
}

# f. a client's form as the web client reads it: the fields of the real form view
# (with the Circle of Care tab) vs the same spec without the addon's fields.
view_models = Partner.get_views([(False, "form")])["models"]


def spec_for(model, names, nested=True):
    spec = {}
    for name in names:
        field = env[model]._fields[name]
        if field.type == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        elif field.type in ("one2many", "many2many"):
            sub = list(view_models.get(field.comodel_name, {}).get("fields", {}))
            spec[name] = {
                "fields": spec_for(field.comodel_name, sub, False)
                if nested and sub
                else {"display_name": {}}
            }
        else:
            spec[name] = {}
    return spec


form_fields = list(view_models["res.partner"]["fields"])
addon_fields = [
    n for n in form_fields if Partner._fields[n]._modules == ("care_network",)
]
care_spec = spec_for("res.partner", form_fields)
base_spec = spec_for("res.partner", [n for n in form_fields if n not in addon_fields])
form_client = Partner.with_user(claimer).browse(ref["bc500"].id)
results["f"] = {
    "case": timed(lambda: form_client.web_read(care_spec)),
    "baseline": timed(lambda: form_client.web_read(base_spec)),
    "fields": len(form_fields),
    "addon_fields": addon_fields,
}
print("RESULT " + json.dumps(results))
