from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.osv import expression

from .care_relation import any_grant_domain
from .care_relation_type import CATEGORY_SELECTION


class ResPartner(models.Model):
    """A partner's circle of care: the relations it holds as client, the circles it
    belongs to, and searching partners by them."""

    _inherit = "res.partner"

    care_relation_ids = fields.One2many(
        "care.relation",
        "partner_id",
        string="Circle of Care",
        help="The people and organisations in this partner's circle of care.",
    )
    care_related_to_ids = fields.One2many(
        "care.relation",
        "related_partner_id",
        string="In the Circle of",
        help="The circles of care this partner belongs to, read with the inverse "
        "labels.",
    )
    care_circle_ids = fields.One2many(
        "care.relation",
        string="Circle of Care (both directions)",
        compute="_compute_care_circle_ids",
        readonly=False,
        help="Every relation of this partner, whichever side it is on: read from "
        "this partner's point of view (context key care_viewpoint_id).",
    )
    care_relation_count = fields.Integer(
        string="Relations", compute="_compute_care_relation_count"
    )

    # Search-only fields: partners by the current relations of their circle.
    care_relation_type_id = fields.Many2one(
        "care.relation.type",
        string="Has Relation of Type",
        compute="_compute_care_search_helpers",
        search="_search_care_relation_type_id",
        help="Partners with a current relation of this type in their circle. "
        "To find who is whose Legal Guardian, search the Relations by type and "
        "related partner.",
    )
    care_related_partner_id = fields.Many2one(
        "res.partner",
        string="Has in Circle",
        compute="_compute_care_search_helpers",
        search="_search_care_related_partner_id",
        help="Partners with a current relation to this person or organisation.",
    )
    care_relation_category = fields.Selection(
        CATEGORY_SELECTION,
        string="Has Relation of Category",
        compute="_compute_care_search_helpers",
        search="_search_care_relation_category",
        help="Partners with a current relation of this category in their circle.",
    )

    @api.depends("care_circle_ids")
    def _compute_care_relation_count(self):
        """The rows of the circle list: one search for both, on the form."""
        for partner in self:
            partner.care_relation_count = len(partner.care_circle_ids)

    @api.depends("care_relation_ids", "care_related_to_ids")
    def _compute_care_circle_ids(self):
        """Both directions in one search, in the relations' order (emergency
        contacts first by priority, then by type)."""
        ids = [partner_id for partner_id in self._origin.ids if partner_id]
        relations = self.env["care.relation"]
        if ids:
            # The rows come with their ids: one query where search() and the
            # list's read take two.
            relations = relations.search_fetch(
                self._care_either_side_domain(ids), relations._care_row_columns()
            )
        by_partner = defaultdict(list)
        for relation in relations:
            for side in (relation.partner_id.id, relation.related_partner_id.id):
                by_partner[side].append(relation.id)
        for partner in self:
            partner.care_circle_ids = relations.browse(by_partner[partner._origin.id])

    def web_read(self, specification):
        """The circle list reads its rows from this partner's point of view. The
        form view cannot say so itself: the web client drops a field context that
        names the record (``id``) when it builds the specification of the first
        read."""
        circle = specification.get("care_circle_ids")
        if circle is not None and len(self) == 1:
            context = {**circle.get("context", {}), "care_viewpoint_id": self.id}
            specification = {
                **specification,
                "care_circle_ids": {**circle, "context": context},
            }
        return super().web_read(specification)

    @api.model
    def _care_pop_circle_commands(self, vals_list):
        """Take the circle list's commands out of each of ``vals_list`` (called
        by create, res_partner.py): the rows the new partner is the client of go
        in with its own relations; the others are returned, a list per partner,
        for ``_care_apply_created_circles``."""
        circles = []
        for vals in vals_list:
            own, others = self._care_split_circle_commands(
                vals.pop("care_circle_ids", None) or []
            )
            if own:
                vals["care_relation_ids"] = [*vals.get("care_relation_ids", []), *own]
            circles.append(others)
        return circles

    def _care_apply_created_circles(self, circles):
        for partner, commands in zip(self, circles, strict=True):
            if commands:
                partner._care_apply_circle_commands(commands)

    def _care_write_circle_commands(self, vals):
        """The values for write (res_partner.py) once the circle list's commands
        are applied or turned into the partner's own relations."""
        if "care_circle_ids" not in vals:
            return vals
        vals = dict(vals)
        commands = vals.pop("care_circle_ids") or []
        # Rows edited or removed first, as the list shows them; rows added go in
        # with the partner's own values, so that the partner's checks (a minor's
        # legal guardian) see them in the same write.
        own, others = self._care_split_circle_commands(
            commands, self.ids if len(self) == 1 else ()
        )
        if others:
            for partner in self:
                partner._care_apply_circle_commands(others)
        if own:
            vals["care_relation_ids"] = [*vals.get("care_relation_ids", []), *own]
        return vals

    @api.model
    def _care_split_circle_commands(self, commands, partner_ids=()):
        """The rows added to the circle list with this partner as the client
        (what ``care_relation_ids`` says the same way), and the other commands."""
        own, others = [], []
        for command in commands:
            values = command[2] if command[0] == Command.CREATE else None
            if values is not None and (
                not values.get("partner_id") or values["partner_id"] in partner_ids
            ):
                values = {k: v for k, v in values.items() if k != "partner_id"}
                own.append(Command.create(values))
            else:
                others.append(command)
        return own, others

    def _care_apply_circle_commands(self, commands):
        """What the circle list sends, applied to the relations themselves: a row
        added becomes a relation with this partner as the client, a row edited
        writes its relation (stored either way), a row deleted deletes it. Not an
        inverse method: that one sees only the list's final value, and would
        delete a relation another field of the same form (an organisation's
        members) created in the same save."""
        self.ensure_one()
        Relation = self.env["care.relation"]
        circle = Relation.search(self._care_either_side_domain(self.ids))
        to_create = []
        for command in commands:
            operation = command[0]
            if operation == Command.CREATE:
                values = dict(command[2])
                values["partner_id"] = values.get("partner_id") or self.id
                to_create.append(values)
            elif operation == Command.UPDATE:
                (Relation.browse(command[1]) & circle).write(command[2])
            elif operation == Command.DELETE:
                (Relation.browse(command[1]) & circle).unlink()
            elif operation in (Command.CLEAR, Command.SET):
                kept = command[2] if operation == Command.SET else []
                (circle - Relation.browse(kept)).unlink()
            # LINK and UNLINK: a relation is in the circle by its sides, not by
            # the list; there is nothing to link or unlink.
        if to_create:
            Relation.create(to_create)
        self.invalidate_recordset(["care_circle_ids"])

    @api.model
    def _care_either_side_domain(self, partner_ids):
        return [
            "|",
            ("partner_id", "in", partner_ids),
            ("related_partner_id", "in", partner_ids),
        ]

    def _compute_care_search_helpers(self):
        self.care_relation_type_id = False
        self.care_related_partner_id = False
        self.care_relation_category = False

    @api.model
    def _care_circle_domain(self, relation_domain, negate=False):
        """Partners whose circle holds a current relation matching
        ``relation_domain`` (or none, with ``negate``): a subquery built by the
        ORM with the searching user's relation rules. Not `care_relation_ids any`:
        the same SQL, but the subselect skips a pass of domain rewriting
        (bench b: 1.9 vs 2.2 times the parent_id search)."""
        Relation = self.env["care.relation"]
        relations = Relation._search([*Relation._current_domain(), *relation_domain])
        return [("id", "not in" if negate else "in", relations.subselect("partner_id"))]

    def _care_search_circle(self, relation_field, operator, value):
        """As for Odoo's x2many fields, a negative operator means "no current
        relation matching the positive one", and "is (not) set" asks whether the
        circle holds any current relation."""
        if value is False and operator in ("=", "!="):
            return self._care_circle_domain([], negate=operator == "=")
        if operator in expression.NEGATIVE_TERM_OPERATORS:
            positive = expression.TERM_OPERATORS_NEGATION[operator]
            return self._care_circle_domain(
                [(relation_field, positive, value)], negate=True
            )
        return self._care_circle_domain([(relation_field, operator, value)])

    def _search_care_relation_type_id(self, operator, value):
        return self._care_search_circle("type_id", operator, value)

    def _search_care_related_partner_id(self, operator, value):
        return self._care_search_circle("related_partner_id", operator, value)

    def _search_care_relation_category(self, operator, value):
        return self._care_search_circle("category", operator, value)

    def _care_granting_relations(self, client_id=None):
        """Current relations in which a client grants this partner some portal
        access, read with the caller's rights (portal rules included)."""
        self.ensure_one()
        domain = [
            ("related_partner_id", "=", self.id),
            ("is_current", "=", True),
            *any_grant_domain(),
        ]
        if client_id is not None:
            domain.append(("partner_id", "=", client_id))
        Relation = self.env["care.relation"]
        if not Relation.has_access("read"):
            return Relation
        return Relation.search(domain)

    def _care_still_needs_portal(self):
        """Whether this person still has a reason to log into the portal: a
        current grant from some client, or referrals of their own."""
        self.ensure_one()
        return self.is_care_client or bool(self.sudo()._care_granting_relations())

    def action_view_care_relations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "care_network.action_care_relation"
        )
        action["domain"] = [
            "|",
            ("partner_id", "=", self.id),
            ("related_partner_id", "=", self.id),
        ]
        action["context"] = {
            "care_viewpoint_id": self.id,
            "default_partner_id": self.id,
        }
        action["display_name"] = self.env._(
            "Circle of Care of %(name)s", name=self.name
        )
        return action

    def action_add_care_linked_account(self):
        return self._care_contact_wizard("linked")

    def action_add_care_alternative_contact(self):
        return self._care_contact_wizard("alternative")

    def _care_contact_wizard(self, contact_kind):
        """The wizard that adds someone to this client's circle, the kind already
        chosen: the way to add to the circle (its list only edits)."""
        self.ensure_one()
        Wizard = self.env["care.relation.contact.wizard"]
        return {
            "type": "ir.actions.act_window",
            "name": dict(
                Wizard._fields["contact_kind"]._description_selection(self.env)
            )[contact_kind],
            "res_model": Wizard._name,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref(
                        "care_network.care_relation_contact_wizard_view_form"
                    ).id,
                    "form",
                )
            ],
            "target": "new",
            "context": {
                "default_partner_id": self.id,
                "default_contact_kind": contact_kind,
            },
        }

    def action_view_care_clients_by_relation(self):
        """The clients in whose circle this partner stands, grouped by what it is
        to them: Claire's wards under "Legal Guardian"."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "care_network.action_care_relation"
        )
        action["domain"] = [("related_partner_id", "=", self.id)]
        action["context"] = {
            "search_default_current": 1,
            "search_default_group_type": 1,
            "default_related_partner_id": self.id,
        }
        action["display_name"] = self.env._(
            "Clients of %(name)s, by relation", name=self.name
        )
        return action

    @api.constrains("is_company")
    def _check_care_relation_kinds(self):
        (self.care_relation_ids | self.care_related_to_ids)._check_kinds()
