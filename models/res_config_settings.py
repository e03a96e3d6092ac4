from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    care_age_of_majority = fields.Integer(
        string="Age of Majority",
        config_parameter="care_network.age_of_majority",
        default=18,
        help="Clients younger than this are minors and need a legal guardian.",
    )
    care_log_staff_reads = fields.Boolean(
        string="Log Staff Reads",
        config_parameter="care_network.log_staff_reads",
        help="Record in the access log each time a staff user opens a client's form.",
    )
    care_access_log_retention_years = fields.Integer(
        string="Access Log Retention (years)",
        config_parameter="care_network.access_log_retention_years",
        default=6,
        help="Access log rows older than this are purged every night.",
    )
    care_access_log_window_minutes = fields.Integer(
        string="Access Log Window (minutes)",
        config_parameter="care_network.access_log_window_minutes",
        default=15,
        help="The same person reading the same page again within this window is "
        "logged once.",
    )
