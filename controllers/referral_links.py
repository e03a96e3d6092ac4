from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from ..models.care_referral import OUTCOMES, STATES


class CareReferralLinks(http.Controller):
    """The page an e-mailed move link leads to: the referral and the move, to
    confirm. Login first (auth user); the move happens on the POST only."""

    @http.route(
        "/care/referral/<int:referral_id>/move/<string:state>",
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
        sitemap=False,
    )
    def referral_move(self, referral_id, state, outcome=None, **post):
        if state not in dict(STATES):
            raise request.not_found()
        referral = request.env["care.referral"].browse(referral_id).exists()
        if not referral or not referral.has_access("read"):
            return request.render(
                "care_network.referral_move_unavailable", {}, status=403
            )
        outcome = outcome if outcome in dict(OUTCOMES) else False
        if request.httprequest.method == "POST":
            return self._confirm(referral, state, outcome, post)
        return self._render(referral, state, outcome)

    def _render(self, referral, state, outcome, error=None, status=200):
        allowed = state in (referral.allowed_moves or "").split(",")
        states = dict(referral._fields["state"]._description_selection(request.env))
        values = {
            "referral": referral,
            "state": state,
            "state_label": states[state],
            "outcome": outcome,
            "outcomes": referral._care_link_outcomes(state),
            "allowed": allowed,
            "error": error,
            "back_office_url": f"/odoo/care.referral/{referral.id}",
        }
        if not allowed and status == 200:
            status = 409
        return request.render("care_network.referral_move_page", values, status=status)

    def _confirm(self, referral, state, outcome, post):
        outcome = post.get("outcome") or outcome or False
        note = (post.get("note") or "").strip() or False
        try:
            referral.set_state(state, outcome=outcome, note=note)
        except UserError as error:
            return self._render(
                referral, state, outcome, error=error.args[0], status=400
            )
        return request.redirect(f"/odoo/care.referral/{referral.id}")
