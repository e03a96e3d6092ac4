from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import consteq

from ..uninstall_flag import uninstalling

STATES = [
    ("draft", "Draft"),
    ("sent", "Sent"),
    ("accepted", "Accepted"),
    ("in_progress", "In Progress"),
    ("completed", "Completed"),
    ("rejected", "Rejected"),
    ("cancelled", "Cancelled"),
]
OUTCOMES = [
    ("got_help", "Got help"),
    ("couldnt_get_help", "Couldn't get help"),
    ("not_eligible", "Not eligible"),
    ("no_capacity", "No capacity"),
    ("couldnt_contact", "Couldn't contact"),
    ("no_longer_interested", "No longer interested"),
    ("referred_elsewhere", "Referred elsewhere"),
]
# Only a checked status move (``_move``) passes this object to ``write``: it
# cannot travel through RPC, so no context key moves a referral.
_SET_STATE = object()
# The links' tokens are made by the referral itself (sudo): never from a caller's
# values, nor from a context default (``default_access_token``...).
_LINK_FIELDS = ("access_token", "provider_token", "provider_token_program_id")
REJECT_OUTCOMES = (
    "not_eligible",
    "no_capacity",
    "couldnt_contact",
    "referred_elsewhere",
)
COMPLETE_OUTCOMES = ("got_help", "couldnt_get_help")
OPEN_STATES = ("draft", "sent", "accepted", "in_progress")

# Who may make which move: (from, to) pairs per role. A helper sends and cancels,
# and records what the seeker reports: got help or not (completed), no longer
# interested (cancelled).
WORKED_STATES = ("sent", "accepted", "in_progress")
HELPER_MOVES = (
    {("draft", "sent")}
    | {(state, "cancelled") for state in OPEN_STATES}
    | {(state, "completed") for state in WORKED_STATES}
)
CLAIMER_MOVES = {
    ("sent", "accepted"),
    ("sent", "rejected"),
    ("accepted", "rejected"),
    ("accepted", "in_progress"),
    ("accepted", "completed"),
    ("in_progress", "completed"),
}
SEEKER_MOVES = {(state, "completed") for state in WORKED_STATES} | {
    (state, "cancelled") for state in OPEN_STATES
}
# The outcome a seeker's move carries, and the only one they may give.
SEEKER_OUTCOMES = {"completed": "got_help", "cancelled": "no_longer_interested"}
# What a helper records for the seeker (a cancel of their own carries none).
HELPER_OUTCOMES = {
    "completed": COMPLETE_OUTCOMES,
    "cancelled": (False, "no_longer_interested"),
}
SEEKER_REPORTED = ("got_help", "couldnt_get_help", "no_longer_interested")


class CareReferral(models.Model):
    _name = "care.referral"
    _description = "Care Referral"
    _inherit = [
        "care.portal.seeker.mixin",
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "id desc"
    _check_company_auto = True
    # Whoever may read a referral may add a note to it (the seeker and their
    # guardians on the portal included); notes never change its status.
    _mail_post_access = "read"

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default="/",
        index=True,
    )
    seeker_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
        help="The client who is referred.",
    )
    helper_user_id = fields.Many2one(
        "res.users",
        string="Helper",
        required=True,
        index=True,
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        tracking=True,
        help="The navigator or case manager who makes the referral.",
    )
    team_id = fields.Many2one(
        "care.team",
        index=True,
        default=lambda self: self._default_team(),
        check_company=True,
        tracking=True,
    )
    program_id = fields.Many2one(
        "care.program",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
    )
    provider_id = fields.Many2one(
        related="program_id.provider_id", store=True, index=True, string="Provider"
    )
    goal_id = fields.Many2one(
        "care.goal",
        index=True,
        ondelete="set null",
        domain="[('seeker_id', '=', seeker_id)]",
        check_company=True,
        tracking=True,
    )
    comment = fields.Text(help="What the seeker needs, for the program's staff.")
    consent = fields.Boolean(
        help="The seeker agreed that their details are shared with the program.",
        tracking=True,
    )
    mode = fields.Selection(
        [("live", "Live"), ("logged", "Logged")],
        default="live",
        required=True,
        help="Live: sent to the program, which works it. Logged: a record of a "
        "referral "
        "made outside the system; nobody is notified.",
    )
    state = fields.Selection(
        STATES,
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        group_expand="_expand_states",
    )
    outcome = fields.Selection(OUTCOMES, readonly=True, tracking=True)
    status_log_ids = fields.One2many(
        "care.referral.status.log",
        "referral_id",
        string="Status History",
        domain=[("kind", "=", "move")],
    )
    allowed_moves = fields.Char(
        compute="_compute_allowed_moves",
        help="Comma-separated states the current user may move this referral to.",
    )
    company_id = fields.Many2one(
        "res.company", index=True, default=lambda self: self.env.company
    )

    def _expand_states(self, states, domain):
        """Boards show the working columns (sent, accepted, in progress) even when
        empty, plus any other status that has cards, in lifecycle order."""
        shown = set(states) | {"sent", "accepted", "in_progress"}
        return [key for key, _label in STATES if key in shown]

    def _default_team(self):
        return self.env["care.team"].search(
            [("member_user_ids", "in", self.env.uid)], limit=1
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("care.referral") or "/"
                )
            if not self.env.su:
                self._care_protect_new_values(vals)
        referrals = super().create(vals_list)
        referrals._check_live_consent()
        # The seeker's link exists from the start: reading the referral's portal
        # page (a read-only route) never has to write it.
        for referral in referrals:
            referral._portal_ensure_token()
        return referrals

    def _care_protect_new_values(self, vals):
        """A new referral is a draft, without an outcome, with no link but the
        ones it makes itself; a context default (``default_state`` from a board
        column, or sent over RPC) cannot say otherwise."""
        if vals.get("state", "draft") != "draft" or vals.get("outcome"):
            raise UserError(
                self.env._(
                    "A referral starts as a draft; send it to change its status."
                )
            )
        self._care_check_link_values(vals)
        vals.update({"state": "draft", "outcome": False})
        vals.update({name: False for name in _LINK_FIELDS if name in self._fields})

    def _care_check_link_values(self, vals):
        if not self.env.su and set(_LINK_FIELDS) & set(vals):
            raise UserError(
                self.env._("A referral's links are made by the referral itself.")
            )

    def write(self, vals):
        moving = self.env.context.get("care_set_state") is _SET_STATE
        if {"state", "outcome"} & set(vals) and not moving:
            raise UserError(
                self.env._(
                    "Change a referral's status with its status buttons, not by "
                    "editing it."
                )
            )
        self._care_check_link_values(vals)
        result = super().write(vals)
        if "program_id" in vals:
            self._care_end_provider_link()
        if "mode" in vals or "consent" in vals:
            self._check_live_consent()
        return result

    def _check_live_consent(self):
        for referral in self:
            if referral.mode == "live" and not referral._has_consent():
                raise UserError(
                    self.env._(
                        "The live referral %(name)s needs the seeker's consent to "
                        "share their details with %(program)s: tick Consent, or "
                        "record a consent on the client.",
                        name=referral.name,
                        program=referral.program_id.name,
                    )
                )

    def _compute_access_url(self):
        for referral in self:
            referral.access_url = f"/my/referrals/{referral.id}"

    def _mail_get_partner_fields(self, introspect_fields=False):
        # Who writes a portal note through the e-mailed access-token link.
        return ["seeker_id"]

    def _care_token_partner(self):
        """The seeker, when a sudo call carries this referral's own access token
        (the link e-mailed to the seeker); nobody otherwise. RPC can never be sudo,
        so the context key alone grants nothing."""
        self.ensure_one()
        token = self.env.context.get("care_access_token")
        if (
            self.env.su
            and token
            and self.access_token
            and consteq(self.access_token, token)
        ):
            return self.seeker_id
        return self.env["res.partner"]

    def _care_acting_partner(self):
        self.ensure_one()
        program = self._care_provider_program()
        if program:
            return program.intake_partner_id or program.provider_id
        return self._care_token_partner() or self.env.user.partner_id

    def _care_acting_user(self):
        """Nobody when the move comes from an e-mailed link (seeker or program)."""
        self.ensure_one()
        if self._care_token_partner() or self._care_provider_program():
            return self.env["res.users"]
        return self.env.user

    # --- who may do what -----------------------------------------------------------
    def _care_roles(self, user=None, acting_for=None):
        """The user's roles on this referral: manager, helper, claimer, seeker.
        ``acting_for``: the seekers the user may act for, when already known."""
        self.ensure_one()
        if self._care_provider_program():
            return {"provider"}
        if self._care_token_partner():
            return {"seeker"}
        user = user or self.env.user
        roles = set()
        if user.has_group("care_network.group_care_manager"):
            roles.add("manager")
        if not user.share:
            team = self.sudo().team_id
            if self.sudo().helper_user_id == user or (
                team.share_referrals and user in team.member_user_ids
            ):
                roles.add("helper")
            if user in self.sudo().program_id.claimer_user_ids:
                roles.add("claimer")
        if acting_for is None:
            acting_for = self._seekers_acted_for_by(user.partner_id)
        if self.seeker_id in acting_for:
            roles.add("seeker")
        return roles

    def _seekers_acted_for_by(self, partner):
        """The seekers of these referrals on whose side ``partner`` stands: the
        partner themself, and the seekers who granted them can_update_referrals.
        One query for the whole recordset."""
        granting = (
            self.env["care.relation"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", self.seeker_id.ids),
                    ("related_partner_id", "=", partner.id),
                    ("can_update_referrals", "=", True),
                    ("is_current", "=", True),
                ]
            )
        )
        return granting.partner_id | (self.seeker_id & partner)

    def _moves_for_roles(self, roles):
        if "manager" in roles:
            return {
                (self.state, state) for state, _label in STATES if state != self.state
            }
        moves = set()
        if "helper" in roles:
            moves |= HELPER_MOVES
        if roles & {"claimer", "provider"}:
            moves |= CLAIMER_MOVES
        if "seeker" in roles:
            moves |= SEEKER_MOVES
        return {move for move in moves if move[0] == self.state}

    @api.depends("state", "helper_user_id", "team_id", "program_id", "seeker_id")
    @api.depends_context("uid")
    def _compute_allowed_moves(self):
        saved = self.filtered("id")
        (self - saved).allowed_moves = ""
        acting_for = saved._seekers_acted_for_by(self.env.user.partner_id)
        for referral in saved:
            moves = referral._moves_for_roles(
                referral._care_roles(acting_for=acting_for)
            )
            referral.allowed_moves = ",".join(
                sorted(target for _source, target in moves)
            )

    def _portal_moves(self):
        """The closing moves the portal offers the visitor: the seeker's, also made
        by whoever the seeker granted can_update_referrals."""
        self.ensure_one()
        roles = self._care_roles() & {"seeker"}
        labels = {
            "completed": self.env._("Got help"),
            "cancelled": self.env._("No longer interested"),
        }
        return [
            (target, labels[target])
            for _source, target in sorted(self._moves_for_roles(roles))
        ]

    def _check_outcome(self, new_state, outcome, roles):
        labels = dict(OUTCOMES)
        if (
            "manager" not in roles
            and "seeker" in roles
            and not roles & {"helper", "claimer"}
        ):
            expected = SEEKER_OUTCOMES.get(new_state)
            if outcome and outcome != expected:
                raise UserError(
                    self.env._(
                        'You can only close this referral as "%(outcome)s".',
                        outcome=labels[expected],
                    )
                )
            return expected
        if (
            "helper" in roles
            and not roles & {"manager", "claimer", "provider"}
            and new_state in HELPER_OUTCOMES
            and (outcome or False) not in HELPER_OUTCOMES[new_state]
        ):
            raise UserError(
                self.env._(
                    "As the helper you record what the seeker reports: %(choices)s.",
                    choices=", ".join(
                        labels[key] for key in HELPER_OUTCOMES[new_state] if key
                    ),
                )
            )
        if new_state == "rejected" and outcome not in REJECT_OUTCOMES:
            raise UserError(
                self.env._(
                    "Say why the referral is rejected: %(choices)s.",
                    choices=", ".join(labels[key] for key in REJECT_OUTCOMES),
                )
            )
        if new_state == "completed" and outcome not in COMPLETE_OUTCOMES:
            raise UserError(
                self.env._(
                    "Say how the referral ended: %(choices)s.",
                    choices=", ".join(labels[key] for key in COMPLETE_OUTCOMES),
                )
            )
        if new_state not in ("rejected", "completed", "cancelled") and outcome:
            raise UserError(self.env._("Only a closed referral has an outcome."))
        return outcome or False

    # --- the one door for status changes -----------------------------------------
    def set_state(self, state, outcome=False, note=False):
        """Move the referrals to ``state``, if the current user may make that move.

        Checks read access with the ORM, locks the rows so that concurrent moves
        are serialised, appends one status log row per move and a chatter line,
        and sends the notifications.
        """
        if state not in dict(STATES):
            raise UserError(
                self.env._("Unknown referral status: %(state)s.", state=state)
            )
        self.check_access("read")
        self._lock_for_move()
        for referral in self:
            referral._move(state, outcome, note)
        self._care_notify_moved()
        return True

    def _lock_for_move(self):
        # A row lock: the ORM has no SELECT ... FOR UPDATE of its own.
        self.env.cr.execute(
            "SELECT id FROM care_referral WHERE id IN %s FOR UPDATE", [tuple(self.ids)]
        )
        self.invalidate_recordset(["state", "outcome"])

    def _move(self, new_state, outcome, note):
        self.ensure_one()
        roles = self._care_roles()
        old_state = self.state
        if (old_state, new_state) not in self._moves_for_roles(roles):
            states = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "You cannot move referral %(name)s from %(from)s to %(to)s.",
                    name=self.name,
                    **{"from": states[old_state], "to": states[new_state]},
                )
            )
        outcome = self._check_outcome(new_state, outcome, roles)
        if new_state == "sent":
            self._check_live_consent()
        # Who acts, read before the move: a link's rights end with the referral.
        partner = self._care_acting_partner()
        user = self._care_acting_user()
        referral = self.sudo().with_context(care_set_state=_SET_STATE)
        referral.write(
            {"state": new_state, "outcome": outcome, "needs_attention": False}
        )
        self.env["care.referral.status.log"].sudo()._log_move(
            referral, (old_state, new_state), outcome, note, (user, partner), roles
        )
        referral._post_status_line(old_state, new_state, outcome, note, partner)
        referral._notify_status_change(old_state)

    def _post_status_line(self, old_state, new_state, outcome, note, author):
        states = dict(self._fields["state"]._description_selection(self.env))
        outcomes = dict(self._fields["outcome"]._description_selection(self.env))
        body = self.env._(
            "Status: %(from)s → %(to)s",
            **{"from": states[old_state], "to": states[new_state]},
        )
        if outcome:
            body += f" ({outcomes[outcome]})"
        message = Markup("<p>%s</p>") % body
        if note:
            message += Markup("<p>%s</p>") % note
        self.message_post(
            body=message,
            message_type="notification",
            subtype_xmlid="mail.mt_note",
            author_id=author.id,
        )

    # --- notifications --------------------------------------------------------------
    def _may_notify(self):
        self.ensure_one()
        return self.mode == "live" and self.seeker_id.care_contact_preference != "none"

    def _notify_status_change(self, old_state):
        for referral in self.filtered(lambda r: r._may_notify()):
            if referral.state == "sent":
                referral._send_template(
                    "care_network.mail_template_referral_sent",
                    referral.program_id.claimer_user_ids.partner_id,
                )
                referral._care_send_intake()
            referral._send_template(
                "care_network.mail_template_referral_status_staff",
                referral.helper_user_id.partner_id,
            )
            if referral.seeker_id.care_contact_preference == "email":
                referral._send_template(
                    "care_network.mail_template_referral_status_seeker",
                    referral.seeker_id,
                )

    def _send_template(self, xmlid, partners):
        self.ensure_one()
        partners = partners.filtered("email")
        if not partners:
            return
        template = self.env.ref(xmlid)
        self._portal_ensure_token()
        for partner in partners:
            template.with_context(care_recipient_id=partner.id).send_mail(
                self.id,
                email_values={"recipient_ids": [Command.set(partner.ids)]},
                email_layout_xmlid="mail.mail_notification_light",
            )

    # --- buttons --------------------------------------------------------------------
    def action_send(self):
        return self.set_state("sent")

    def action_accept(self):
        return self.set_state("accepted")

    def action_start(self):
        return self.set_state("in_progress")

    def action_cancel(self):
        return self.set_state("cancelled")

    def action_open_move_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Close Referral"),
            "res_model": "care.referral.move",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_referral_id": self.id,
                "default_state": self.env.context.get("care_target_state", "completed"),
            },
        }

    # --- notes are immutable --------------------------------------------------------
    def _message_update_content(
        self,
        message,
        body,
        attachment_ids=None,
        partner_ids=None,
        strict=True,
        **kwargs,
    ):
        if strict:
            self._check_note_change(message, deleting=not body and not attachment_ids)
        return super()._message_update_content(
            message,
            body=body,
            attachment_ids=attachment_ids,
            partner_ids=partner_ids,
            strict=strict,
            **kwargs,
        )

    def _check_note_change(self, message, deleting):
        if not deleting:
            raise UserError(self.env._("Notes on a referral cannot be edited."))
        is_author = message.author_id == self.env.user.partner_id
        if not is_author and not self.env.user.has_group(
            "care_network.group_care_manager"
        ):
            raise UserError(
                self.env._("Only the author of a note or a care manager can delete it.")
            )

    @api.ondelete(at_uninstall=True)
    def _unlink_except_with_history(self):
        if uninstalling(self.env):
            return
        if self.sudo().status_log_ids:
            raise UserError(
                self.env._(
                    "A referral with a status history cannot be deleted: cancel it "
                    "instead."
                )
            )
