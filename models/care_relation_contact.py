from odoo import api, fields, models

CONTACT_KINDS = [
    ("linked", "Linked account"),
    ("alternative", "Alternative contact"),
]


class CareRelation(models.Model):
    """Who the related partner is: a linked account (a partner the practice already
    has, often another client) or an alternative contact, either picked among the
    people the practice has (no second partner for them) or typed into the
    contact wizard (wizards/care_relation_contact_wizard.py), which creates them
    with everything it asked for, their numbers included."""

    _inherit = "care.relation"

    contact_kind = fields.Selection(
        CONTACT_KINDS,
        default="linked",
        help="Linked account: a partner already in the database, often another "
        "client. Alternative contact: a person typed into the contact dialog, who "
        "is not a client.",
    )
    relationship_note = fields.Char(
        string="Relationship to the Client",
        tracking=True,
        help="In your own words, beside the type: maternal aunt, school counsellor.",
    )

    @api.model
    def _fill_contact_kind(self, vals_list):
        """A relation created without a kind (an import, code): an organisation, a
        client or someone with a login is a linked account; anyone else the
        practice only holds contact details of is an alternative contact. One read
        for the batch."""
        missing = [
            vals
            for vals in vals_list
            if not vals.get("contact_kind") and vals.get("related_partner_id")
        ]
        if not missing:
            return
        partners = (
            self.env["res.partner"]
            .sudo()
            .browse({vals["related_partner_id"] for vals in missing})
        )
        linked = set(
            partners.filtered(
                lambda p: p.is_company or p.is_care_client or p.user_ids
            ).ids
        )
        for vals in missing:
            vals["contact_kind"] = (
                "linked" if vals["related_partner_id"] in linked else "alternative"
            )
