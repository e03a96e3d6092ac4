from odoo import api, models

NAME_FIELDS = {"id", "display_name"}
# The context keys with which a partner's display name shows more than the name
# (base's res.partner._compute_display_name).
NAME_CONTEXT_KEYS = ("show_address", "show_email", "show_vat", "partner_show_db_id")


class ResPartner(models.Model):
    """Staff reads of a client's record (its form, or one record read over RPC),
    in the access log when the setting says so (off by default)."""

    _inherit = "res.partner"

    def read(self, fields=None, load="_classic_read"):
        result = super().read(fields=fields, load=load)
        self._care_log_record_read(fields)
        return result

    @api.model
    def search_read(self, domain=None, fields=None, offset=0, limit=None, order=None):
        # Odoo's search_read does not call read().
        result = super().search_read(
            domain=domain, fields=fields, offset=offset, limit=limit, order=order
        )
        if len(result) == 1:
            self.browse(result[0]["id"])._care_log_record_read(fields)
        return result

    def _care_log_record_read(self, fields):
        """Log a read of one client's record, unless only their name was read: a
        client named on another record (a tag, a many2one, an attendee) is not a
        read of their record. No fields (None or []) is every field; a name
        asked with its address, e-mail or VAT is more than a name."""
        names_only = (
            bool(fields)
            and set(fields) <= NAME_FIELDS
            and not any(self.env.context.get(key) for key in NAME_CONTEXT_KEYS)
        )
        if len(self) == 1 and not names_only and self._care_logs_staff_reads():
            client = self.sudo()
            if client.is_care_client:
                self.env["care.access.log"]._log_read(client, "profile", record=client)

    @api.model
    def _care_logs_staff_reads(self):
        return (
            self.env.user._is_internal()
            and self.env["ir.config_parameter"]
            .sudo()
            .get_param("care_network.log_staff_reads")
            == "True"
        )
