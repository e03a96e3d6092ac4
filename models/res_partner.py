from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..uninstall_flag import uninstalling

DEFAULT_AGE_OF_MAJORITY = 18


class ResPartner(models.Model):
    """The care profile of a partner: roles, client flag, age and minors, contact
    preference and the staff responsible. The circle, referrals and client
    organisations live in ``res_partner_<concern>.py``."""

    _inherit = "res.partner"

    # Odoo's "Internal Notes": staff's. The portal rules open a client to their
    # guardians, who would otherwise read them over RPC.
    comment = fields.Html(groups="base.group_user")
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
    care_missing_guardian = fields.Boolean(
        string="Minor Without Legal Guardian",
        compute="_compute_care_missing_guardian",
        search="_search_care_missing_guardian",
    )
    care_missing_guardian_now = fields.Boolean(
        compute="_compute_care_missing_guardian_now",
        help="A minor client without a current relation of a type required for minors.",
    )

    # The addon's create, write and unlink of partners, in one place: the
    # organisation's care team as followers (res_partner_organisation.py), the
    # numbers of Odoo's mobile and phone (care_partner_phone.py), the names the
    # circles show (care_relation_side.py), the care records of deleted contacts
    # (res_partner_care_data.py).
    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners.filtered("care_team_user_ids")._care_subscribe_team()
        partners._care_phones_from_created(vals_list)
        return partners

    def write(self, vals):
        result = super().write(vals)
        if vals.get("care_team_user_ids"):
            self._care_subscribe_team()
        self._care_phones_from_written(vals)
        self._care_circle_names_changed(vals)
        return result

    def unlink(self):
        """Odoo's refusals first (rights, a contact with a login: revoking a
        last grant would archive the login Odoo looks for), then the care
        records (res_partner_care_data.py), before mail.thread deletes the
        contacts' messages: what that posts on them goes with theirs."""
        if not self or uninstalling(self.env):
            return super().unlink()
        self.check_access("unlink")
        self._unlink_except_user()
        self._care_unlink_care_records()
        return super().unlink()

    def _care_circle_names_changed(self, vals):
        """A circle's rows read their partners' full names in the database view
        (care.relation.side), which has no field triggers: a rename drops the
        names read before in this transaction."""
        depends = self.pool.field_depends[self._fields["complete_name"]]
        if not vals.keys().isdisjoint(path.split(".")[0] for path in depends):
            self.env["care.relation.side"].invalidate_model(["other_partner_name"])

    # --- roles -------------------------------------------------------------------
    def _care_client_role(self):
        return self._care_data_role("care_network.role_client")

    @api.model
    def _care_data_role(self, xmlid):
        """A role of the addon's data, empty if it was deleted. Its id comes from
        ir.model.data's cached lookup: env.ref() would also query the role's
        existence, on every compute of every form."""
        role_id = self.env["ir.model.data"]._xmlid_to_res_id(
            xmlid, raise_if_not_found=False
        )
        return self.env["care.partner.role"].browse(role_id or ())

    @api.depends("care_role_ids")
    def _compute_is_care_client(self):
        client_role = self._care_client_role()
        for partner in self:
            partner.is_care_client = (
                # _origin: in a form, a new contact's roles are new records.
                bool(client_role) and client_role in partner.care_role_ids._origin
            )

    def _inverse_is_care_client(self):
        client_role = self._care_client_role()
        if not client_role:
            return
        for partner in self:
            has_role = client_role in partner.care_role_ids._origin
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
        # Today (the user's time zone) only matters for a birthdate.
        cutoff = self.filtered("birthdate") and self._care_majority_cutoff()
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
        "birthdate",
        "is_minor_manual",
        "care_role_ids",
        "care_relation_ids",
        "care_first_relation_ids",
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
        "care_first_relation_ids",
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
        # A new contact's form holds its first relations in their own list.
        relations = self.care_relation_ids | self.care_first_relation_ids
        return relations.filtered(
            lambda r: r.type_id.required_for_minors and r.is_current
        )

    def _compute_care_missing_guardian(self):
        self.care_missing_guardian = False

    def _search_care_missing_guardian(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(
                self.env._("Unsupported search on Minor Without Legal Guardian.")
            )
        missing = [
            ("is_care_client", "=", True),
            ("is_minor", "=", True),
            *self._care_circle_domain(
                [("type_id.required_for_minors", "=", True)], negate=True
            ),
        ]
        if (operator == "=") == value:
            return missing
        return ["!", "&", "&", *missing]
