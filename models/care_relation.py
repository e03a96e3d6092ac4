from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools import create_index

from .care_relation_type import CATEGORY_SELECTION, GRANT_FIELDS


def _overlaps(one, other):
    """Whether two relations' periods (both ends included, none open) meet."""
    return (
        not one.date_start or not other.date_end or one.date_start <= other.date_end
    ) and (not other.date_start or not one.date_end or other.date_start <= one.date_end)


def any_grant_domain():
    """Relations that grant their related partner at least one portal access."""
    return expression.OR([[(grant, "=", True)] for grant in GRANT_FIELDS])


class CareRelation(models.Model):
    """One row holds both directions of a relation.

    ``partner_id`` is the client whose circle this is, ``related_partner_id`` the person
    or organisation in that circle, and ``type_id`` says what the related partner is to
    the client ("Legal Guardian"); read from the other side it is the type's inverse
    label ("Ward").
    """

    _name = "care.relation"
    _description = "Care Relation"
    _inherit = ["mail.thread"]
    _order = "is_emergency_contact desc, emergency_priority, type_sequence, id"
    _check_company_auto = True
    _rec_names_search = ["partner_id", "related_partner_id", "type_id"]

    partner_id = fields.Many2one(
        "res.partner",
        string="Client",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        tracking=True,
        help="The client whose circle of care this relation belongs to.",
    )
    related_partner_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        tracking=True,
        help="The person or organisation in the client's circle of care.",
    )
    type_id = fields.Many2one(
        "care.relation.type",
        string="Relation Type",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        help="What the related partner is to the client.",
    )
    # Copies of the type's values for ordering and filtering. Computed rather than
    # related so that create() can fill them for a whole batch (a precomputed
    # related field would make the ORM build a draft record per relation).
    type_sequence = fields.Integer(
        compute="_compute_type_values", store=True, precompute=True, readonly=False
    )
    category = fields.Selection(
        CATEGORY_SELECTION,
        compute="_compute_type_values",
        store=True,
        index=True,
        precompute=True,
        readonly=False,
    )
    label = fields.Char(related="type_id.name", string="Label")
    inverse_label = fields.Char(compute="_compute_inverse_label")
    date_start = fields.Date(
        string="Start Date", default=fields.Date.context_today, tracking=True
    )
    date_end = fields.Date(
        string="End Date",
        tracking=True,
        help="Last day of the relation. From the next day on it is no longer current "
        "and grants nothing.",
    )
    is_current = fields.Boolean(
        string="Current",
        compute="_compute_is_current",
        search="_search_is_current",
        help="Started and not ended today.",
    )
    is_emergency_contact = fields.Boolean(
        string="Emergency Contact",
        compute="_compute_is_emergency_contact",
        store=True,
        readonly=False,
        tracking=True,
        help="Ticked when an emergency type is chosen; staff may tick it for any "
        "relation.",
    )
    emergency_priority = fields.Integer(default=1, help="1 = call first.")
    can_view_profile = fields.Boolean(
        compute="_compute_grants",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="The related partner may see the client's profile on the portal.",
    )
    can_view_appointments = fields.Boolean(
        compute="_compute_grants",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="The related partner may see the client's upcoming appointments.",
    )
    can_view_referrals = fields.Boolean(
        compute="_compute_grants",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="The related partner may see the client's referrals and goals.",
    )
    can_update_referrals = fields.Boolean(
        compute="_compute_grants",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="The related partner may close the client's referrals as the client "
        "would.",
    )
    is_primary = fields.Boolean(
        string="Primary Organisation",
        help="For membership relations: the organisation that bills for this client.",
    )
    # The team's note: portal users read their relations, never this.
    note = fields.Text(groups="care_network.group_care_user")
    company_id = fields.Many2one(
        "res.company", index=True, default=lambda self: self.env.company
    )

    # Read from one side: the partner in the context key ``care_viewpoint_id``.
    other_partner_id = fields.Many2one(
        "res.partner", string="Who", compute="_compute_viewpoint"
    )
    side_label = fields.Char(string="Relation", compute="_compute_viewpoint")
    is_inverse_side = fields.Boolean(compute="_compute_viewpoint")

    def init(self):
        for columns in (("partner_id", "type_id"), ("related_partner_id", "type_id")):
            create_index(
                self.env.cr,
                f"care_relation_{'_'.join(columns)}_idx",
                self._table,
                list(columns),
            )
        # The circle list reads its rows (care.relation.side) by id: an index on
        # each half's id expression, else PostgreSQL computes it for every
        # relation (bench a: 65 ms instead of under 10 at 300,000 relations).
        for side, id_expression in (
            ("client", "(id * 2)"),
            ("inverse", "(id * 2 + 1)"),
        ):
            create_index(
                self.env.cr,
                f"care_relation_{side}_side_id_idx",
                self._table,
                [id_expression],
            )

    @api.depends("type_id.name", "type_id.inverse_name", "type_id.symmetric")
    def _compute_inverse_label(self):
        for relation in self:
            relation.inverse_label = (
                relation.type_id.get_inverse_label() if relation.type_id else False
            )

    @api.depends("date_start", "date_end")
    @api.depends_context("tz")
    def _compute_is_current(self):
        today = fields.Date.context_today(self)
        for relation in self:
            relation.is_current = relation._is_current_on(today)

    def _is_current_on(self, day):
        self.ensure_one()
        return (not self.date_start or self.date_start <= day) and (
            not self.date_end or self.date_end >= day
        )

    def _search_is_current(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(self.env._("Unsupported search on Current."))
        if (operator == "=") == value:
            return self._current_domain()
        today = fields.Date.context_today(self)
        return ["|", ("date_start", ">", today), ("date_end", "<", today)]

    @api.model
    def _current_domain(self):
        """Relations started and not ended today."""
        today = fields.Date.context_today(self)
        return [
            "&",
            "|",
            ("date_start", "=", False),
            ("date_start", "<=", today),
            "|",
            ("date_end", "=", False),
            ("date_end", ">=", today),
        ]

    @api.depends("type_id.category", "type_id.sequence")
    def _compute_type_values(self):
        for relation in self:
            values = relation.type_id._relation_values()
            relation.category = values.get("category", False)
            relation.type_sequence = values.get("type_sequence", 0)

    @api.depends("type_id")
    def _compute_is_emergency_contact(self):
        # Choosing an emergency type ticks the flag; another type leaves it as
        # it is (staff may keep a sibling as the first one to call).
        for relation in self:
            relation.is_emergency_contact = (
                relation.is_emergency_contact
                or relation.type_id.category == "emergency"
            )

    @api.depends("type_id")
    def _compute_grants(self):
        for relation in self:
            values = relation.type_id._relation_values()
            for grant in GRANT_FIELDS:
                relation[grant] = values.get(grant, False)

    @api.depends("partner_id", "related_partner_id", "type_id")
    @api.depends_context("care_viewpoint_id")
    def _compute_viewpoint(self):
        viewpoint = self.env.context.get("care_viewpoint_id")
        for relation in self:
            relation_type = relation.type_id
            inverse = bool(viewpoint) and relation.related_partner_id.id == viewpoint
            relation.is_inverse_side = inverse
            if inverse:
                relation.other_partner_id = relation.partner_id
                relation.side_label = relation_type.get_inverse_label()
            else:
                relation.other_partner_id = relation.related_partner_id
                relation.side_label = relation_type.name

    @api.depends("partner_id", "related_partner_id", "type_id")
    @api.depends_context("care_viewpoint_id")
    def _compute_display_name(self):
        # Whoever may read the relation may read both names in it: a portal
        # client may not read their guardian's partner record, yet knows them.
        for relation, relation_sudo in zip(self, self.sudo(), strict=True):
            if relation.other_partner_id and relation.env.context.get(
                "care_viewpoint_id"
            ):
                relation.display_name = (
                    f"{relation_sudo.other_partner_id.name} ({relation.side_label})"
                )
            else:
                relation.display_name = self.env._(
                    "%(related)s, %(label)s of %(client)s",
                    related=relation_sudo.related_partner_id.name or "",
                    label=relation.label or "",
                    client=relation_sudo.partner_id.name or "",
                )

    # The addon's create and write of relations, in one place, in this order: the
    # invitation ticked (care_relation_portal.py), the kind of contact
    # (care_relation_contact.py), what the type decides, then the invitations.
    @api.model_create_multi
    def create(self, vals_list):
        invite = [vals.pop("send_portal_invitation", False) for vals in vals_list]
        self._fill_contact_kind(vals_list)
        self._fill_type_values(vals_list)
        self._fill_client_company(vals_list)
        # No "created" log line and no creator-follower per relation: relations are
        # created by the thousand (imports, families); later changes are tracked.
        # with_context() merges into the current context, the new keys winning
        # (spreading the context again would raise on a key already set).
        relations = super(
            CareRelation,
            self.with_context(mail_create_nolog=True, mail_create_nosubscribe=True),
        ).create(vals_list)
        relations = relations.with_env(self.env)
        relations._check_type_active()
        relations._mark_first_membership_primary()
        relations._care_after_create_invitations(invite)
        self._care_sides_changed()
        return relations

    @api.model
    def _care_sides_changed(self):
        """Relations were created, written or deleted: their sides read before in
        this transaction are stale (a database view has no field triggers)."""
        self.env["care.relation.side"].invalidate_model()
        self.env["res.partner"].invalidate_model(
            ["care_circle_ids", "care_relation_count"]
        )

    @api.model
    def _fill_type_values(self, vals_list):
        """Fill what the type decides (category, sequence, grants by default) for
        the whole batch at once, so that the ORM does not build a draft record per
        relation to precompute them."""
        type_ids = {vals["type_id"] for vals in vals_list if vals.get("type_id")}
        types = {t.id: t for t in self.env["care.relation.type"].browse(type_ids)}
        for vals in vals_list:
            relation_type = types.get(vals.get("type_id"))
            if not relation_type:
                continue
            for fname, value in relation_type._relation_values().items():
                if fname in GRANT_FIELDS:
                    vals.setdefault(fname, value)
                else:
                    vals[fname] = value
            # An emergency type ticks the flag unless told otherwise (what the
            # compute does, without a draft record).
            vals.setdefault(
                "is_emergency_contact", relation_type.category == "emergency"
            )

    @api.model
    def _fill_client_company(self, vals_list):
        """A relation belongs to the company of its client, when the client has one
        (else to the current company, the field's default)."""
        client_ids = {
            vals["partner_id"]
            for vals in vals_list
            if vals.get("partner_id") and "company_id" not in vals
        }
        clients = self.env["res.partner"].browse(client_ids)
        company_of = {client.id: client.company_id.id for client in clients}
        for vals in vals_list:
            if company_of.get(vals.get("partner_id")) and "company_id" not in vals:
                vals["company_id"] = company_of[vals["partner_id"]]

    @api.model
    def _care_row_columns(self):
        """The columns a read of a relation fetches at once (Odoo's prefetch)."""
        return [
            name
            for name, field in self._fields.items()
            if field.store and field.column_type and field.prefetch is True
        ]

    def _mark_first_membership_primary(self):
        """A client's first organisation becomes its primary one."""
        for relation in self.filtered(
            lambda r: r.category == "membership" and not r.is_primary
        ):
            siblings = relation.partner_id.care_relation_ids.filtered(
                lambda r: r.category == "membership" and r.is_primary and r.is_current
            )
            if not siblings:
                relation.is_primary = True

    def write(self, vals):
        # category and type_sequence follow the type; writing them directly would
        # desynchronise them.
        vals = {k: v for k, v in vals.items() if k not in ("category", "type_sequence")}
        invite = vals.pop("send_portal_invitation", False)
        vals = self._reminder_sms_phone_follows(vals)
        newly_granted = self._care_newly_granting(vals)
        result = super().write(vals)
        if not vals.keys().isdisjoint(
            self.env["care.relation.side"]._depends[self._name]
        ):
            self._care_sides_changed()
        if "type_id" in vals:
            self._check_type_active()
        self._care_after_write_invitations(invite, newly_granted)
        return result

    @api.constrains("partner_id", "related_partner_id")
    def _check_one_company(self):
        for relation in self:
            client, related = relation.partner_id, relation.related_partner_id
            companies = client.company_id | related.company_id
            if len(companies) > 1:
                raise ValidationError(
                    self.env._(
                        "%(client)s belongs to %(client_company)s and %(related)s to "
                        "%(related_company)s: a relation cannot link partners of two "
                        "companies.",
                        client=client.name,
                        client_company=client.company_id.name,
                        related=related.name,
                        related_company=related.company_id.name,
                    )
                )

    def _check_type_active(self):
        for relation in self:
            if not relation.type_id.active:
                raise ValidationError(
                    self.env._(
                        "The relation type %(type)s is archived: it accepts no new "
                        "relations.",
                        type=relation.type_id.name,
                    )
                )

    @api.constrains("partner_id", "related_partner_id")
    def _check_not_self(self):
        for relation in self:
            if relation.partner_id == relation.related_partner_id:
                raise ValidationError(
                    self.env._(
                        "%(partner)s cannot be related to themself.",
                        partner=relation.partner_id.name,
                    )
                )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for relation in self:
            if (
                relation.date_start
                and relation.date_end
                and relation.date_end < relation.date_start
            ):
                raise ValidationError(
                    self.env._(
                        "The relation %(relation)s ends (%(end)s) before it starts "
                        "(%(start)s).",
                        relation=relation.display_name,
                        end=relation.date_end,
                        start=relation.date_start,
                    )
                )

    @api.constrains("partner_id", "related_partner_id", "type_id")
    def _check_kinds(self):
        # A self-relation is reported by _check_not_self with a clearer message.
        for relation in self.filtered(lambda r: r.partner_id != r.related_partner_id):
            relation_type = relation.type_id
            for partner, kind, side in (
                (relation.partner_id, relation_type.partner_kind, self.env._("client")),
                (
                    relation.related_partner_id,
                    relation_type.related_kind,
                    self.env._("related partner"),
                ),
            ):
                if not self._kind_allows(kind, partner):
                    raise ValidationError(
                        self.env._(
                            "In a %(type)s relation the %(side)s must be %(kind)s, "
                            "and %(partner)s is not.",
                            type=relation_type.name,
                            side=side,
                            kind=self._kind_label(kind),
                            partner=partner.name,
                        )
                    )

    @staticmethod
    def _kind_allows(kind, partner):
        if kind == "person":
            return not partner.is_company
        if kind == "organization":
            return partner.is_company
        return True

    def _kind_label(self, kind):
        return {
            "person": self.env._("a person"),
            "organization": self.env._("an organisation"),
        }.get(kind, kind)

    @api.constrains(
        "partner_id", "related_partner_id", "type_id", "date_start", "date_end"
    )
    def _check_no_overlapping_duplicate(self):
        """Two relations of the same type between the same pair may not overlap in time
        (for symmetric types the pair is unordered)."""
        overlapping = self._overlapping_duplicate_ids(limit=1)
        if overlapping:
            duplicate = self.browse(overlapping[0])
            raise ValidationError(
                self.env._(
                    "%(related)s is already %(label)s of %(client)s for that period: "
                    "end the existing relation before adding another one.",
                    related=duplicate.related_partner_id.name,
                    label=duplicate.label,
                    client=duplicate.partner_id.name,
                )
            )

    def _overlapping_duplicate_ids(self, limit=None):
        """Ids of these relations (of all, for an empty recordset) that overlap
        another of the same type between the same pair. One read of the
        relations of the batch's partners and types, then compared in memory: a
        search per relation would cost a query per row of a 10,000-relation
        import (bench e), and a self-join of the table is planned as a nested
        loop over every relation of the type while the table's statistics still
        say it is empty (a first import: 60,000 relations at 400 a second)."""
        relations = self.sudo().with_context(active_test=False)
        if not self:
            relations = relations.search([])
        symmetric = relations.type_id.filtered("symmetric")
        partners = (
            relations.partner_id
            | relations.filtered(lambda r: r.type_id in symmetric).related_partner_id
        )
        others = relations.search_fetch(
            [
                ("type_id", "in", relations.type_id.ids),
                ("partner_id", "in", partners.ids),
            ],
            ["partner_id", "related_partner_id", "type_id", "date_start", "date_end"],
        )
        by_key = {}
        for other in others:
            key = (other.type_id.id, other.partner_id.id, other.related_partner_id.id)
            by_key.setdefault(key, []).append(other)
        found = []
        for relation in relations:
            pair = (relation.partner_id.id, relation.related_partner_id.id)
            keys = {(relation.type_id.id, *pair)}
            if relation.type_id in symmetric:
                keys.add((relation.type_id.id, pair[1], pair[0]))
            if any(
                other != relation and _overlaps(relation, other)
                for key in keys
                for other in by_key.get(key, ())
            ):
                found.append(relation.id)
                if limit and len(found) >= limit:
                    break
        return found

    @api.constrains("is_primary", "partner_id", "type_id", "date_start", "date_end")
    def _check_one_primary_organisation(self):
        for relation in self.filtered("is_primary"):
            if relation.category != "membership":
                raise ValidationError(
                    self.env._(
                        "Only a membership relation can mark a primary organisation."
                    )
                )
            others = relation.partner_id.care_relation_ids.filtered(
                lambda r, rel=relation: r != rel and r.is_primary and r.is_current
            )
            if relation.is_current and others:
                raise ValidationError(
                    self.env._(
                        "%(client)s already has a primary organisation (%(org)s): "
                        "a client is billed through one organisation only.",
                        client=relation.partner_id.name,
                        org=others[0].related_partner_id.name,
                    )
                )

    def _other_side(self, partner):
        """The partner of this relation who is not ``partner``."""
        self.ensure_one()
        return (
            self.partner_id
            if self.related_partner_id == partner
            else (self.related_partner_id)
        )

    def action_end_today(self):
        today = fields.Date.context_today(self)
        for relation in self.filtered("is_current"):
            relation.date_end = max(today, relation.date_start or today)
