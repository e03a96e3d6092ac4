from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import email_normalize

from ..models.care_relation_contact import CONTACT_KINDS
from ..models.care_relation_portal import PORTAL_STATES
from ..models.care_relation_type import GRANT_FIELDS

# What the wizard asks about the person it creates, by partner field.
CONTACT_FIELDS = (
    "birthdate",
    "street",
    "street2",
    "zip",
    "city",
    "state_id",
    "country_id",
)
# The numbers it takes: wizard field, kind of care.partner.phone.
CONTACT_PHONES = {"mobile": "mobile", "phone": "home", "work_phone": "work"}
NAME_FIELDS = ("firstname", "middlename", "lastname")
# What it copies onto the relation as chosen.
RELATION_FIELDS = (
    "partner_id",
    "type_id",
    "contact_kind",
    "relationship_note",
    "date_start",
    "date_end",
    "is_emergency_contact",
    "emergency_priority",
    "is_primary",
    "is_payer_of_record",
    "send_portal_invitation",
    *GRANT_FIELDS,
    "reminder_opt_in",
    "reminder_email",
    "reminder_sms",
    "reminder_email_lead_hours",
    "reminder_sms_lead_hours",
    "reminder_sms_phone_id",
    "note",
)


class CareRelationContactWizard(models.TransientModel):
    """Add someone to a client's circle of care: a linked account (a partner
    the practice already has) or an alternative contact, picked among the
    people the practice has or typed here and created with everything asked,
    their numbers included; the relation and the person in one step."""

    _name = "care.relation.contact.wizard"
    _description = "Add to the Circle of Care"

    partner_id = fields.Many2one(
        "res.partner",
        string="Client",
        required=True,
        ondelete="cascade",
        help="The client whose circle of care the relation joins.",
    )
    contact_kind = fields.Selection(
        CONTACT_KINDS,
        required=True,
        default="linked",
        help="Linked account: a partner already in the database, often another "
        "client. Alternative contact: a person who is not a client, picked or "
        "typed here.",
    )
    type_id = fields.Many2one(
        "care.relation.type",
        string="Relation Type",
        required=True,
        ondelete="cascade",
        help="What the related partner is to the client.",
    )
    category = fields.Selection(related="type_id.category")
    inverse_label = fields.Char(
        string="Read from the other side", compute="_compute_inverse_label"
    )
    relationship_note = fields.Char(
        string="Relationship to the Client",
        help="In your own words, beside the type: maternal aunt, school counsellor.",
    )
    related_partner_id = fields.Many2one(
        "res.partner",
        string="Existing Person",
        ondelete="cascade",
        domain="[('id', '!=', partner_id)] + ([('is_company', '=', False)] "
        "if contact_kind == 'alternative' else [])",
        help="Someone the practice already has, a client among them. For an "
        "alternative contact, leave it empty to type a new person below.",
    )

    # The person to create, when none is picked.
    firstname = fields.Char(string="First Name")
    middlename = fields.Char(string="Middle Name")
    lastname = fields.Char(string="Last Name")
    email = fields.Char(string="E-mail")
    no_email = fields.Boolean(
        string="Has No E-mail",
        help="Tick when the person has no e-mail address: the contact is created "
        "without one (no portal invitation, no e-mail reminder).",
    )
    mobile = fields.Char()
    phone = fields.Char(string="Home Phone")
    work_phone = fields.Char()
    sms_kind = fields.Selection(
        [("mobile", "Mobile"), ("home", "Home Phone"), ("work", "Work Phone")],
        string="SMS Reminders To",
        default="mobile",
        help="Which of the numbers typed here receives the SMS reminders.",
    )
    birthdate = fields.Date()
    street = fields.Char()
    street2 = fields.Char()
    zip = fields.Char(string="ZIP")
    city = fields.Char()
    state_id = fields.Many2one(
        "res.country.state",
        ondelete="set null",
        domain="[('country_id', '=?', country_id)]",
    )
    country_id = fields.Many2one("res.country", ondelete="set null")

    # The relation, as its form asks for it.
    date_start = fields.Date(string="Start Date", default=fields.Date.context_today)
    date_end = fields.Date(
        string="End Date",
        help="Last day of the relation. From the next day on it is no longer current "
        "and grants nothing.",
    )
    is_emergency_contact = fields.Boolean(
        string="Emergency Contact",
        compute="_compute_is_emergency_contact",
        store=True,
        readonly=False,
        help="Ticked when an emergency type is chosen; staff may tick it for any "
        "relation.",
    )
    emergency_priority = fields.Integer(default=1, help="1 = call first.")
    is_primary = fields.Boolean(
        string="Primary Organisation",
        help="For membership relations: the organisation that bills for this client.",
    )
    is_payer_of_record = fields.Boolean(
        string="Payer of Record",
        help="The client's invoices go to this payer (before their own billing "
        "contact and their organisation's).",
    )
    related_portal_state = fields.Selection(
        PORTAL_STATES,
        string="Portal Login",
        compute="_compute_related_portal_state",
        help="Whether the related person can log into the portal.",
    )
    send_portal_invitation = fields.Boolean(
        compute="_compute_send_portal_invitation",
        store=True,
        readonly=False,
        help="Once added, give the related person a portal login (if they have "
        "none yet) and e-mail them Odoo's invitation.",
    )
    can_view_profile = fields.Boolean(
        compute="_compute_grants",
        store=True,
        readonly=False,
        help="The related partner may see the client's profile on the portal.",
    )
    can_view_appointments = fields.Boolean(
        compute="_compute_grants",
        store=True,
        readonly=False,
        help="The related partner may see the client's upcoming appointments.",
    )
    can_view_referrals = fields.Boolean(
        compute="_compute_grants",
        store=True,
        readonly=False,
        help="The related partner may see the client's referrals and goals.",
    )
    can_update_referrals = fields.Boolean(
        compute="_compute_grants",
        store=True,
        readonly=False,
        help="The related partner may close the client's referrals as the client "
        "would.",
    )
    care_sms_available = fields.Boolean(compute="_compute_care_sms_available")
    reminder_opt_in = fields.Boolean(
        string="Appointment Reminders",
        help="Send this member a reminder before each of the client's appointments.",
    )
    reminder_email = fields.Boolean(string="Remind by E-mail", default=True)
    reminder_sms = fields.Boolean(string="Remind by SMS")
    sms_consent_id = fields.Many2one(
        "care.consent",
        string="SMS Consent",
        compute="_compute_sms_consent_id",
        help="The client's current consent to reminders by SMS.",
    )
    reminder_email_lead_hours = fields.Integer(
        string="E-mail Lead Time (hours)",
        default=24,
        help="How many hours before the appointment the e-mail goes out (2 to 72).",
    )
    reminder_sms_lead_hours = fields.Integer(
        string="SMS Lead Time (hours)",
        default=24,
        help="How many hours before the appointment the SMS goes out (2 to 72).",
    )
    reminder_sms_phone_id = fields.Many2one(
        "care.partner.phone",
        string="SMS Number",
        compute="_compute_reminder_sms_phone_id",
        store=True,
        readonly=False,
        ondelete="set null",
        domain="[('partner_id', '=', related_partner_id)]",
        help="Which of the member's numbers receives the SMS reminders; none "
        "chosen: their first mobile.",
    )
    reminder_summary = fields.Char(
        compute="_compute_reminder_summary",
        help="What the member will receive, in one sentence.",
    )
    note = fields.Text()

    # --- what the form shows --------------------------------------------------------
    @api.depends("type_id")
    def _compute_inverse_label(self):
        for wizard in self:
            wizard.inverse_label = (
                wizard.type_id.get_inverse_label() if wizard.type_id else False
            )

    @api.depends("type_id")
    def _compute_is_emergency_contact(self):
        # As on the relation: an emergency type ticks it, another leaves it be.
        for wizard in self:
            wizard.is_emergency_contact = (
                wizard.is_emergency_contact or wizard.type_id.category == "emergency"
            )

    @api.depends("type_id")
    def _compute_grants(self):
        for wizard in self:
            values = wizard.type_id._relation_values()
            for grant in GRANT_FIELDS:
                wizard[grant] = values.get(grant, False)

    @api.depends("related_partner_id", "contact_kind")
    def _compute_related_portal_state(self):
        for wizard in self:
            partner = wizard.related_partner_id
            if partner:
                wizard.related_portal_state = partner._care_portal_state()
            else:
                typed = wizard.contact_kind == "alternative"
                wizard.related_portal_state = "invitable" if typed else "none"

    @api.depends("type_id", "related_partner_id", "contact_kind", "email")
    def _compute_send_portal_invitation(self):
        """Ticked for a type that invites by default, when the person has an
        e-mail (typed here, or their own) and no login yet."""
        for wizard in self:
            if wizard.related_partner_id:
                has_email = wizard.related_partner_id.email
            else:
                typed = wizard.contact_kind == "alternative"
                has_email = typed and wizard.email
            wizard.send_portal_invitation = bool(
                wizard.type_id.default_portal_invite
                and has_email
                and wizard.related_portal_state in ("invitable", "revoked")
            )

    def _compute_care_sms_available(self):
        self.care_sms_available = self.env["care.reminder"]._sms_available()

    @api.depends("partner_id")
    @api.depends_context("tz")
    def _compute_sms_consent_id(self):
        current = self.env["care.consent"]._current_of(self.partner_id)
        for wizard in self:
            wizard.sms_consent_id = current._covers(wizard.partner_id, "sms_reminders")[
                :1
            ]

    @api.depends("related_partner_id")
    def _compute_reminder_sms_phone_id(self):
        """The person's first mobile, as the relation's form proposes."""
        for wizard in self:
            partner = wizard.related_partner_id
            if wizard.reminder_sms_phone_id.partner_id != partner:
                wizard.reminder_sms_phone_id = partner.care_phone_ids.filtered(
                    lambda phone: phone.kind == "mobile"
                )[:1]

    @api.depends(
        "partner_id",
        "related_partner_id",
        "reminder_opt_in",
        "reminder_email",
        "reminder_sms",
        "reminder_email_lead_hours",
        "reminder_sms_lead_hours",
        "reminder_sms_phone_id",
    )
    def _compute_reminder_summary(self):
        """The sentence the relation's form shows, read off a relation in memory."""
        Relation = self.env["care.relation"]
        for wizard in self:
            draft = Relation.new(
                {
                    "partner_id": wizard.partner_id.id,
                    "related_partner_id": wizard.related_partner_id.id,
                    "reminder_opt_in": wizard.reminder_opt_in,
                    "reminder_email": wizard.reminder_email,
                    "reminder_sms": wizard.reminder_sms,
                    "reminder_email_lead_hours": wizard.reminder_email_lead_hours,
                    "reminder_sms_lead_hours": wizard.reminder_sms_lead_hours,
                    "reminder_sms_phone_id": wizard.reminder_sms_phone_id.id,
                }
            )
            wizard.reminder_summary = draft.reminder_summary

    @api.onchange("contact_kind")
    def _onchange_contact_kind_keep_person(self):
        """A person chosen before switching to Alternative contact stays chosen;
        an organisation does not."""
        if self.contact_kind == "alternative" and self.related_partner_id.is_company:
            self.related_partner_id = False

    @api.onchange("no_email")
    def _onchange_no_email(self):
        if self.no_email:
            self.email = False

    # --- confirming -----------------------------------------------------------------
    def action_confirm(self):
        """Create the person typed (when none is picked) and the relation, with
        the user's rights; the invitation dialog follows when *Send invite* is
        ticked and the web client asked for it."""
        self.ensure_one()
        relation = self._create_relation()
        if relation.pending_portal_invitation:
            return relation.care_pending_invitation_action()
        return {"type": "ir.actions.act_window_close"}

    def _create_relation(self):
        self.ensure_one()
        # Only who may use the wizard, and read the client, adds to their circle:
        # nothing is created for anyone else, not even the person typed.
        self.check_access("write")
        self.partner_id.check_access("read")
        values = {name: self._relation_value(name) for name in RELATION_FIELDS}
        if not self.related_partner_id and self.contact_kind == "linked":
            raise ValidationError(
                self.env._("Pick the partner to relate as a linked account.")
            )
        if self.related_partner_id:
            values["related_partner_id"] = self.related_partner_id.id
        else:
            contact = self.env["res.partner"].create(self._new_contact_values())
            values["related_partner_id"] = contact.id
            sms_phone = contact.care_phone_ids.filtered(
                lambda phone: phone.kind == (self.sms_kind or "mobile")
            )[:1]
            if sms_phone:
                values["reminder_sms_phone_id"] = sms_phone.id
        return self.env["care.relation"].create(values)

    def _relation_value(self, name):
        value = self[name]
        return value.id if isinstance(value, models.BaseModel) else value

    def _new_contact_values(self):
        """The partner to create for the person typed, validated first."""
        self.ensure_one()
        first, middle, last = ((self[name] or "").strip() for name in NAME_FIELDS)
        if not first or not last:
            raise ValidationError(
                self.env._(
                    "Give the new contact a first name and a last name, or pick an "
                    "existing partner."
                )
            )
        name = " ".join(part for part in (first, middle, last) if part)
        email = (self.email or "").strip()
        if not email and not self.no_email:
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
        client = self.partner_id
        values = {
            "name": name,
            "email": email or False,
            "is_company": False,
            "company_id": client.company_id.id,
            "lang": client.lang or self.env.lang,
        }
        for fname in CONTACT_FIELDS:
            value = self._relation_value(fname)
            if value:
                values[fname] = value
        # Odoo's own fields as typed; the numbers normalised (and mirrored only
        # where they differ).
        typed = {
            kind: (self[fname] or "").strip() for fname, kind in CONTACT_PHONES.items()
        }
        values["mobile"] = typed["mobile"] or False
        values["phone"] = typed["home"] or typed["work"] or False
        values["care_phone_ids"] = [
            Command.create({"kind": kind, "number": typed[kind]})
            for kind in CONTACT_PHONES.values()
            if typed[kind]
        ]
        return values
