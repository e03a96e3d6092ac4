from odoo import fields, models


class CareServiceTag(models.Model):
    _name = "care.service.tag"
    _description = "Care Service Tag"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("name_unique", "unique(name)", "A service tag with this name already exists."),
    ]
