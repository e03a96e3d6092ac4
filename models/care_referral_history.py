from odoo import fields, models
from odoo.tools import html2plaintext


class CareReferral(models.Model):
    """The referral's history: its status moves and the notes anyone leaves on
    it (staff, the seeker or a guardian on the portal, the program from its
    link), each named the same way."""

    _inherit = "care.referral"

    history_ids = fields.One2many(
        "care.referral.status.log",
        "referral_id",
        help="Every status move and note, newest first.",
    )

    def _message_post_after_hook(self, message, msg_vals):
        """Every note posted on the referral (``message_post`` ends here, on 18.0
        and 19.0 alike) gets its history row."""
        result = super()._message_post_after_hook(message, msg_vals)
        if message.message_type == "comment" and len(self) == 1:
            self._care_log_note(message)
        return result

    def _care_shared_history(self):
        """The history rows a portal page shows (the seeker's or guardian's page,
        its staff preview): never the copies of staff-only log notes, whoever
        reads the page (the e-mailed link reads it without a login)."""
        self.ensure_one()
        return self.history_ids.filtered(lambda log: not log.is_internal)

    def _care_log_note(self, message):
        """A history row for a note: who left it, in the referral's status, as
        visible as the note itself (a log note stays with staff)."""
        self.ensure_one()
        note = html2plaintext(message.body or "").strip()
        if not note:
            return
        user, partner = self._care_acting_user(), self._care_acting_partner()
        if user and user._is_public():
            # A portal note through the e-mailed link: its author, no login.
            user, partner = user.browse(), message.author_id
        self.env["care.referral.status.log"].sudo()._log_move(
            self.sudo(),
            (self.state, self.state),
            False,
            note,
            (user, partner),
            self._care_roles(),
            kind="note",
            message=message,
        )
