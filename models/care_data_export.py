from odoo import api, fields, models


class CareDataExport(models.Model):
    """A client's care data exported as JSON. The file is an attachment of this
    record, which only care managers may read: Odoo checks an attachment's access
    on the record it belongs to, so a care user or a portal guardian who reads the
    client does not download the export through ``/web/content``."""

    _name = "care.data.export"
    _description = "Care Data Export"
    _order = "create_date desc, id desc"

    client_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade", readonly=True
    )
    # The client's company when exported, none if the file held another
    # company's records (_care_export_company).
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Exported By",
        default=lambda self: self.env.user,
        readonly=True,
    )
    name = fields.Char(readonly=True)
    attachment_id = fields.Many2one("ir.attachment", string="File", readonly=True)

    @api.model
    def _care_export(self, client, raw):
        """The export of ``client`` holding ``raw``: its file is an attachment of
        the export record (Odoo deletes it with the record)."""
        name = f"care-data-{client.id}-{fields.Date.context_today(self)}.json"
        # Written here only, after the caller's checks: no one creates or
        # rewrites an export over RPC (its client, company or file); its file
        # too, whose create checks the right to change the export.
        export = self.sudo().create(
            {
                "client_id": client.id,
                "company_id": self._care_export_company(client).id,
                "name": name,
            }
        )
        export.attachment_id = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": name,
                    "mimetype": "application/json",
                    "res_model": self._name,
                    "res_id": export.id,
                    "raw": raw,
                }
            )
        )
        export = export.with_env(self.env)
        # The company rule, which the superuser's create skipped.
        export.check_access("read")
        return export

    @api.model
    def _care_export_company(self, client):
        """The client's company, unless the file holds another company's
        records (a client moved between companies keeps them): then none, and
        the export is its author's only."""
        companies = {
            company
            for records in client._care_file_records(with_log=True)
            if "company_id" in records._fields
            for company in records.company_id
        }
        if companies - set(client.company_id):
            return self.env["res.company"]
        return client.company_id


class ReportCareData(models.AbstractModel):
    """The care data report is the whole care file: care managers only, and only
    for the clients they may read (Odoo does not check a report's groups on
    ``/report/...``)."""

    _name = "report.care_network.report_care_data"
    _description = "Care Data Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["res.partner"].browse(docids)
        docs._check_care_data_manager()
        docs.check_access("read")
        return {
            "doc_ids": docs.ids,
            "doc_model": "res.partner",
            "docs": docs,
            "care_data": {doc.id: doc._care_data() for doc in docs},
        }


class ReportCareEcomap(models.AbstractModel):
    """The printed ecomap: for the back office's care users, of the clients they
    may read; never for a portal user nor an internal user without the care
    group."""

    _name = "report.care_network.report_care_ecomap"
    _description = "Ecomap Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["res.partner"].browse(docids)
        docs._check_care_ecomap_audience()
        docs.check_access("read")
        return {
            "doc_ids": docs.ids,
            "doc_model": "res.partner",
            "docs": docs,
            "ecomaps": {doc.id: doc.care_ecomap_data(show_past=True) for doc in docs},
        }
