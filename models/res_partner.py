from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from .care_relation import any_grant_domain
from .care_relation_type import CATEGORY_SELECTION

DEFAULT_AGE_OF_MAJORITY = 18
MEMBER_FEED_LIMIT = 80  # messages and events shown on a client organisation
# Search-only partner fields that describe one relation of the partner's circle,
# and the relation field each stands for.
CIRCLE_CRITERIA = {
    "care_relation_type_id": "type_id",
    "care_related_partner_id": "related_partner_id",
    "care_relation_category": "category",
}


def _subtree_end(domain, start):
    """Index just after the operand of a normalized domain starting at ``start``."""
    needed, index = 1, start
    while needed:
        token = domain[index]
        if token in (expression.AND_OPERATOR, expression.OR_OPERATOR):
            needed += 1
        elif token != expression.NOT_OPERATOR:
            needed -= 1
        index += 1
    return index


def _conjuncts(domain):
    """The operands of a normalized domain's top-level '&' chain."""
    if domain and domain[0] == expression.AND_OPERATOR:
        first_end = _subtree_end(domain, 1)
        return _conjuncts(domain[1:first_end]) + _conjuncts(domain[first_end:])
    return [domain]


def _circle_relation_domain(conjunct):
    """The relation domain a conjunct stands for, if it only combines positive
    circle criteria with '|' (a negation means "no such relation": kept apart)."""
    relation_domain = []
    for token in conjunct:
        if token == expression.OR_OPERATOR:
            relation_domain.append(token)
        elif (
            expression.is_leaf(token)
            and token[0] in CIRCLE_CRITERIA
            and token[1] not in expression.NEGATIVE_TERM_OPERATORS
        ):
            relation_domain.append((CIRCLE_CRITERIA[token[0]], *token[1:]))
        else:
            return None
    return relation_domain


class ResPartner(models.Model):
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
    care_relation_count = fields.Integer(
        string="Relations", compute="_compute_care_relation_count"
    )
    care_role_ids = fields.Many2many(
        "care.partner.role",
        "care_partner_role_res_partner_rel",
        "partner_id",
        "role_id",
        string="Care Roles",
    )
    is_care_client = fields.Boolean(
        string="Care Client",
        compute="_compute_is_care_client",
        inverse="_inverse_is_care_client",
        store=True,
        index=True,
        help="Mirrors the Client role.",
    )
    birthdate = fields.Date()
    is_minor_manual = fields.Boolean(
        string="Minor (set by hand)",
        help="Used when the birthdate is unknown.",
    )
    is_minor = fields.Boolean(
        string="Minor",
        compute="_compute_is_minor",
        inverse="_inverse_is_minor",
        search="_search_is_minor",
        help="Follows the birthdate and the age of majority of the settings; "
        "without a birthdate, tick it by hand.",
    )
    care_manager_user_ids = fields.Many2many(
        "res.users",
        "care_partner_manager_rel",
        "partner_id",
        "user_id",
        string="Care Staff",
        help="Staff responsible for this partner.",
    )
    care_contact_preference = fields.Selection(
        [
            ("email", "E-mail"),
            ("sms", "SMS"),
            ("phone", "Phone"),
            ("none", "Don't reach out"),
        ],
        string="Contact Preference",
        default="email",
        help='How this partner wants to be contacted. With "Don\'t reach out" no '
        "notification about them is sent to anyone.",
    )

    care_referral_ids = fields.One2many(
        "care.referral", "seeker_id", string="Referrals"
    )
    care_referral_count = fields.Integer(
        string="Referral Count", compute="_compute_care_referral_counts"
    )
    care_goal_ids = fields.One2many("care.goal", "seeker_id", string="Goals")
    care_goal_count = fields.Integer(
        string="Goal Count", compute="_compute_care_referral_counts"
    )

    # Client organisations and families (company-type partners).
    care_group_kind = fields.Selection(
        [("family", "Family"), ("organization", "Client Organisation")],
        string="Client Group",
        index=True,
        help="Makes this company a family or client organisation whose members are "
        "served as one account.",
    )
    care_primary_contact_id = fields.Many2one(
        "res.partner",
        string="Primary Contact",
        domain=[("is_company", "=", False)],
    )
    care_billing_contact_id = fields.Many2one(
        "res.partner",
        string="Billing Contact",
        domain=[("is_company", "=", False)],
        help="Invoices for the members whose primary organisation this is go here.",
    )
    care_team_user_ids = fields.Many2many(
        "res.users",
        "care_partner_team_user_rel",
        "partner_id",
        "user_id",
        string="Assigned Staff",
        domain=[("share", "=", False)],
    )
    care_membership_ids = fields.One2many(
        "care.relation",
        "related_partner_id",
        string="Memberships",
        domain=[("category", "=", "membership")],
    )
    care_member_ids = fields.Many2many(
        "res.partner",
        string="Members",
        compute="_compute_care_member_ids",
        help="Partners with a current membership relation to this organisation.",
    )
    care_member_count = fields.Integer(
        string="Member Count", compute="_compute_care_member_ids"
    )
    care_member_message_ids = fields.Many2many(
        "mail.message",
        string="Members' Messages",
        compute="_compute_care_member_activity",
    )
    care_member_activity_ids = fields.Many2many(
        "mail.activity",
        string="Members' Activities",
        compute="_compute_care_member_activity",
    )
    care_member_event_ids = fields.Many2many(
        "calendar.event",
        string="Members' Upcoming Events",
        compute="_compute_care_member_activity",
    )

    # Search-only fields (partners by the relations of their circle).
    care_relation_type_id = fields.Many2one(
        "care.relation.type",
        string="Has Relation of Type",
        compute="_compute_care_search_helpers",
        search="_search_care_relation_type_id",
        help="Partners with a current relation of this type in their circle. "
        "Combined with the other circle criteria, one relation must match them all.",
    )
    care_related_partner_id = fields.Many2one(
        "res.partner",
        string="Has in Circle",
        compute="_compute_care_search_helpers",
        search="_search_care_related_partner_id",
        help="Partners with a current relation to this person or organisation. "
        "Combined with the other circle criteria, one relation must match them all.",
    )
    care_relation_category = fields.Selection(
        CATEGORY_SELECTION,
        string="Has Relation of Category",
        compute="_compute_care_search_helpers",
        search="_search_care_relation_category",
        help="Partners with a current relation of this category in their circle. "
        "Combined with the other circle criteria, one relation must match them all.",
    )
    care_missing_guardian = fields.Boolean(
        string="Minor Without Legal Guardian",
        compute="_compute_care_search_helpers",
        search="_search_care_missing_guardian",
    )

    care_missing_guardian_now = fields.Boolean(
        compute="_compute_care_missing_guardian_now",
        help="A minor client without a current relation of a type required for minors.",
    )

    # --- roles -------------------------------------------------------------------
    def _care_client_role(self):
        return self.env.ref("care_network.role_client", raise_if_not_found=False)

    @api.depends("care_role_ids")
    def _compute_is_care_client(self):
        client_role = self._care_client_role()
        for partner in self:
            partner.is_care_client = (
                bool(client_role) and client_role in partner.care_role_ids
            )

    def _inverse_is_care_client(self):
        client_role = self._care_client_role()
        if not client_role:
            return
        for partner in self:
            has_role = client_role in partner.care_role_ids
            if partner.is_care_client and not has_role:
                partner.care_role_ids = [fields.Command.link(client_role.id)]
            elif not partner.is_care_client and has_role:
                partner.care_role_ids = [fields.Command.unlink(client_role.id)]

    # --- minors ------------------------------------------------------------------
    @api.model
    def _care_age_of_majority(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("care_network.age_of_majority", DEFAULT_AGE_OF_MAJORITY)
        )
        try:
            return int(value)
        except ValueError:
            return DEFAULT_AGE_OF_MAJORITY

    def _care_majority_cutoff(self):
        """Partners born after this day are minors today."""
        today = fields.Date.context_today(self)
        return today - relativedelta(years=self._care_age_of_majority())

    @api.depends("birthdate", "is_minor_manual")
    @api.depends_context("tz")
    def _compute_is_minor(self):
        cutoff = self._care_majority_cutoff()
        for partner in self:
            if partner.birthdate:
                partner.is_minor = partner.birthdate > cutoff
            else:
                partner.is_minor = partner.is_minor_manual

    def _inverse_is_minor(self):
        for partner in self:
            if not partner.birthdate:
                partner.is_minor_manual = partner.is_minor

    def _search_is_minor(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(self.env._("Unsupported search on Minor."))
        minors = [
            "|",
            ("birthdate", ">", self._care_majority_cutoff()),
            "&",
            ("birthdate", "=", False),
            ("is_minor_manual", "=", True),
        ]
        if (operator == "=") == value:
            return minors
        return ["!", *minors]

    @api.constrains(
        "birthdate", "is_minor_manual", "care_role_ids", "care_relation_ids"
    )
    def _check_minor_has_guardian(self):
        required_types = self.env["care.relation.type"].search(
            [("required_for_minors", "=", True)]
        )
        if not required_types:
            return
        for partner in self.filtered(lambda p: p.is_care_client and p.is_minor):
            if not partner._care_current_guardian_relations():
                raise ValidationError(
                    self.env._(
                        "%(client)s is a minor: add a current %(types)s to their "
                        "circle of care before saving.",
                        client=partner.name,
                        types=self.env._(" or ").join(required_types.mapped("name")),
                    )
                )

    @api.depends(
        "is_care_client",
        "is_minor",
        "care_relation_ids.type_id.required_for_minors",
        "care_relation_ids.date_start",
        "care_relation_ids.date_end",
    )
    def _compute_care_missing_guardian_now(self):
        for partner in self:
            partner.care_missing_guardian_now = (
                partner.is_care_client
                and partner.is_minor
                and not partner._care_current_guardian_relations()
            )

    def _care_current_guardian_relations(self):
        self.ensure_one()
        return self.care_relation_ids.filtered(
            lambda r: r.type_id.required_for_minors and r.is_current
        )

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

    # --- circle ------------------------------------------------------------------
    def _compute_care_relation_count(self):
        relations = self.env["care.relation"]
        counts = dict.fromkeys(self.ids, 0)
        for field_name in ("partner_id", "related_partner_id"):
            for partner, count in relations._read_group(
                [(field_name, "in", self.ids)], [field_name], ["__count"]
            ):
                counts[partner.id] += count
        for partner in self:
            partner.care_relation_count = counts.get(partner.id, 0)

    def _compute_care_search_helpers(self):
        self.care_relation_type_id = False
        self.care_related_partner_id = False
        self.care_relation_category = False
        self.care_missing_guardian = False

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        domain = self._care_merge_circle_criteria(domain)
        return super()._search(domain, offset=offset, limit=limit, order=order)

    @api.model
    def _care_merge_circle_criteria(self, domain):
        """Circle criteria ANDed at the top of a domain describe one relation:
        "Has in Circle: Claire" with "Has Relation of Type: Legal Guardian" finds
        the clients of whom Claire is the legal guardian, not the clients who have
        Claire in their circle and a legal guardian somewhere. They become one
        condition on the relations (one indexed subquery)."""
        if not any(
            expression.is_leaf(term) and term[0] in CIRCLE_CRITERIA for term in domain
        ):
            return domain
        circle, rest = [], []
        for conjunct in _conjuncts(expression.normalize_domain(domain)):
            relation_domain = _circle_relation_domain(conjunct)
            if relation_domain is None:
                rest.append(conjunct)
            else:
                circle.append(relation_domain)
        if len(circle) < 2:
            return domain
        merged = self._care_clients_with_relations(expression.AND(circle))
        return expression.AND([*rest, merged])

    def _care_clients_with_relations(self, domain):
        """Domain on partners whose own circle holds a current relation matching."""
        fast = self._care_current_relations_sql(domain)
        if fast is not None:
            return [("id", "in", fast)]
        query = self.env["care.relation"]._search([("is_current", "=", True), *domain])
        return [("id", "in", query.subselect("partner_id"))]

    def _care_current_relations_sql(self, domain):
        """The same subquery written directly, for ``=`` leaves ANDed, when the
        only relation rule that applies is the multi-company one (superuser and
        care staff): searching partners by relation then costs one index scan."""
        leaves = [term for term in domain if term != expression.AND_OPERATOR]
        if not all(self._care_is_plain_relation_leaf(leaf) for leaf in leaves):
            return None
        if not (self.env.su or self.env.user.has_group("care_network.group_care_user")):
            return None
        self.env["care.relation"].check_access("read")
        today = fields.Date.context_today(self)
        conditions = [
            SQL("%s = %s", SQL.identifier(field), value) for field, _op, value in leaves
        ]
        return SQL(
            """(SELECT partner_id FROM care_relation
                 WHERE %s
                   AND (date_start IS NULL OR date_start <= %s)
                   AND (date_end IS NULL OR date_end >= %s)
                   AND (company_id IS NULL OR company_id = ANY(%s)))""",
            SQL(" AND ").join(conditions),
            today,
            today,
            self.env.companies.ids,
        )

    @api.model
    def _care_is_plain_relation_leaf(self, leaf):
        """A leaf the fast path can write itself: a column equal to one value."""
        if not expression.is_leaf(leaf) or leaf[1] != "=":
            return False
        field, value = leaf[0], leaf[2]
        if field == "category":
            return isinstance(value, str) and bool(value)
        return isinstance(value, int) and not isinstance(value, bool) and value > 0

    def _search_care_relation_type_id(self, operator, value):
        return self._care_search_circle("care_relation_type_id", operator, value)

    def _search_care_related_partner_id(self, operator, value):
        return self._care_search_circle("care_related_partner_id", operator, value)

    def _search_care_relation_category(self, operator, value):
        return self._care_search_circle("care_relation_category", operator, value)

    def _care_search_circle(self, field_name, operator, value):
        """As for Odoo's x2many fields, a negative operator means "no current
        relation matching the positive one", and "is (not) set" asks whether the
        circle holds any current relation."""
        relation_field = CIRCLE_CRITERIA[field_name]
        negative = operator in expression.NEGATIVE_TERM_OPERATORS
        if value is False and operator in ("=", "!="):
            any_relation = self._care_clients_with_relations(
                [(relation_field, "!=", False)]
            )
            return any_relation if negative else ["!", *any_relation]
        if negative:
            positive = expression.TERM_OPERATORS_NEGATION[operator]
            matching = self._care_clients_with_relations(
                [(relation_field, positive, value)]
            )
            return ["!", *matching]
        return self._care_clients_with_relations([(relation_field, operator, value)])

    def _search_care_missing_guardian(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(
                self.env._("Unsupported search on Minor Without Legal Guardian.")
            )
        guarded = self._care_clients_with_relations(
            [("type_id.required_for_minors", "=", True)]
        )
        missing = [
            ("is_care_client", "=", True),
            ("is_minor", "=", True),
            "!",
            *guarded,
        ]
        if (operator == "=") == value:
            return missing
        return ["!", "&", "&", *missing]

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

    @api.constrains("is_company")
    def _check_care_relation_kinds(self):
        (self.care_relation_ids | self.care_related_to_ids)._check_kinds()

    # --- referrals and goals ----------------------------------------------------------
    def _compute_care_referral_counts(self):
        counts = {}
        for model in ("care.referral", "care.goal"):
            records = self.env[model]
            if not records.has_access("read"):
                counts[model] = {}
                continue
            counts[model] = dict(
                records._read_group(
                    [("seeker_id", "in", self.ids)], ["seeker_id"], ["__count"]
                )
            )
        for partner in self:
            partner.care_referral_count = counts["care.referral"].get(partner, 0)
            partner.care_goal_count = counts["care.goal"].get(partner, 0)

    def action_start_referral(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Start a Referral for %(name)s", name=self.name),
            "res_model": "care.referral.start",
            "view_mode": "form",
            "target": "new",
            "context": {"default_seeker_id": self.id},
        }

    def action_view_care_referrals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "care_network.action_care_referral_all"
        )
        action["domain"] = [("seeker_id", "=", self.id)]
        action["context"] = {"default_seeker_id": self.id}
        return action

    def action_view_care_goals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "care_network.action_care_goal"
        )
        action["domain"] = [("seeker_id", "=", self.id)]
        action["context"] = {"default_seeker_id": self.id}
        return action

    # --- client organisations -----------------------------------------------------
    @api.depends(
        "is_company",
        "care_membership_ids.partner_id",
        "care_membership_ids.date_start",
        "care_membership_ids.date_end",
    )
    def _compute_care_member_ids(self):
        # Only organisations have members: a person's form reads no relation here.
        people = self.filtered(lambda p: not p.is_company)
        people.care_member_ids = False
        people.care_member_count = 0
        for partner in self - people:
            members = partner.care_membership_ids.filtered("is_current").partner_id
            partner.care_member_ids = members
            partner.care_member_count = len(members)

    def _compute_care_member_activity(self):
        """Each organisation's members' latest messages, open activities and
        upcoming events, read in one query per kind for all the organisations
        (each shows up to MEMBER_FEED_LIMIT of each kind)."""
        groups = self.filtered("care_member_ids")
        (self - groups).update(
            {
                "care_member_message_ids": False,
                "care_member_activity_ids": False,
                "care_member_event_ids": False,
            }
        )
        if not groups:
            return
        members = groups.care_member_ids
        limit = MEMBER_FEED_LIMIT * len(groups)
        messages = self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "in", members.ids),
                ("message_type", "in", ("comment", "email")),
            ],
            limit=limit,
        )
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "in", members.ids)]
        )
        events = self.env["calendar.event"].search(
            [("partner_ids", "in", members.ids), ("stop", ">=", fields.Datetime.now())],
            limit=limit,
        )
        for group in groups:
            ids = set(group.care_member_ids.ids)
            group.care_member_message_ids = messages.filtered(
                lambda message, ids=ids: message.res_id in ids
            )[:MEMBER_FEED_LIMIT]
            group.care_member_activity_ids = activities.filtered(
                lambda activity, ids=ids: activity.res_id in ids
            )
            group.care_member_event_ids = events.filtered(
                lambda event, ids=ids: ids.intersection(event.partner_ids.ids)
            )[:MEMBER_FEED_LIMIT]

    @api.constrains("care_primary_contact_id", "care_billing_contact_id")
    def _check_care_group_contacts(self):
        for partner in self:
            for contact in (
                partner.care_primary_contact_id,
                partner.care_billing_contact_id,
            ):
                if contact.is_company:
                    raise ValidationError(
                        self.env._(
                            "The primary and billing contacts of %(group)s must be "
                            "persons; %(contact)s is a company.",
                            group=partner.name,
                            contact=contact.name,
                        )
                    )

    def _care_billing_partner(self):
        """Who is billed for this partner: its own current Billing Contact relation,
        else the billing contact of its primary organisation."""
        self.ensure_one()
        relations = self.care_relation_ids.filtered("is_current")
        own = relations.filtered(
            lambda r: (
                r.type_id == self.env.ref("care_network.relation_type_billing_contact")
            )
        )[:1]
        if own:
            return own.related_partner_id
        primary = relations.filtered(
            lambda r: r.category == "membership" and r.is_primary
        )[:1]
        return primary.related_partner_id.care_billing_contact_id

    def address_get(self, adr_pref=None):
        result = super().address_get(adr_pref)
        if len(self) == 1 and "invoice" in (adr_pref or []):
            billing = self.sudo()._care_billing_partner()
            if billing:
                result["invoice"] = billing.id
        return result

    def write(self, vals):
        result = super().write(vals)
        if vals.get("care_team_user_ids"):
            self._care_subscribe_team()
        return result

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners.filtered("care_team_user_ids")._care_subscribe_team()
        return partners

    def _care_subscribe_team(self):
        for partner in self:
            partner.message_subscribe(
                partner_ids=partner.care_team_user_ids.partner_id.ids
            )

    def action_view_care_member_messages(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Messages of the members of %(name)s", name=self.name),
            "res_model": "mail.message",
            "view_mode": "list,form",
            "domain": [
                ("model", "=", "res.partner"),
                ("res_id", "in", self.care_member_ids.ids),
            ],
        }

    def action_view_care_member_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "calendar.action_calendar_event"
        )
        action["domain"] = [("partner_ids", "in", self.care_member_ids.ids)]
        action["context"] = {"default_partner_ids": self.care_member_ids.ids}
        return action
