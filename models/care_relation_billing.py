from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CareRelation(models.Model):
    """The payer of record: the Payer relation a client's invoices go to."""

    _inherit = "care.relation"

    is_payer_of_record = fields.Boolean(
        string="Payer of Record",
        tracking=True,
        help="The client's invoices go to this payer (before their own billing "
        "contact and their organisation's).",
    )

    @api.constrains("is_payer_of_record", "type_id", "date_start", "date_end")
    def _check_payer_of_record(self):
        payer_type = self.env.ref("care_network.relation_type_payer")
        for relation in self.filtered("is_payer_of_record"):
            if relation.type_id != payer_type:
                raise ValidationError(
                    self.env._(
                        "Only a Payer relation can be the payer of record; "
                        "%(relation)s is not one.",
                        relation=relation.display_name,
                    )
                )
            others = relation.partner_id.care_relation_ids.filtered(
                lambda r, rel=relation: (
                    r != rel
                    and r.is_payer_of_record
                    and r.is_current
                    and rel.is_current
                )
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "%(client)s already has a payer of record (%(payer)s): untick "
                        "it first.",
                        client=relation.partner_id.name,
                        payer=others[:1].related_partner_id.name,
                    )
                )
