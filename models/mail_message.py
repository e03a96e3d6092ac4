from odoo import models
from odoo.tools import html2plaintext


class MailMessage(models.Model):
    """Notes on a referral are immutable, whatever the path (UI or RPC)."""

    _inherit = "mail.message"

    def write(self, vals):
        if "body" in vals and not self.env.su:
            # Odoo "deletes" a message by emptying its body (leaving only the
            # "edited" marker): that is the one change allowed.
            deleting = not html2plaintext(vals["body"] or "").strip()
            for message in self.filtered(lambda m: m.model == "care.referral"):
                referral = self.env["care.referral"].browse(message.res_id)
                referral._check_note_change(message, deleting=deleting)
        return super().write(vals)
