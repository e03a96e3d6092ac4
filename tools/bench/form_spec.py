# Shared by the bench scripts that run inside `odoo-bin shell` (``env`` is given):
# tools/bench.py sends this text before measure_orm.py and deploy_form.py's measure.
# ruff: noqa: F821
import statistics
import time

from lxml import etree

from odoo.tools.safe_eval import safe_eval

RUNS = 40


def compare(case, baseline, runs=RUNS, reset=True):
    """Runs the case and its baseline alternately, so that a slower moment of the
    machine weighs on both alike; the first runs warm the caches and are dropped."""
    funcs = {"case": case, "baseline": baseline}
    samples = {name: [] for name, func in funcs.items() if func}
    for index in range(runs + 3):
        for name, values in samples.items():
            if reset:
                env.invalidate_all()
            start = time.perf_counter()
            funcs[name]()
            elapsed = (time.perf_counter() - start) * 1000
            if index >= 3:
                values.append(elapsed)
    return {name: summary(values) for name, values in samples.items()}


def summary(samples):
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 3),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 3),
    }


# A form as the web client reads it. The specification is built from the form
# view the user's browser receives, with the web client's rules
# (web/static/src/model/relational_model/utils.js getFieldsSpec): an x2many reads
# the fields of its inline sub-view in the mode shown (limit 40), a tag widget
# reads display_name (and the colour), an always-invisible many2one or x2many
# reads no display names.
ALWAYS_INVISIBLE = ("1", "True")
TAG_WIDGETS = ("many2many_tags", "many2many_avatar_user", "many2many_tags_avatar")


def field_nodes(view_node):
    """The <field> nodes of one view level, not those of x2many sub-views."""
    for node in view_node.iterchildren():
        if not isinstance(node.tag, str):
            continue
        if node.tag == "field":
            yield node
        else:
            yield from field_nodes(node)


def x2many_subview(node):
    views = {child.tag: child for child in node if child.tag in ("list", "kanban")}
    mode = node.get("mode") or ("list" if "list" in views else "kanban")
    return views.get(mode.split(",")[0])


def web_client_spec(model, view_node, skip=()):
    spec = {}
    for node in field_nodes(view_node):
        name = node.get("name")
        field = env[model]._fields.get(name)
        if name in skip or field is None:
            continue
        invisible = node.get("invisible") in ALWAYS_INVISIBLE
        entry = {}
        if field.type == "many2one":
            entry = {"fields": {} if invisible else {"display_name": {}}}
        elif field.type in ("one2many", "many2many") and not invisible:
            subview = x2many_subview(node)
            if node.get("widget") in TAG_WIDGETS:
                entry = {"fields": {"display_name": {}}}
                color = safe_eval(node.get("options") or "{}").get("color_field")
                if color:
                    entry["fields"][color] = {}
            elif subview is not None:
                entry = {
                    "fields": web_client_spec(field.comodel_name, subview),
                    "limit": int(subview.get("limit") or 40),
                }
        spec[name] = spec.get(name) or entry
    return spec


def form_specs(partner):
    """The client form's specification as ``partner``'s user reads it, with and
    without the addon's fields."""
    Partner = partner.env["res.partner"]
    view = Partner.get_views([(False, "form")])["views"]["form"]
    arch = etree.fromstring(view["arch"])
    addon_fields = [
        name
        for name, field in Partner._fields.items()
        if field._modules == ("care_network",)
    ]
    care = web_client_spec("res.partner", arch)
    return care, web_client_spec("res.partner", arch, skip=addon_fields)
