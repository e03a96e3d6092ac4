from urllib.parse import urlencode

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from ..models.care_referral import COMPLETE_OUTCOMES, OUTCOMES, REJECT_OUTCOMES
from .portal import MAX_ID


class CareProviderLink(http.Controller):
    """The page a program without a login answers from: the link e-mailed to its
    intake address. The token in the link makes the visitor that program, with a
    claimer's moves on that one referral, and nothing more."""

    @http.route(
        ["/care/provider/referral/<int:referral_id>"],
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        sitemap=False,
    )
    def provider_referral(self, referral_id, access_token=None, **post):
        referral = self._provider_referral(referral_id, access_token)
        if referral is None:
            return self._render_invalid()
        if request.httprequest.method != "POST":
            return self._render(referral, access_token)
        if post.get("revision") != referral._care_provider_revision():
            return self._render(
                referral,
                access_token,
                error=request.env._(
                    "This referral was updated since the page was opened: nothing "
                    "was changed. Here is where it stands now."
                ),
                status=409,
            )
        note = (post.get("note") or "").strip() or False
        state, outcome = post.get("state"), post.get("outcome") or False
        try:
            if state:
                referral.set_state(state, outcome=outcome, note=note)
            elif note:
                referral._care_provider_note(note)
            else:
                raise UserError(request.env._("Choose a move or write a note."))
        except UserError as error:
            return self._render(referral, access_token, error=error.args[0], status=400)
        if not referral._care_provider_program():
            # Closed: the link ends here; say so rather than refuse the next page.
            return request.render(
                "care_network.provider_referral_closed", {"referral": referral}
            )
        query = urlencode({"access_token": access_token, "done": 1})
        return request.redirect(f"/care/provider/referral/{referral.id}?{query}")

    def _provider_referral(self, referral_id, access_token):
        """The referral, as its program, when the token opens it; else None. A
        missing referral and a wrong token look alike."""
        if not access_token or not 0 < referral_id <= MAX_ID:
            return None
        # sudo() to read the referral, then the token decides who the visitor is.
        referral = (
            request.env["care.referral"]
            .sudo()
            .browse(referral_id)
            .exists()
            .with_context(care_provider_token=access_token)
        )
        if not referral or not referral._care_provider_program():
            return None
        return referral

    def _render(self, referral, access_token, error=None, status=200):
        labels = dict(OUTCOMES)
        response = request.render(
            "care_network.provider_referral_page",
            {
                "referral": referral,
                "program": referral._care_provider_program(),
                "moves": {
                    target
                    for _source, target in referral._moves_for_roles({"provider"})
                },
                "reject_outcomes": [(key, labels[key]) for key in REJECT_OUTCOMES],
                "complete_outcomes": [(key, labels[key]) for key in COMPLETE_OUTCOMES],
                "access_token": access_token,
                "revision": referral._care_provider_revision(),
                "done": bool(request.params.get("done")),
                "error": error,
            },
            status=status,
        )
        return response

    def _render_invalid(self):
        return request.render("care_network.provider_link_invalid", {}, status=403)
