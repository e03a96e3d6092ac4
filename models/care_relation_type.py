from odoo import api, fields, models
from odoo.exceptions import UserError

from ..uninstall_flag import uninstalling

KIND_SELECTION = [
    ("person", "Person"),
    ("organization", "Organisation"),
    ("any", "Person or organisation"),
]

GRANT_FIELDS = (
    "can_view_profile",
    "can_view_appointments",
    "can_view_referrals",
    "can_update_referrals",
)
CATEGORY_SELECTION = [
    ("family", "Family"),
    ("legal", "Legal"),
    ("emergency", "Emergency"),
    ("care", "Care"),
    ("professional", "Professional"),
    ("membership", "Membership"),
    ("employment", "Employment"),
    ("financial", "Financial"),
    ("referral", "Referral"),
    ("other", "Other"),
]


class CareRelationType(models.Model):
    _name = "care.relation.type"
    _description = "Care Relation Type"
    _order = "sequence, name"

    name = fields.Char(
        required=True,
        translate=True,
        help="What the related partner is to the client, e.g. Legal Guardian.",
    )
    inverse_name = fields.Char(
        string="Inverse Label",
        translate=True,
        help="What the client is to the related partner, e.g. Ward. "
        "Symmetric types use the same label on both sides.",
    )
    code = fields.Char(
        help="FHIR / HL7 v3 RoleCode or v2-0131 code (GUARD, ECON, NOK, ...); "
        "local codes start with X-."
    )
    inverse_code = fields.Char(
        help="The code read from the other side (Parent PRN, Child CHILD): with it, "
        "the API also shows the client as the related partner's RelatedPerson. "
        "Symmetric types use their code on both sides.",
    )
    category = fields.Selection(CATEGORY_SELECTION, required=True, default="other")
    symmetric = fields.Boolean(help="Both sides read the same label (sibling, spouse).")
    partner_kind = fields.Selection(
        KIND_SELECTION,
        string="Client Side",
        required=True,
        default="any",
        help="What kind of partner the client of such a relation may be.",
    )
    related_kind = fields.Selection(
        KIND_SELECTION,
        string="Related Side",
        required=True,
        default="any",
        help="What kind of partner the related side of such a relation may be.",
    )
    default_can_view_profile = fields.Boolean(string="View Profile by Default")
    default_can_view_appointments = fields.Boolean(
        string="View Appointments by Default"
    )
    default_can_view_referrals = fields.Boolean(string="View Referrals by Default")
    default_can_update_referrals = fields.Boolean(string="Update Referrals by Default")
    default_portal_invite = fields.Boolean(
        string="Invite to Portal by Default",
        help="New relations of this type offer to give the related person a portal "
        "login.",
    )
    required_for_minors = fields.Boolean(
        help="A client who is a minor must have a current relation of such a type."
    )
    description = fields.Text(translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    relation_count = fields.Integer(compute="_compute_relation_count")

    _sql_constraints = [
        (
            "code_unique",
            "unique(code)",
            "Another relation type already uses this code.",
        ),
    ]

    @api.onchange("symmetric", "name")
    def _onchange_symmetric(self):
        for relation_type in self.filtered("symmetric"):
            relation_type.inverse_name = relation_type.name

    def write(self, vals):
        result = super().write(vals)
        # The circles' rows read the labels in a database view (care.relation.side),
        # which has no field triggers: labels read before in this transaction are
        # stale.
        if not vals.keys().isdisjoint(("name", "inverse_name", "symmetric")):
            self.env["care.relation.side"].invalidate_model(["side_label"])
        return result

    def _compute_relation_count(self):
        counts = dict(
            self.env["care.relation"]._read_group(
                [("type_id", "in", self.ids)], ["type_id"], ["__count"]
            )
        )
        for relation_type in self:
            relation_type.relation_count = counts.get(relation_type, 0)

    @api.depends("name", "inverse_name", "symmetric")
    def _compute_display_name(self):
        for relation_type in self:
            if relation_type.symmetric or not relation_type.inverse_name:
                relation_type.display_name = relation_type.name
            else:
                relation_type.display_name = (
                    f"{relation_type.name} / {relation_type.inverse_name}"
                )

    def _relation_values(self):
        """What a relation of this type copies from it: category and sequence,
        and the grants it starts with. Empty for no type."""
        if not self:
            return {}
        self.ensure_one()
        return {
            "category": self.category,
            "type_sequence": self.sequence,
            **{grant: self[f"default_{grant}"] for grant in GRANT_FIELDS},
        }

    def get_inverse_label(self):
        """The label read from the related partner's side."""
        self.ensure_one()
        if self.symmetric or not self.inverse_name:
            return self.name
        return self.inverse_name

    def _fhir_inverse_code(self):
        """The code of the client as seen from the related partner, if any."""
        self.ensure_one()
        return self.inverse_code or (self.symmetric and self.code) or False

    @api.ondelete(at_uninstall=True)
    def _unlink_except_in_use(self):
        if uninstalling(self.env):
            return
        in_use = (
            self.env["care.relation"]
            .with_context(active_test=False)
            .search([("type_id", "in", self.ids)], limit=1)
        )
        if in_use:
            raise UserError(
                self.env._(
                    "The relation type %(type)s is used by existing relations and "
                    "cannot be deleted. Archive it instead: its relations are kept "
                    "and no new ones can be created.",
                    type=in_use.type_id.display_name,
                )
            )

    def action_view_relations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "care_network.action_care_relation"
        )
        action["domain"] = [("type_id", "=", self.id)]
        action["context"] = {"default_type_id": self.id}
        return action
