from odoo import api, fields, models


class CalendarEvent(models.Model):
    """A session of a care package."""

    _inherit = "calendar.event"

    care_package_id = fields.Many2one(
        "care.package",
        index="btree_not_null",
        ondelete="set null",
    )

    @api.model_create_multi
    def create(self, vals_list):
        events = super().create(vals_list)
        events._care_check_package_sessions()
        return events

    def write(self, vals):
        result = super().write(vals)
        if vals.get("care_package_id"):
            self._care_check_package_sessions()
        return result

    def _care_check_package_sessions(self):
        for package in self.care_package_id:
            package._check_session_room(
                self.filtered(lambda e, p=package: e.care_package_id == p)
            )
