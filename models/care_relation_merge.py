from collections import defaultdict

from odoo import Command, models

from .care_relation_type import GRANT_FIELDS

# What a collapsed relation keeps of the duplicates: any of them says yes.
ANY_OF_FIELDS = (
    *GRANT_FIELDS,
    "reminder_opt_in",
    "reminder_email",
    "reminder_sms",
    "is_emergency_contact",
    "is_primary",
)
# Taken from the duplicate when only it had reminders on.
REMINDER_SETTINGS = (
    "reminder_email_lead_hours",
    "reminder_sms_lead_hours",
    "reminder_sms_phone_id",
)


class CareRelation(models.Model):
    """Keeping the circle's invariants when Odoo merges contacts: the merge wizard
    moves every foreign key to the kept partner in SQL, which can leave a partner
    related to itself and two overlapping relations of one type between one pair."""

    _inherit = "care.relation"

    def _care_pair_key(self):
        """Relations with the same key may not overlap in time."""
        pair = (self.partner_id.id, self.related_partner_id.id)
        if self.type_id.symmetric:
            pair = tuple(sorted(pair))
        return (self.type_id.id, *pair)

    def _care_overlaps(self, other):
        """Whether two periods share a day (no start or end: open that way)."""
        first_day = max(filter(None, (self.date_start, other.date_start)), default=None)
        last_day = min(filter(None, (self.date_end, other.date_end)), default=None)
        return not first_day or not last_day or first_day <= last_day

    def _care_collapse_duplicates(self):
        """Remove self-relations, then fold each group of overlapping relations of
        the same type and pair into its oldest one."""
        self_relations = self.filtered(lambda r: r.partner_id == r.related_partner_id)
        self_relations.unlink()
        groups = defaultdict(list)
        for relation in (self - self_relations).sorted("id"):
            groups[relation._care_pair_key()].append(relation)
        for relations in groups.values():
            kept = []
            for relation in relations:
                target = next((k for k in kept if k._care_overlaps(relation)), None)
                if target:
                    target._care_absorb(relation)
                else:
                    kept.append(relation)

    def _care_absorb(self, duplicate):
        """Take over what ``duplicate`` granted and said, then delete it."""
        self.ensure_one()
        vals = {name: self[name] or duplicate[name] for name in ANY_OF_FIELDS}
        starts = [self.date_start, duplicate.date_start]
        vals["date_start"] = min(starts) if all(starts) else False
        ends = [self.date_end, duplicate.date_end]
        vals["date_end"] = max(ends) if all(ends) else False
        priorities = [
            r.emergency_priority for r in self | duplicate if r.is_emergency_contact
        ]
        if priorities:
            vals["emergency_priority"] = min(priorities)
        if duplicate.reminder_opt_in and not self.reminder_opt_in:
            for name in REMINDER_SETTINGS:
                vals[name] = duplicate[name]
        vals["relationship_note"] = (
            self.relationship_note or duplicate.relationship_note
        )
        vals["note"] = "\n".join(filter(None, (self.note, duplicate.note))) or False
        reminders = (
            self.env["care.reminder"]
            .sudo()
            .search([("relation_ids", "in", duplicate.ids)])
        )
        summary = self.env._(
            "Merged with the duplicate relation %(name)s left by merging contacts.",
            name=duplicate.display_name,
        )
        duplicate.unlink()
        self.write(vals)
        reminders.write({"relation_ids": [Command.link(self.id)]})
        self.message_post(body=summary)
