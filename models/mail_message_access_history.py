from odoo import api, fields, models


class MailMessage(models.Model):
    """One line per change in a client's Access History list."""

    _inherit = "mail.message"

    care_change_summary = fields.Text(
        string="Change", compute="_compute_care_change_summary"
    )
    care_person_id = fields.Many2one(
        "res.partner",
        string="Person",
        compute="_compute_care_person_id",
        search="_search_care_person_id",
        help="For a message on a relation: the person the relation is with.",
    )

    def _compute_care_person_id(self):
        on_relations = self.filtered(lambda m: m.model == "care.relation")
        relations = self.env["care.relation"].browse(on_relations.mapped("res_id"))
        people = {r.id: r.related_partner_id for r in relations.exists()}
        for message in self:
            message.care_person_id = (
                people.get(message.res_id) if message in on_relations else False
            )

    def _search_care_person_id(self, operator, value):
        relations = self.env["care.relation"]._search(
            [("related_partner_id", operator, value)]
        )
        return [("model", "=", "care.relation"), ("res_id", "in", relations)]

    @api.depends("tracking_value_ids", "body")
    def _compute_care_change_summary(self):
        for message in self:
            changes = [
                self.env._(
                    "%(field)s: %(old)s → %(new)s",
                    field=value.field_id.field_description,
                    old=_shown(value, new=False),
                    new=_shown(value, new=True),
                )
                for value in message.sudo().tracking_value_ids
            ]
            message.care_change_summary = "\n".join(changes) or message.preview


def _shown(tracking_value, new):
    value = tracking_value._format_display_value(
        tracking_value.field_id.ttype, new=new
    )[0]
    if tracking_value.field_id.ttype == "boolean":
        return tracking_value.env._("Yes") if value else tracking_value.env._("No")
    if value is False or value is None or value == "":
        return "—"
    return str(value)
