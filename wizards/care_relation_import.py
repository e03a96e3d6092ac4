from odoo import api, fields, models
from odoo.exceptions import UserError

SOURCE_MODEL = "res.partner.relation"
SOURCE_TYPE_MODEL = "res.partner.relation.type"
# The contact types of partner_multi_relation as the partner kinds of ours.
KINDS = {"p": "person", "c": "organization", False: "any"}


class CareRelationImport(models.TransientModel):
    """Copy partner_multi_relation's relation types and relations into the
    circle of care. partner_multi_relation reads "left is <type> of right": the
    left partner is the one in the circle of the right one, the client."""

    _name = "care.relation.import"
    _description = "Import from partner_multi_relation"

    line_ids = fields.One2many(
        "care.relation.import.line", "import_id", string="Relation Types"
    )

    @api.model
    def _source_available(self):
        return SOURCE_MODEL in self.env

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "line_ids" in fields_list and self._source_available():
            values["line_ids"] = [
                fields.Command.create(line) for line in self._type_lines()
            ]
        return values

    @api.model
    def _type_lines(self):
        """One line per source type, with the care type proposed for it (see
        ``_propose``), else none (one is created on import)."""
        types = self.env[SOURCE_TYPE_MODEL].sudo().with_context(active_test=False)
        counts = dict(
            self.env[SOURCE_MODEL].sudo()._read_group([], ["type_id"], ["__count"])
        )
        care_types = self.env["care.relation.type"].search([])  # archived: never
        lines = []
        for source in types.search([]):
            target, client_is_left = self._propose(
                care_types, source.name, source.name_inverse
            )
            lines.append(
                {
                    "source_type_ref": source.id,
                    "source_name": source.name,
                    "source_name_inverse": source.name_inverse,
                    "source_symmetric": source.is_symmetric,
                    "source_allow_self": source.allow_self,
                    "related_kind": KINDS[source.contact_type_left],
                    "partner_kind": KINDS[source.contact_type_right],
                    "relation_count": counts.get(source, 0),
                    "target_type_id": target.id,
                    "client_side": "left" if client_is_left else "right",
                }
            )
        return lines

    @api.model
    def _propose(self, care_types, name, name_inverse):
        """The care type a source type means, and whether its client is the left
        partner. partner_multi_relation reads "left <name> right" and "right
        <inverse> left": a type copied before has the same labels (the right
        partner is the client); else a label that names a role ("Has parent",
        "Is employee of") proposes the care type of that role: Parent (the other
        side is the client), Employer (whose inverse, Employee, is the client)."""
        for care_type in care_types:
            if (care_type.name, care_type.inverse_name) == (name, name_inverse):
                return care_type, False
        for label, subject_is_left in ((name, True), (name_inverse, False)):
            role, subject_holds = _role_in(label)
            if not role:
                continue
            # Who holds the role: the label's subject ("is X of"), else the other.
            holder_is_left = subject_is_left == subject_holds
            for care_type in care_types:
                if _same_role(role, care_type.name):
                    return care_type, not holder_is_left  # the holder is related
                if _same_role(role, care_type.inverse_name):
                    return care_type, holder_is_left  # the holder is the client
        return care_types.browse(), False

    def action_import(self):
        """Start the import in the background and show its run."""
        self.ensure_one()
        if not self._source_available():
            raise UserError(
                self.env._(
                    "partner_multi_relation is not installed: nothing to import."
                )
            )
        created = self.line_ids.filtered(lambda line: not line.target_type_id)
        type_map = {
            str(line.source_type_ref): [
                line._target_type().id,
                line.client_side == "left",
            ]
            for line in self.line_ids
        }
        # Runs are written by the addon only (managers read their own): what
        # runs, and as whom, is not for a client of the API to choose.
        job = (
            self.env["care.relation.import.job"]
            .sudo()
            .create(
                {
                    "user_id": self.env.uid,
                    "type_map": type_map,
                    "types_created": len(created),
                    "types_reused": len(self.line_ids) - len(created),
                }
            )
        )
        job._start()
        return {
            "type": "ir.actions.act_window",
            "res_model": job._name,
            "res_id": job.id,
            "view_mode": "form",
            "target": "current",
        }


def _role_in(label):
    """The role a label names and whether its subject holds it: "is parent of"
    (the subject is the parent), "has parent" (the object is); else None."""
    words = (label or "").strip().lower().split()
    if len(words) >= 2 and words[0] == "has":
        return " ".join(_without_article(words[1:])), False
    if len(words) >= 3 and words[0] == "is" and words[-1] in ("of", "for", "to"):
        return " ".join(_without_article(words[1:-1])), True
    return None, None


def _without_article(words):
    return (
        words[1:]
        if words and words[0] in ("a", "an", "the") and len(words) > 1
        else words
    )


def _same_role(role, care_label):
    return bool(care_label) and role == care_label.strip().lower()


class CareRelationImportLine(models.TransientModel):
    _name = "care.relation.import.line"
    _description = "Import from partner_multi_relation: one relation type"

    import_id = fields.Many2one(
        "care.relation.import", required=True, ondelete="cascade"
    )
    source_type_ref = fields.Integer(required=True)
    source_name = fields.Char(string="Type", readonly=True)
    source_name_inverse = fields.Char(string="Inverse", readonly=True)
    source_symmetric = fields.Boolean(string="Symmetric", readonly=True)
    source_allow_self = fields.Boolean(string="Reflexive", readonly=True)
    partner_kind = fields.Selection(
        [("person", "Person"), ("organization", "Organisation"), ("any", "Any")],
        string="Right Partner",
        readonly=True,
    )
    related_kind = fields.Selection(
        [("person", "Person"), ("organization", "Organisation"), ("any", "Any")],
        string="Left Partner",
        readonly=True,
    )
    relation_count = fields.Integer(string="Relations", readonly=True)
    target_type_id = fields.Many2one(
        "care.relation.type",
        string="Care Relation Type",
        ondelete="cascade",
        help="Empty: a care relation type with these labels is created.",
    )
    client_side = fields.Selection(
        [("right", "Right Partner"), ("left", "Left Partner")],
        string="Client",
        required=True,
        default="right",
        help="Which partner of the source relation is the client, in whose circle "
        "the other one goes.",
    )
    created_type = fields.Boolean(readonly=True)

    def _target_type(self):
        """The care type chosen, else a new one with the source's labels read
        from the client's side ("<related> is <name> of <client>")."""
        self.ensure_one()
        if self.target_type_id:
            return self.target_type_id
        labels = (self.source_name, self.source_name_inverse)
        kinds = (self.partner_kind or "any", self.related_kind or "any")
        if self.client_side == "left":
            labels, kinds = labels[::-1], kinds[::-1]
        care_type = self.env["care.relation.type"].create(
            {
                "name": labels[0],
                "inverse_name": labels[1],
                "symmetric": self.source_symmetric,
                "partner_kind": kinds[0],
                "related_kind": kinds[1],
                "category": "other",
            }
        )
        self.write({"target_type_id": care_type.id, "created_type": True})
        return care_type
