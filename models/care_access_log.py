import functools
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

ACCESS_KINDS = [
    ("profile", "Profile"),
    ("appointments", "Appointments"),
    ("referral", "Referrals"),
    ("goal", "Goals"),
    ("fhir", "FHIR API"),
]
# Only the purge passes this object in its context: it cannot travel through RPC.
_PURGE = object()


class CareAccessLog(models.Model):
    """One row each time a portal or API user (or, when the setting is on, a staff
    user) reads a client's care data: an accounting of disclosures.

    Rows are append-only: nobody writes or deletes them but the retention purge.
    They keep the viewer's and relation's names, so they outlive the relation.
    """

    _name = "care.access.log"
    _description = "Care Data Access Log"
    _order = "create_date desc, id desc"
    _rec_name = "client_id"

    user_id = fields.Many2one("res.users", readonly=True, index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Viewer", readonly=True, index=True
    )
    viewer_name = fields.Char(readonly=True)
    client_id = fields.Many2one("res.partner", required=True, readonly=True, index=True)
    what = fields.Selection(ACCESS_KINDS, required=True, readonly=True)
    res_model = fields.Char(string="Record Model", readonly=True)
    res_id = fields.Many2oneReference(
        string="Record", model_field="res_model", readonly=True
    )
    relation_id = fields.Many2one(
        "care.relation",
        string="Through Relation",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
    )
    relation_label = fields.Char(
        string="Relation",
        readonly=True,
        help="What the viewer was to the client when they read it (kept when the "
        "relation is deleted).",
    )
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    create_date = fields.Datetime(string="When", readonly=True, index=True)

    # --- append-only -------------------------------------------------------------
    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(self.env._("The access log cannot be changed."))

    def unlink(self):
        if self.env.context.get("care_access_log_purge") is not _PURGE:
            raise UserError(
                self.env._(
                    "Access log rows cannot be deleted: the retention purge removes "
                    "them when they are old enough."
                )
            )
        return super().unlink()

    # --- writing rows ------------------------------------------------------------
    @api.model
    def _log_read(self, client, what, record=None, relation=None):
        """Record that the current user read ``what`` of ``client``.

        On a read-only cursor (a portal page served by a replica) the row is
        written after that transaction, in a short read/write one of its own."""
        values = self._read_values(client, what, record, relation or None)
        if self.env.cr.readonly:
            self.env.cr.postcommit.add(
                functools.partial(self._write_apart, self.env.registry, values)
            )
        else:
            self.sudo()._create_unless_recent(values)

    @api.model
    def _log_client_page(self, client, relations, grants):
        """A portal user's read of a client's page: one row per kind of care data
        the grants of ``relations`` showed them."""
        relation = relations[:1]
        if grants["can_view_profile"]:
            self._log_read(client, "profile", client, relation)
        if grants["can_view_appointments"]:
            self._log_read(client, "appointments", relation=relation)
        if grants["can_view_referrals"]:
            self._log_read(client, "referral", relation=relation)
            self._log_read(client, "goal", relation=relation)

    @api.model
    def _log_portal_referral(self, referral):
        """A portal user's read of someone else's referral (their own is not a
        disclosure)."""
        user = self.env.user
        seeker = referral.sudo().seeker_id
        if user.share and not user._is_public() and user.partner_id != seeker:
            self._log_read(seeker, "referral", referral)

    @api.model
    def _log_fhir(self, records):
        """An API read of FHIR resources: one row per resource's client."""
        for record in records.sudo():
            client = {
                "res.partner": lambda r: r,
                "care.relation": lambda r: r.partner_id,
                "care.referral": lambda r: r.seeker_id,
            }[record._name](record)
            self._log_read(client, "fhir", record)

    @api.model
    def _read_values(self, client, what, record, relation):
        user = self.env.user
        relation = relation or self._viewer_relation(client)
        return {
            "user_id": user.id,
            "partner_id": user.partner_id.id,
            "viewer_name": user.partner_id.name,
            "client_id": client.id,
            "what": what,
            "res_model": record._name if record else False,
            "res_id": record.id if record else 0,
            "relation_id": relation.id,
            "relation_label": relation.sudo().type_id.name or False,
            "company_id": client.sudo().company_id.id,
        }

    @api.model
    def _viewer_relation(self, client):
        return (
            self.env["care.relation"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", client.id),
                    ("related_partner_id", "=", self.env.user.partner_id.id),
                    ("is_current", "=", True),
                ],
                limit=1,
            )
        )

    @staticmethod
    def _write_apart(registry, values):
        with registry.cursor() as cr:
            env = api.Environment(cr, values["user_id"], {})
            env["care.access.log"].sudo()._create_unless_recent(values)

    def _create_unless_recent(self, values):
        """Create the row unless the same user read the same thing of the same
        client within the window (one row per visit, not per reload). A window
        of 0 logs every read."""
        window = self._window_minutes()
        if window <= 0:
            self.create(values)
            return
        since = fields.Datetime.now() - timedelta(minutes=window)
        recent = self.search_count(
            [
                ("user_id", "=", values["user_id"]),
                ("client_id", "=", values["client_id"]),
                ("what", "=", values["what"]),
                ("res_model", "=", values["res_model"]),
                ("res_id", "=", values["res_id"]),
                ("create_date", ">=", since),
            ],
            limit=1,
        )
        if not recent:
            self.create(values)

    @api.model
    def _window_minutes(self):
        return int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("care_network.access_log_window_minutes", 15)
        )

    # --- retention ---------------------------------------------------------------
    @api.model
    def _cron_purge(self):
        years = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("care_network.access_log_retention_years", 6)
        )
        cutoff = fields.Datetime.now() - relativedelta(years=years)
        old = self.sudo().search([("create_date", "<", cutoff)])
        old.with_context(care_access_log_purge=_PURGE).unlink()
        return len(old)
