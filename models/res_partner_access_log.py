from odoo import api, models


class ResPartner(models.Model):
    """Staff reads of a client's record (its form, or one record read over RPC),
    in the access log when the setting says so (off by default)."""

    _inherit = "res.partner"

    def read(self, fields=None, load="_classic_read"):
        result = super().read(fields=fields, load=load)
        # A client named on another record (a tag, a many2one, an attendee) is
        # read for its name only: that is not a read of their record.
        names_only = fields is not None and set(fields) <= {"id", "display_name"}
        if len(self) == 1 and not names_only and self._care_logs_staff_reads():
            client = self.sudo()
            if client.is_care_client:
                self.env["care.access.log"]._log_read(client, "profile", record=client)
        return result

    @api.model
    def _care_logs_staff_reads(self):
        return (
            self.env.user._is_internal()
            and self.env["ir.config_parameter"]
            .sudo()
            .get_param("care_network.log_staff_reads")
            == "True"
        )
