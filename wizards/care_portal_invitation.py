from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.care_relation_portal import PORTAL_STATES


class CarePortalInvitation(models.TransientModel):
    """Invite a client and the people of their circle to the portal in one
    step, with the forms to send to each."""

    _name = "care.portal.invitation"
    _description = "Portal Invitation"

    client_id = fields.Many2one("res.partner", required=True, ondelete="cascade")
    line_ids = fields.One2many(
        "care.portal.invitation.line", "invitation_id", string="People"
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        client = self.env["res.partner"].browse(values.get("client_id"))
        if client and "line_ids" in fields_list:
            values["line_ids"] = [
                fields.Command.create(line) for line in self._line_values(client)
            ]
        return values

    @api.model
    def _line_values(self, client):
        """The client, then the people being invited: the relations just saved
        with *Send invite* ticked (context ``care_relation_ids``), else every
        current member of the client's circle whose relation asks for an
        invitation or grants access. Pre-ticked: the client, and the people whose
        relation asks for an invitation (saved with *Send invite*, or of a type
        that invites by default); those who only have access are listed
        unticked."""
        relation_ids = self.env.context.get("care_relation_ids")
        just_saved = bool(relation_ids)
        if relation_ids:
            relations = self.env["care.relation"].browse(relation_ids).exists()
        else:
            relations = client.care_relation_ids.filtered(
                lambda r: (
                    r.is_current
                    and not r.related_partner_id.is_company
                    and (r.type_id.default_portal_invite or r._grants_anything())
                )
            )
        lines = [{"partner_id": client.id, "is_client": True}]
        seen = client
        for relation in relations:
            if relation.related_partner_id in seen:
                continue
            seen |= relation.related_partner_id
            lines.append(
                {
                    "partner_id": relation.related_partner_id.id,
                    "relation_id": relation.id,
                    "invite_requested": just_saved
                    or relation.type_id.default_portal_invite,
                }
            )
        return lines

    # --- actions ------------------------------------------------------------------
    def action_invite_and_send(self):
        return self._invite(send_forms=True)

    def action_skip(self):
        """Send the invitations alone, without forms."""
        return self._invite(send_forms=False)

    def _invite(self, send_forms):
        self.ensure_one()
        outcome = {"invited": [], "already": [], "no_email": [], "forms": 0}
        for line in self.line_ids:
            if line.invite:
                line._invite(outcome)
                if send_forms:
                    outcome["forms"] += line._send_forms()
            elif not line.partner_id.email and line.portal_state not in (
                "portal",
                "internal",
            ):
                # Listed, left unticked for want of an e-mail: say so too.
                outcome["no_email"].append(line.partner_id.name)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Portal invitations"),
                "message": self._summary(outcome),
                "type": "success" if outcome["invited"] or outcome["forms"] else "info",
                "sticky": bool(outcome["no_email"]),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _summary(self, outcome):
        parts = []
        if outcome["invited"]:
            parts.append(
                self.env._("Invited: %(names)s.", names=", ".join(outcome["invited"]))
            )
        if outcome["already"]:
            parts.append(
                self.env._(
                    "Already had access: %(names)s.",
                    names=", ".join(outcome["already"]),
                )
            )
        if outcome["no_email"]:
            parts.append(
                self.env._(
                    "Skipped, no e-mail address: %(names)s.",
                    names=", ".join(outcome["no_email"]),
                )
            )
        if outcome["forms"]:
            parts.append(self.env._("Forms sent: %(count)s.", count=outcome["forms"]))
        return " ".join(parts) or self.env._("Nobody was ticked: nothing was sent.")


class CarePortalInvitationLine(models.TransientModel):
    _name = "care.portal.invitation.line"
    _description = "Portal Invitation: one person"

    invitation_id = fields.Many2one(
        "care.portal.invitation", required=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(
        "res.partner", string="Person", required=True, ondelete="cascade"
    )
    relation_id = fields.Many2one("care.relation", ondelete="cascade")
    is_client = fields.Boolean()
    invite_requested = fields.Boolean(
        help="The relation asks for an invitation: saved with Send invite ticked, "
        "or of a type that invites by default."
    )
    role = fields.Char(compute="_compute_role")
    email = fields.Char(related="partner_id.email", string="E-mail")
    portal_state = fields.Selection(
        PORTAL_STATES, string="Portal Login", compute="_compute_portal_state"
    )
    invite = fields.Boolean(
        compute="_compute_invite",
        store=True,
        readonly=False,
        help="Give this person a portal login (if they have none) and e-mail them.",
    )
    survey_ids = fields.Many2many(
        "survey.survey",
        string="Forms to Send",
        domain=[("care_form_kind", "=", "client")],
    )

    @api.depends("is_client", "relation_id")
    def _compute_role(self):
        for line in self:
            line.role = (
                self.env._("Client") if line.is_client else line.relation_id.label
            )

    @api.depends("partner_id")
    def _compute_portal_state(self):
        for line in self:
            line.portal_state = line.partner_id._care_portal_state()

    @api.depends("partner_id", "portal_state", "is_client", "invite_requested")
    def _compute_invite(self):
        for line in self:
            line.invite = (
                bool(line.partner_id.email)
                and line.portal_state != "internal"
                and (line.is_client or line.invite_requested)
            )

    def _invite(self, outcome):
        self.ensure_one()
        partner = self.partner_id
        if not partner.email:
            outcome["no_email"].append(partner.name)
        elif self.portal_state in ("portal", "internal"):
            outcome["already"].append(partner.name)
        elif self.relation_id:
            self.relation_id.action_invite_portal()
            outcome["invited"].append(partner.name)
        else:
            partner._care_grant_portal_login()
            partner.message_post(
                body=self.env._(
                    "Portal invitation sent to %(person)s.", person=partner.name
                ),
                subtype_xmlid="mail.mt_note",
            )
            outcome["invited"].append(partner.name)

    def _send_forms(self):
        """Send each picked form to this person; returns how many were sent."""
        self.ensure_one()
        if not self.survey_ids:
            return 0
        if not self.partner_id.email:
            raise UserError(
                self.env._(
                    "%(person)s has no e-mail address: forms cannot be sent to them.",
                    person=self.partner_id.name,
                )
            )
        Send = self.env["care.form.send"]
        for survey in self.survey_ids:
            Send.create(
                {
                    "client_id": self.invitation_id.client_id.id,
                    "survey_id": survey.id,
                    "recipient_id": self.partner_id.id,
                    "relation_id": self.relation_id.id,
                }
            ).action_confirm()
        return len(self.survey_ids)
