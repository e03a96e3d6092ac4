from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import email_normalize


class ResPartner(models.Model):
    """A person's portal login: whether they have one, and granting it."""

    _inherit = "res.partner"

    def _care_portal_state(self):
        """One of care_relation_portal.PORTAL_STATES for this person."""
        self.ensure_one()
        user = self.sudo().with_context(active_test=False).user_ids[:1]
        if not user:
            return "none" if self.is_company else "invitable"
        if not user._is_portal() and user._is_internal():
            return "internal"
        if user.active and user._is_portal():
            return "portal"
        return "revoked"

    def _care_portal_user(self):
        """This person's active portal login, or an empty recordset."""
        self.ensure_one()
        return self.user_ids.filtered(lambda user: user._is_portal())[:1]

    def action_preview_portal(self):
        """Staff see, read-only, this client's own portal as they see it."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/care/preview/{self.id}/my/care/{self.id}",
            "target": "self",
        }

    def _care_check_portal_invitable(self):
        """Raise a UserError naming what stops this person's portal login."""
        self.ensure_one()
        if self.is_company:
            raise UserError(
                self.env._(
                    "%(partner)s is an organisation: only a person can get a portal "
                    "login.",
                    partner=self.name,
                )
            )
        if not self.email:
            raise UserError(
                self.env._(
                    "%(partner)s has no e-mail address: add one before inviting them "
                    "to the portal.",
                    partner=self.name,
                )
            )
        email = email_normalize(self.email)
        if not email:
            raise UserError(
                self.env._(
                    "The e-mail address %(email)s of %(partner)s is not valid.",
                    email=self.email,
                    partner=self.name,
                )
            )
        owner = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search([("login", "=", email), ("partner_id", "!=", self.id)], limit=1)
        )
        if owner:
            raise UserError(
                self.env._(
                    "The e-mail address %(email)s is already the login of %(owner)s: "
                    "give %(partner)s their own e-mail address before inviting them.",
                    email=email,
                    owner=owner.name,
                    partner=self.name,
                )
            )

    def _care_portal_wizard_line(self):
        self.ensure_one()
        wizard = self.env["portal.wizard"].create(
            {"partner_ids": [fields.Command.set(self.ids)]}
        )
        return wizard.user_ids

    def _care_end_unneeded_portal(self):
        """Those of these people left with no current grant and no referrals
        of their own lose their portal login, as Odoo's *Revoke Access* does
        (portal group removed, login archived). Returns them."""
        revoked = self.browse()
        for person in self:
            if person._care_portal_state() != "portal":
                continue
            if person._care_still_needs_portal():
                continue
            person._care_portal_wizard_line().action_revoke_access()
            revoked |= person
        return revoked

    def _care_grant_portal_login(self):
        """Give this person a portal login and send Odoo's invitation e-mail."""
        self._care_check_portal_invitable()
        self._care_portal_wizard_line().action_grant_access()

    def action_open_care_portal_invitation(self):
        """Invite the client and the people of their circle in one dialog."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "care_network.action_care_portal_invitation"
        )
        action["context"] = {"default_client_id": self.id}
        return action

    def care_pending_invitation_action(self):
        """The invitation dialog for this client's relations just saved with
        *Send invite* ticked, or False; they are no longer pending."""
        self.ensure_one()
        pending = self.care_relation_ids.filtered("pending_portal_invitation")
        if not pending:
            return False
        pending.write({"pending_portal_invitation": False})
        action = self.action_open_care_portal_invitation()
        action["context"]["care_relation_ids"] = pending.ids
        return action
