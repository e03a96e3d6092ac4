from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    care_age_of_majority = fields.Integer(
        string="Age of Majority",
        config_parameter="care_network.age_of_majority",
        default=18,
        help="Clients younger than this are minors and need a legal guardian.",
    )
