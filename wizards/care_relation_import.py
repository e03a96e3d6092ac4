import logging

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

_logger = logging.getLogger(__name__)

SOURCE_MODEL = "res.partner.relation"
SOURCE_TYPE_MODEL = "res.partner.relation.type"
BATCH_SIZE = 500
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
    summary = fields.Text(readonly=True)

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
        """One line per source type, with the care type it maps to: an existing
        one with the same labels, else none (one is created on import)."""
        types = self.env[SOURCE_TYPE_MODEL].sudo().with_context(active_test=False)
        counts = dict(
            self.env[SOURCE_MODEL].sudo()._read_group([], ["type_id"], ["__count"])
        )
        CareType = self.env["care.relation.type"].with_context(active_test=False)
        lines = []
        for source in types.search([]):
            target = CareType.search(
                [
                    ("name", "=", source.name),
                    ("inverse_name", "=", source.name_inverse),
                ],
                limit=1,
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
                }
            )
        return lines

    def action_import(self):
        self.ensure_one()
        if not self._source_available():
            raise UserError(
                self.env._(
                    "partner_multi_relation is not installed: nothing to import."
                )
            )
        types = {line.source_type_ref: line._target_type() for line in self.line_ids}
        created = sum(1 for line in self.line_ids if line.created_type)
        outcome = self._copy_relations(types)
        summary = self._summary(len(types) - created, created, outcome)
        self.summary = summary
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Import from partner_multi_relation"),
                "message": summary,
                "type": "success",
                "sticky": True,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _copy_relations(self, types):
        """Copy the source relations not copied before, in batches; returns the
        counts: copied, already there, and skipped by reason."""
        copied_before = set(
            self.env["care.relation"]
            .search([("import_ref", "like", "partner_multi_relation:")])
            .mapped("import_ref")
        )
        outcome = {"copied": 0, "already": 0, "skipped": {}}
        # Read whatever the old addon holds, whatever its own access rights say
        # of a care manager; what is written is written as the manager.
        Source = self.env[SOURCE_MODEL].sudo()
        offset = 0
        while True:
            batch = Source.search([], order="id", offset=offset, limit=BATCH_SIZE)
            if not batch:
                break
            offset += len(batch)
            vals_list = []
            for source in batch:
                ref = f"partner_multi_relation:{source.id}"
                if ref in copied_before:
                    outcome["already"] += 1
                    continue
                reason = self._skip_reason(source, types[source.type_id.id])
                if reason:
                    outcome["skipped"][reason] = outcome["skipped"].get(reason, 0) + 1
                    continue
                vals_list.append(self._relation_values(source, types, ref))
            self._create_batch(vals_list, outcome)
            _logger.info(
                "Import from partner_multi_relation: %s relations read, %s copied",
                offset,
                outcome["copied"],
            )
        return outcome

    def _skip_reason(self, source, care_type):
        client, related = source.right_partner_id, source.left_partner_id
        Relation = self.env["care.relation"]
        if client == related:
            return self.env._("a partner related to itself")
        if not Relation._kind_allows(care_type.partner_kind, client) or not (
            Relation._kind_allows(care_type.related_kind, related)
        ):
            return self.env._("a kind of partner the type does not allow")
        if (
            source.date_start
            and source.date_end
            and source.date_end < source.date_start
        ):
            return self.env._("an end before the start")
        return None

    @staticmethod
    def _relation_values(source, types, ref):
        return {
            "partner_id": source.right_partner_id.id,
            "related_partner_id": source.left_partner_id.id,
            "type_id": types[source.type_id.id].id,
            "date_start": source.date_start,
            "date_end": source.date_end,
            "import_ref": ref,
        }

    def _create_batch(self, vals_list, outcome):
        """Create a batch at once; when a relation of it is refused (an
        overlapping duplicate), one by one, each in a savepoint."""
        if not vals_list:
            return
        Relation = self.env["care.relation"]
        if self._create_all(Relation, vals_list):
            outcome["copied"] += len(vals_list)
            return
        for vals in vals_list:
            try:
                with self.env.cr.savepoint():
                    Relation.create(vals)
                outcome["copied"] += 1
            except ValidationError:
                reason = self.env._("an overlapping duplicate")
                outcome["skipped"][reason] = outcome["skipped"].get(reason, 0) + 1

    def _create_all(self, Relation, vals_list):
        """Whether the whole batch could be created (else nothing of it is)."""
        try:
            with self.env.cr.savepoint():
                Relation.create(vals_list)
        except ValidationError:
            return False
        return True

    def _summary(self, reused, created, outcome):
        lines = [
            self.env._(
                "Relation types: %(created)s created, %(reused)s reused.",
                created=created,
                reused=reused,
            ),
            self.env._(
                "Relations: %(copied)s copied, %(already)s copied before.",
                copied=outcome["copied"],
                already=outcome["already"],
            ),
        ]
        for reason, count in sorted(outcome["skipped"].items()):
            lines.append(
                self.env._("Skipped %(count)s: %(reason)s.", count=count, reason=reason)
            )
        return "\n".join(lines)


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
        string="Client Side",
        readonly=True,
    )
    related_kind = fields.Selection(
        [("person", "Person"), ("organization", "Organisation"), ("any", "Any")],
        string="Related Side",
        readonly=True,
    )
    relation_count = fields.Integer(string="Relations", readonly=True)
    target_type_id = fields.Many2one(
        "care.relation.type",
        string="Care Relation Type",
        ondelete="cascade",
        help="Empty: a care relation type with these labels is created.",
    )
    created_type = fields.Boolean(readonly=True)

    def _target_type(self):
        self.ensure_one()
        if self.target_type_id:
            return self.target_type_id
        care_type = self.env["care.relation.type"].create(
            {
                "name": self.source_name,
                "inverse_name": self.source_name_inverse,
                "symmetric": self.source_symmetric,
                "partner_kind": self.partner_kind or "any",
                "related_kind": self.related_kind or "any",
                "category": "other",
            }
        )
        self.write({"target_type_id": care_type.id, "created_type": True})
        return care_type
