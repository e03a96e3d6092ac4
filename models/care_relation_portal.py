from odoo import api, fields, models
from odoo.exceptions import UserError

from .care_relation_type import GRANT_FIELDS

PORTAL_STATES = [
    ("none", "No login"),
    ("invitable", "Can be invited"),
    ("portal", "Portal user"),
    ("revoked", "Access revoked"),
    ("internal", "Staff user"),
]


class CareRelation(models.Model):
    """Portal access of the related partner: invitation, password reset, revoke."""

    _inherit = "care.relation"

    send_portal_invitation = fields.Boolean(
        compute="_compute_send_portal_invitation",
        readonly=False,
        store=False,
        help="When the relation is saved, give the related person a portal login "
        "(if they have none yet) and e-mail them Odoo's invitation.",
    )
    pending_portal_invitation = fields.Boolean(
        copy=False,
        help="Saved in the web client with Send invite ticked: the invitation "
        "dialog is about to open.",
    )
    related_portal_state = fields.Selection(
        PORTAL_STATES,
        string="Portal Login",
        compute="_compute_related_portal_state",
        help="Whether the related person can log into the portal.",
    )

    @api.depends("type_id", "related_partner_id")
    def _compute_send_portal_invitation(self):
        for relation in self:
            relation.send_portal_invitation = bool(
                relation.type_id.default_portal_invite
                and relation.related_partner_id.email
                and relation.related_portal_state in ("invitable", "revoked")
            )

    @api.depends("related_partner_id")
    def _compute_related_portal_state(self):
        for relation in self:
            partner = relation.related_partner_id
            relation.related_portal_state = (
                partner._care_portal_state() if partner else "none"
            )

    # --- saving with the invitation ticked ----------------------------------------
    # Called by create and write (care_relation.py).
    def _care_after_create_invitations(self, invite):
        """``invite``: per created relation, whether *Send invite* was ticked."""
        to_invite = self.browse(
            [relation.id for relation, ask in zip(self, invite, strict=True) if ask]
        )
        if to_invite:
            to_invite._care_invite_or_ask()
        (self - to_invite)._notify_access_granted()

    def _care_newly_granting(self, vals):
        """The relations that grant nothing yet and that ``vals`` makes grant."""
        if any(vals.get(grant) for grant in GRANT_FIELDS):
            return self.filtered(lambda r: not r._grants_anything())
        return self.browse()

    def _care_after_write_invitations(self, invite, newly_granted):
        if invite:
            self._care_invite_or_ask()
        else:
            newly_granted._notify_access_granted()

    def _care_invite_or_ask(self):
        """Saved with *Send invite* ticked: in the web client, the invitation
        dialog opens once the record is saved (forms to send with it, or Skip);
        imports, RPC and scripts invite at once."""
        if not self._care_invitation_dialog_wanted():
            return self.action_invite_portal()
        return self.write({"pending_portal_invitation": True})

    def care_pending_invitation_action(self):
        """The invitation dialog for the relations saved with *Send invite*
        ticked (False when there are none); they are no longer pending."""
        return self.partner_id[:1].care_pending_invitation_action()

    def _care_invitation_dialog_wanted(self):
        """The web client's forms ask for the dialog (context key
        ``care_invitation_dialog``, set by the care_invitation_form views) and open it
        once saved. The key only defers the sending to that dialog; it grants
        nothing. Every other caller (RPC, import, code) invites at once."""
        return bool(self.env.context.get("care_invitation_dialog"))

    def _grants_anything(self):
        self.ensure_one()
        return any(self[grant] for grant in GRANT_FIELDS)

    # --- buttons ------------------------------------------------------------------
    def action_invite_portal(self):
        """Give each related person a portal login (one per person, whatever the
        number of wards) and send Odoo's invitation e-mail."""
        invited = self.env["res.partner"]
        for relation in self:
            partner = relation.related_partner_id
            if relation.related_portal_state in ("portal", "internal"):
                continue
            if partner not in invited:
                relation._check_can_invite()
                relation._grant_portal_login()
                invited |= partner
        self.invalidate_recordset(["related_portal_state"])
        invited_relations = self.filtered(lambda r: r.related_partner_id in invited)
        invited_relations._log_access_change(
            self.env._("Portal invitation sent to %(person)s.")
        )
        invited_relations._notify_access_granted()
        return self._notification(
            self.env._("Invited to the portal: %(names)s.", names=self._names(invited))
            if invited
            else self.env._("Everyone here can already log in."),
        )

    def action_preview_portal(self):
        """Staff see, read-only, the portal of this relation's person as they
        see it today: the client's page first."""
        self.ensure_one()
        person, client = self.related_partner_id, self.partner_id
        return {
            "type": "ir.actions.act_url",
            "url": f"/care/preview/{person.id}/my/care/{client.id}"
            f"?relation_id={self.id}",
            "target": "self",
        }

    def _check_can_invite(self):
        self.ensure_one()
        self.related_partner_id._care_check_portal_invitable()

    def _portal_wizard_line(self):
        self.ensure_one()
        return self.related_partner_id._care_portal_wizard_line()

    def _grant_portal_login(self):
        self._portal_wizard_line().action_grant_access()

    def action_send_password_reset(self):
        """E-mail each related person a link to choose a new password: for
        whoever may change these relations (staff, not the portal's readers)."""
        self.check_access("write")
        users = self.env["res.users"]
        for relation in self:
            user = relation.related_partner_id.sudo().user_ids.filtered(
                lambda u: u._is_portal()
            )[:1]
            if not user:
                raise UserError(
                    self.env._(
                        "%(partner)s has no portal login yet: invite them first.",
                        partner=relation.related_partner_id.name,
                    )
                )
            users |= user
        # The care user may not edit logins; the loop above chose whose to reset.
        users.sudo().action_reset_password()
        self._log_access_change(self.env._("Password reset sent to %(person)s."))
        return self._notification(
            self.env._(
                "Password reset e-mail sent to %(names)s.",
                names=self._names(users.partner_id),
            )
        )

    def action_revoke_portal(self):
        """Untick every grant of these relations. A person left with no current
        grant and no referrals of their own also loses the portal login."""
        self.write(dict.fromkeys(GRANT_FIELDS, False))
        revoked = self.related_partner_id._care_end_unneeded_portal()
        self._log_access_change(self.env._("Portal access of %(person)s revoked."))
        for relation in self.filtered(lambda r: r.related_partner_id in revoked):
            relation._log_access_change(
                self.env._("Portal login of %(person)s removed.")
            )
        message = self.env._("The access granted by these relations is revoked.")
        if revoked:
            message += " " + self.env._(
                "Portal login removed for %(names)s.", names=self._names(revoked)
            )
        return self._notification(message)

    def unlink(self):
        """A relation deleted that was a person's last portal grant ends their
        portal login, as *Revoke Access* does; the client's chatter says so."""
        clients_of = {}
        for relation in self.filtered(lambda r: r._grants_anything() and r.is_current):
            clients_of.setdefault(relation.related_partner_id.id, set()).add(
                relation.partner_id.id
            )
        result = super().unlink()
        self._care_sides_changed()
        Partner = self.env["res.partner"]
        people = Partner.browse(list(clients_of)).exists()
        for person in people._care_end_unneeded_portal():
            for client in Partner.browse(sorted(clients_of[person.id])).exists():
                client.message_post(
                    body=self.env._(
                        "Portal login of %(person)s removed: the relation that "
                        "granted them access was deleted.",
                        person=person.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        return result

    def _log_access_change(self, message):
        """A line in each relation's chatter (and so in the client's Access
        History): ``message`` names the related person as %(person)s."""
        for relation in self:
            relation.message_post(
                body=message % {"person": relation.related_partner_id.name},
                subtype_xmlid="mail.mt_note",
            )

    # --- telling the client -------------------------------------------------------
    def _notify_access_granted(self):
        """E-mail the client (for a minor: their other guardians) that someone
        can now see their records through the portal."""
        template = self.env.ref("care_network.mail_template_relation_access_granted")
        for relation in self:
            if not relation._grants_anything() or not relation.is_current:
                continue
            if relation.related_portal_state != "portal":
                continue
            for recipient in relation._access_notice_recipients():
                template.with_context(care_recipient_id=recipient.id).send_mail(
                    relation.id,
                    email_values={"recipient_ids": [fields.Command.set(recipient.ids)]},
                    email_layout_xmlid="mail.mail_notification_light",
                )

    def _access_notice_recipients(self):
        self.ensure_one()
        client = self.partner_id
        if client.care_contact_preference == "none":
            return self.env["res.partner"]
        if client.is_minor:
            guardians = client.care_relation_ids.filtered(
                lambda r: r.type_id.required_for_minors and r.is_current and r != self
            ).related_partner_id
            recipients = guardians - self.related_partner_id
        else:
            recipients = client
        return recipients.filtered("email")

    # --- helpers ------------------------------------------------------------------
    @staticmethod
    def _names(partners):
        return ", ".join(partners.mapped("name"))

    def _notification(self, message):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": "success",
                "sticky": False,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
