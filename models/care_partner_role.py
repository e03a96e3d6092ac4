from odoo import fields, models


class CarePartnerRole(models.Model):
    _name = "care.partner.role"
    _description = "Care Partner Role"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Stable technical code used by filters and menus.")
    description = fields.Text(translate=True)
    color = fields.Integer()
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "A role with this code already exists."),
    ]
