from odoo import fields, models


class CareRelation(models.Model):
    """Where an imported relation came from, so that an import run again copies
    nothing twice."""

    _inherit = "care.relation"

    import_ref = fields.Char(
        string="Imported From",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The record this relation was copied from (partner_multi_relation:<id>).",
    )
