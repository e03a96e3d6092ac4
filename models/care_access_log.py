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
    ("preview", "Staff preview"),
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
        """Record that the current user read ``what`` of ``client``."""
        self._log_reads([(client, what, record, relation)])

    @api.model
    def _log_reads(self, reads):
        """Record reads, each a ``(client, what, record, relation)``, in one go.

        On a read-only cursor (a portal page served by a replica) the rows are
        written after that transaction, in a short read/write one of their own."""
        vals_list = self._read_values(reads)
        if not vals_list:
            return
        if self.env.cr.readonly:
            self.env.cr.postcommit.add(
                functools.partial(self._write_apart, self.env.registry, vals_list)
            )
        else:
            self.sudo()._create_unless_recent(vals_list)

    @api.model
    def _log_client_page(self, client, relations, grants):
        """A portal user's read of a client's page: one row per kind of care data
        the grants of ``relations`` showed them."""
        relation = relations[:1]
        shown = [
            ("profile", client, grants["can_view_profile"]),
            ("appointments", None, grants["can_view_appointments"]),
            ("referral", None, grants["can_view_referrals"]),
            ("goal", None, grants["can_view_referrals"]),
        ]
        self._log_reads(
            [(client, what, record, relation) for what, record, show in shown if show]
        )

    @api.model
    def _log_preview(self, person, relation):
        """Staff previewed ``person``'s portal (through ``relation``, whose
        client it is about; else the person's own portal)."""
        client = relation.partner_id if relation else person
        self._log_reads([(client, "preview", None, relation or None)])

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
        client_field = {
            "res.partner": None,
            "care.relation": "partner_id",
            "care.referral": "seeker_id",
            "care.consent": "client_id",
        }[records._name]
        self._log_reads(
            [
                (record[client_field] if client_field else record, "fhir", record, None)
                for record in records.sudo()
            ]
        )

    @api.model
    def _read_values(self, reads):
        user = self.env.user
        unknown = self.env["res.partner"].union(
            *(client for client, _what, _record, relation in reads if not relation)
        )
        viewer_relations = self._viewer_relations(unknown)
        vals_list = []
        for client, what, record, relation in reads:
            relation = (relation or viewer_relations.get(client.id)) or self.env[
                "care.relation"
            ]
            vals_list.append(
                {
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
            )
        return vals_list

    @api.model
    def _viewer_relations(self, clients):
        """The current user's current relation to each client, by client id."""
        if not clients:
            return {}
        relations = (
            self.env["care.relation"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", clients.ids),
                    ("related_partner_id", "=", self.env.user.partner_id.id),
                    ("is_current", "=", True),
                ]
            )
        )
        by_client = {}
        for relation in relations:
            by_client.setdefault(relation.partner_id.id, relation)
        return by_client

    @staticmethod
    def _write_apart(registry, vals_list):
        with registry.cursor() as cr:
            env = api.Environment(cr, vals_list[0]["user_id"], {})
            env["care.access.log"].sudo()._create_unless_recent(vals_list)

    def _create_unless_recent(self, vals_list):
        """Create the rows, but not those the same user read (same client, kind
        and record) within the window: one row per visit, not per reload. A
        window of 0 logs every read."""
        window = self._window_minutes()
        if window > 0:
            since = fields.Datetime.now() - timedelta(minutes=window)
            recent = self.search(
                [
                    ("user_id", "=", vals_list[0]["user_id"]),
                    ("client_id", "in", [vals["client_id"] for vals in vals_list]),
                    ("create_date", ">=", since),
                ]
            )
            seen = {_read_key(row) for row in recent}
            fresh = []
            for vals in vals_list:
                key = _read_key(vals)
                if key not in seen:
                    seen.add(key)
                    fresh.append(vals)
            vals_list = fresh
        if vals_list:
            self.create(vals_list)

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


def _read_key(row):
    """What makes two reads the same read: a row or its values."""
    return (
        row["client_id"] if isinstance(row, dict) else row.client_id.id,
        row["what"],
        row["res_model"] or False,
        row["res_id"] or 0,
    )
