from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import email_normalize

CONTACT_KINDS = [
    ("linked", "Linked account"),
    ("alternative", "Alternative contact"),
]
# What the contact dialog asks about the person it creates, by partner field.
NEW_CONTACT_FIELDS = {
    "new_contact_birthdate": "birthdate",
    "new_contact_street": "street",
    "new_contact_street2": "street2",
    "new_contact_zip": "zip",
    "new_contact_city": "city",
    "new_contact_state_id": "state_id",
    "new_contact_country_id": "country_id",
}
# The numbers the dialog takes, by kind of care.partner.phone.
NEW_CONTACT_PHONES = {
    "new_contact_mobile": "mobile",
    "new_contact_phone": "home",
    "new_contact_work_phone": "work",
}
NAME_FIELDS = (
    "new_contact_firstname",
    "new_contact_middlename",
    "new_contact_lastname",
)


class CareRelation(models.Model):
    """Who the related partner is: a linked account (a partner the practice already
    has, often another client) or an alternative contact, either picked among the
    people the practice has (no second partner for them) or typed into the contact
    dialog and created with everything the dialog asked for, its numbers
    included."""

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

    # The contact dialog: the person to create, never stored on the relation.
    new_contact_firstname = fields.Char(string="First Name", store=False)
    new_contact_middlename = fields.Char(string="Middle Name", store=False)
    new_contact_lastname = fields.Char(string="Last Name", store=False)
    new_contact_email = fields.Char(string="E-mail", store=False)
    new_contact_no_email = fields.Boolean(
        string="Has No E-mail",
        store=False,
        help="Tick when the person has no e-mail address: the contact is created "
        "without one (no portal invitation, no e-mail reminder).",
    )
    new_contact_existing_id = fields.Many2one(
        "res.partner",
        string="Existing Person",
        store=False,
        domain="[('is_company', '=', False), ('id', '!=', partner_id)]",
        help="Someone the practice already has, a client among them: related as "
        "an alternative contact, without typing them again.",
    )
    new_contact_mobile = fields.Char(string="Mobile", store=False)
    new_contact_phone = fields.Char(string="Home Phone", store=False)
    new_contact_work_phone = fields.Char(string="Work Phone", store=False)
    new_contact_sms_kind = fields.Selection(
        [("mobile", "Mobile"), ("home", "Home Phone"), ("work", "Work Phone")],
        string="SMS Reminders To",
        store=False,
        default="mobile",
        help="Which of the numbers typed here receives the SMS reminders.",
    )
    new_contact_birthdate = fields.Date(string="Birthdate", store=False)
    new_contact_street = fields.Char(string="Street", store=False)
    new_contact_street2 = fields.Char(string="Street 2", store=False)
    new_contact_zip = fields.Char(string="ZIP", store=False)
    new_contact_city = fields.Char(string="City", store=False)
    new_contact_state_id = fields.Many2one(
        "res.country.state", string="State", store=False
    )
    new_contact_country_id = fields.Many2one(
        "res.country", string="Country", store=False
    )

    @api.onchange("new_contact_existing_id")
    def _onchange_new_contact_existing_id(self):
        """The person picked is the related partner: the portal state, the
        invitation and the SMS number follow them."""
        if not self.id:
            self.related_partner_id = self.new_contact_existing_id

    @api.onchange("contact_kind")
    def _onchange_contact_kind_keep_person(self):
        """A person chosen before switching to Alternative contact stays chosen."""
        if self.id or self.contact_kind != "alternative":
            return
        if self.related_partner_id.is_company:
            self.related_partner_id = False
        self.new_contact_existing_id = self.related_partner_id

    @api.onchange("new_contact_no_email")
    def _onchange_new_contact_no_email(self):
        if self.new_contact_no_email:
            self.new_contact_email = False

    @api.model
    def _create_new_contact(self, vals):
        """Create the alternative contact typed in the dialog, when asked to, and
        relate it; a relation to an existing partner only records its kind."""
        dialog = {name: vals.pop(name, False) for name in self._new_contact_names()}
        if vals.get("related_partner_id"):
            return
        if dialog["new_contact_existing_id"]:
            vals["related_partner_id"] = dialog["new_contact_existing_id"]
            vals.setdefault("contact_kind", "alternative")
            return
        asked = vals.get("contact_kind") == "alternative"
        if not asked and not any(dialog[name] for name in NAME_FIELDS):
            return
        vals["contact_kind"] = "alternative"
        client = self.env["res.partner"].browse(vals.get("partner_id"))
        contact = self.env["res.partner"].create(
            self._new_contact_values(dialog, client)
        )
        vals["related_partner_id"] = contact.id
        sms_kind = dialog["new_contact_sms_kind"] or "mobile"
        sms_phone = contact.sudo().care_phone_ids.filtered(
            lambda phone: phone.kind == sms_kind
        )[:1]
        if sms_phone and not vals.get("reminder_sms_phone_id"):
            vals["reminder_sms_phone_id"] = sms_phone.id

    def _new_contact_names(self):
        return [name for name in self._fields if name.startswith("new_contact_")]

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

    def _new_contact_values(self, dialog, client):
        first, middle, last = ((dialog[name] or "").strip() for name in NAME_FIELDS)
        if not first or not last:
            raise ValidationError(
                self.env._(
                    "Give the new contact a first name and a last name, or pick an "
                    "existing partner."
                )
            )
        name = " ".join(part for part in (first, middle, last) if part)
        email = (dialog["new_contact_email"] or "").strip()
        if not email and not dialog["new_contact_no_email"]:
            raise ValidationError(
                self.env._(
                    "Give %(name)s an e-mail address, or tick that they have none.",
                    name=name,
                )
            )
        if email and not email_normalize(email):
            raise ValidationError(
                self.env._(
                    "%(email)s is not a valid e-mail address for %(name)s.",
                    email=email,
                    name=name,
                )
            )
        values = {
            "name": name,
            "email": email or False,
            "is_company": False,
            "company_id": client.company_id.id,
            "lang": client.lang or self.env.lang,
        }
        for dialog_name, partner_field in NEW_CONTACT_FIELDS.items():
            value = dialog[dialog_name]
            if value:
                values[partner_field] = getattr(value, "id", value)
        # Odoo's own fields as typed; the numbers normalised (and mirrored only
        # where they differ).
        typed = {
            kind: (dialog[name] or "").strip()
            for name, kind in NEW_CONTACT_PHONES.items()
        }
        values["mobile"] = typed["mobile"] or False
        values["phone"] = typed["home"] or typed["work"] or False
        values["care_phone_ids"] = [
            Command.create({"kind": kind, "number": dialog[dialog_name]})
            for dialog_name, kind in NEW_CONTACT_PHONES.items()
            if (dialog[dialog_name] or "").strip()
        ]
        return values
