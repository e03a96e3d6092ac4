from odoo import models
from odoo.tools import html2plaintext


class MailMessage(models.Model):
    """Notes on a referral are immutable, whatever the path (UI or RPC); their
    copies in the referral's history follow them (visibility, deletion)."""

    _inherit = "mail.message"

    def write(self, vals):
        if "body" in vals and not self.env.su:
            # Odoo "deletes" a message by emptying its body (leaving only the
            # "edited" marker): that is the one change allowed.
            deleting = not html2plaintext(vals["body"] or "").strip()
            for message in self.filtered(lambda m: m.model == "care.referral"):
                referral = self.env["care.referral"].browse(message.res_id)
                referral._check_note_change(message, deleting=deleting)
        result = super().write(vals)
        if {"body", "is_internal", "subtype_id"} & set(vals):
            self._care_follow_history(body="body" in vals)
        return result

    def unlink(self):
        self._care_follow_history(deleting=True)
        return super().unlink()

    def _care_follow_history(self, deleting=False, body=True):
        """The referral history rows copying these messages follow them."""
        notes = self.sudo().filtered(lambda m: m.model == "care.referral")
        if notes:
            self.env["care.referral.status.log"]._follow_messages(
                notes, deleting=deleting, body=body
            )
