from urllib.parse import urlencode

from odoo import models

from .care_referral import OUTCOMES, REJECT_OUTCOMES, WORKED_STATES

# The moves offered from e-mails, per recipient: (state, outcome).
CLAIMER_LINK_MOVES = (("accepted", False), ("rejected", False))
HELPER_LINK_MOVES = (
    ("completed", "got_help"),
    ("completed", "couldnt_get_help"),
    ("cancelled", "no_longer_interested"),
)


class CareReferral(models.Model):
    """Moves offered as links in the e-mails to claimers and helpers. A link only
    leads (after login) to a page where the move is confirmed with a POST: a GET
    never moves a referral, whatever fetched it (a mail scanner, a preview)."""

    _inherit = "care.referral"

    def _care_move_url(self, state, outcome=False):
        self.ensure_one()
        query = f"?{urlencode({'outcome': outcome})}" if outcome else ""
        return f"{self.get_base_url()}/care/referral/{self.id}/move/{state}{query}"

    def _care_link_label(self, state, outcome):
        labels = {
            ("accepted", False): self.env._("Accept"),
            ("rejected", False): self.env._("Decline"),
            ("completed", "got_help"): self.env._("Got help"),
            ("completed", "couldnt_get_help"): self.env._("Couldn't get help"),
            ("cancelled", "no_longer_interested"): self.env._("No longer interested"),
        }
        return labels[state, outcome]

    def _care_email_links(self, recipient):
        """[(label, url)] for the e-mail to ``recipient``: "claimer" (Accept and
        Decline while the referral waits), "helper" (the seeker's outcomes while
        it is worked)."""
        self.ensure_one()
        if recipient == "claimer" and self.state == "sent":
            moves = CLAIMER_LINK_MOVES
        elif recipient == "helper" and self.state in WORKED_STATES:
            moves = HELPER_LINK_MOVES
        else:
            moves = ()
        return [
            (self._care_link_label(state, outcome), self._care_move_url(state, outcome))
            for state, outcome in moves
        ]

    def _care_link_outcomes(self, state):
        """The outcomes the confirmation page offers for a move to ``state``."""
        if state == "rejected":
            keys = REJECT_OUTCOMES
        elif state == "completed":
            keys = ("got_help", "couldnt_get_help")
        else:
            return []
        labels = dict(OUTCOMES)
        return [(key, labels[key]) for key in keys]
