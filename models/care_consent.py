from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression

from .care_relation_type import GRANT_FIELDS

SCOPES = [
    ("program", "Share with a program"),
    ("organization", "Share with an organisation"),
    ("portal", "Portal access for a person"),
    ("sms_reminders", "Reminders by SMS"),
]
CHANNELS = [
    ("signed_form", "Signed form"),
    ("verbal", "Verbal"),
    ("portal", "Portal click"),
]
# The field naming what a consent of each scope covers.
SCOPE_TARGET = {
    "program": "program_id",
    "organization": "organization_id",
    "portal": "grantee_partner_id",
}


class CareConsent(models.Model):
    """What a client (or a minor's guardian) agreed to share, with whom, how and
    until when. Referrals, portal grants and SMS reminders rest on it; revoking
    it ends them."""

    _name = "care.consent"
    _description = "Care Consent"
    _inherit = ["mail.thread"]
    _order = "date_given desc, id desc"
    _check_company_auto = True

    client_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        tracking=True,
    )
    scope = fields.Selection(SCOPES, required=True, tracking=True)
    program_id = fields.Many2one("care.program", check_company=True, tracking=True)
    organization_id = fields.Many2one(
        "res.partner",
        string="Organisation",
        domain=[("is_company", "=", True)],
        check_company=True,
        tracking=True,
    )
    grantee_partner_id = fields.Many2one(
        "res.partner",
        string="Person",
        check_company=True,
        tracking=True,
        help="Who may see the client's records on the portal.",
    )
    given_by_id = fields.Many2one(
        "res.partner",
        required=True,
        tracking=True,
        help="The client, or a current legal guardian when the client is a minor.",
    )
    channel = fields.Selection(
        CHANNELS, required=True, default="signed_form", tracking=True
    )
    date_given = fields.Date(
        required=True, default=fields.Date.context_today, tracking=True
    )
    date_expiry = fields.Date(string="Expires On", tracking=True)
    date_revoked = fields.Date(readonly=True, tracking=True)
    revoked_by_id = fields.Many2one("res.partner", readonly=True, tracking=True)
    is_current = fields.Boolean(
        string="Current",
        compute="_compute_is_current",
        search="_search_is_current",
        help="Given, not expired and not revoked today.",
    )
    # How and when staff explained it: theirs, not the portal's (as a relation's).
    note = fields.Text(groups="care_network.group_care_user")
    attachment_ids = fields.Many2many(
        "ir.attachment", string="Documents", help="The signed form, if any."
    )
    company_id = fields.Many2one(
        "res.company", index=True, default=lambda self: self.env.company
    )

    @api.depends("scope", "program_id", "organization_id", "grantee_partner_id")
    def _compute_display_name(self):
        scopes = dict(self._fields["scope"]._description_selection(self.env))
        for consent in self:
            target = consent._target()
            label = scopes.get(consent.scope, "")
            consent.display_name = (
                f"{label}: {target.display_name}" if target else label
            )

    @api.depends("date_given", "date_expiry", "date_revoked")
    @api.depends_context("tz")
    def _compute_is_current(self):
        today = fields.Date.context_today(self)
        for consent in self:
            consent.is_current = (
                consent.date_given <= today
                and (not consent.date_expiry or consent.date_expiry >= today)
                and not consent.date_revoked
            )

    def _search_is_current(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(self.env._("Unsupported search on Current."))
        today = fields.Date.context_today(self)
        current = expression.AND(
            [
                [("date_given", "<=", today)],
                [("date_revoked", "=", False)],
                ["|", ("date_expiry", "=", False), ("date_expiry", ">=", today)],
            ]
        )
        return current if (operator == "=") == value else ["!", *current]

    # --- consistency -------------------------------------------------------------
    @api.constrains("scope", "program_id", "organization_id", "grantee_partner_id")
    def _check_scope_target(self):
        for consent in self:
            field = SCOPE_TARGET.get(consent.scope)
            if field and not consent[field]:
                raise ValidationError(
                    self.env._(
                        "A consent to %(scope)s must say which %(target)s.",
                        scope=dict(
                            consent._fields["scope"]._description_selection(self.env)
                        )[consent.scope].lower(),
                        target=consent._fields[field]
                        .get_description(self.env)["string"]
                        .lower(),
                    )
                )

    @api.constrains("date_given", "date_expiry")
    def _check_dates(self):
        for consent in self:
            if consent.date_expiry and consent.date_expiry < consent.date_given:
                raise ValidationError(
                    self.env._(
                        "The consent %(consent)s expires before it was given.",
                        consent=consent.display_name,
                    )
                )

    @api.constrains("client_id", "given_by_id")
    def _check_given_by(self):
        for consent in self:
            if not consent.client_id._care_speaks_for(consent.given_by_id):
                raise ValidationError(
                    self.env._(
                        "%(person)s cannot consent for %(client)s: only the client, "
                        "or a current legal guardian of a minor client, can.",
                        person=consent.given_by_id.name,
                        client=consent.client_id.name,
                    )
                )

    # --- what rests on a consent -------------------------------------------------
    @api.model
    def _current_of(self, clients):
        """The current consents of ``clients``, in one query."""
        return self.sudo().search(
            [("client_id", "in", clients._origin.ids), ("is_current", "=", True)]
        )

    def _covers(self, client, scope, target=None):
        """Those of these consents, of ``client``, that cover ``scope`` (for
        ``target``: a program, organisation or person)."""
        field = SCOPE_TARGET.get(scope)
        return self.filtered(
            lambda c: (
                c.client_id == client._origin
                and c.scope == scope
                and (not field or c[field] == target._origin)
            )
        )

    @api.model
    def _covering(self, client, scope, target=None):
        """The current consents of ``client`` that cover ``scope``."""
        return self._current_of(client)._covers(client, scope, target)

    # --- revoking ------------------------------------------------------------------
    def action_revoke(self, revoked_by=None):
        """Revoke the consents, and end what rests on them: portal grants are
        unticked, SMS reminders stop, referrals resting on them cannot be sent."""
        self.check_access("write")
        revoked_by = revoked_by or self.env.user.partner_id
        for consent in self:
            if consent.date_revoked:
                raise UserError(
                    self.env._(
                        "The consent %(consent)s was already revoked on %(date)s.",
                        consent=consent.display_name,
                        date=consent.date_revoked,
                    )
                )
        self.write(
            {
                "date_revoked": fields.Date.context_today(self),
                "revoked_by_id": revoked_by.id,
            }
        )
        for consent in self:
            consent._end_what_rests_on_it()
        return True

    def _end_what_rests_on_it(self):
        self.ensure_one()
        if self._covering(self.client_id, self.scope, self._target()):
            return  # another current consent still covers it
        message = self.env._(
            "Consent revoked by %(person)s: %(consent)s.",
            person=self.revoked_by_id.name,
            consent=self.display_name,
        )
        relations = self.client_id.sudo().care_relation_ids
        if self.scope == "portal":
            granting = relations.filtered(
                lambda r: (
                    r.related_partner_id == self.grantee_partner_id
                    and r._grants_anything()
                )
            )
            granting.write(dict.fromkeys(GRANT_FIELDS, False))
            for relation in granting:
                relation.message_post(body=message)
        elif self.scope == "sms_reminders":
            texting = relations.filtered("reminder_sms")
            texting.write({"reminder_sms": False})
            for relation in texting:
                relation.message_post(body=message)
        else:
            waiting = (
                self.env["care.referral"]
                .sudo()
                .search(
                    [
                        ("seeker_id", "=", self.client_id.id),
                        ("state", "=", "draft"),
                        ("mode", "=", "live"),
                    ]
                )
            )
            for referral in waiting.filtered(lambda r: r._rests_on(self)):
                referral.message_post(
                    body=message
                    + " "
                    + self.env._("It cannot be sent until consent is given again.")
                )
        self.message_post(body=message)

    def _target(self):
        self.ensure_one()
        field = SCOPE_TARGET.get(self.scope)
        return self[field] if field else None

    # --- given on the portal -----------------------------------------------------
    @api.model
    def _portal_offers(self, client):
        """What a client's speaker may consent to on the portal: the programs of
        the client's referrals they may read, the people of their circle, SMS
        reminders.
        A list of (key, label)."""
        client = client.sudo()
        scopes = dict(self._fields["scope"]._description_selection(self.env))
        offers = [("sms_reminders", scopes["sms_reminders"])]
        people = client.care_relation_ids.filtered(
            lambda r: r.is_current and not r.related_partner_id.is_company
        ).related_partner_id
        for person in people:
            offers.append(
                (
                    f"portal:{person.id}",
                    self.env._("Portal access for %(person)s", person=person.name),
                )
            )
        # The programs of the referrals the speaker may read (a guardian may
        # not know of them without the referrals grant).
        programs = (
            self.env["care.referral"].search([("seeker_id", "=", client.id)]).program_id
        )
        for program in programs:
            offers.append(
                (
                    f"program:{program.id}",
                    self.env._("Share with %(program)s", program=program.name),
                )
            )
        return offers

    @api.model
    def _portal_give(self, client, offer_key):
        """Record the consent the portal user gives for ``client``."""
        speaker = self.env.user.partner_id
        if not client.sudo()._care_speaks_for(speaker):
            raise UserError(self.env._("You cannot give consents for this person."))
        if offer_key not in dict(self._portal_offers(client)):
            raise UserError(self.env._("Choose one of the consents offered."))
        scope, _sep, target = offer_key.partition(":")
        values = {
            "client_id": client.id,
            "scope": scope,
            "given_by_id": speaker.id,
            "channel": "portal",
            "company_id": client.sudo().company_id.id,
        }
        if target:
            values[SCOPE_TARGET[scope]] = int(target)
        return self.sudo().create(values)

    def _portal_revoke(self):
        """Revoke as the portal user who speaks for the client."""
        self.ensure_one()
        self.check_access("read")
        speaker = self.env.user.partner_id
        if not self.sudo().client_id._care_speaks_for(speaker):
            raise UserError(self.env._("You cannot revoke this consent."))
        return self.sudo().action_revoke(revoked_by=speaker)
