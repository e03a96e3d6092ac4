from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.http import request
from odoo.tools import format_date, format_datetime, is_html_empty

from odoo.addons.portal.controllers.portal import CustomerPortal

from .portal import _checked_id


def visitor_answers(env, domain=None, **search_kwargs):
    """The answers (sudo) the user of ``env`` may read within ``domain``: staff
    as their record rules let them, a portal user as ``_care_portal_answers``
    does for their partner. None: this user reads no answer at all (an internal
    user outside care, the public user)."""
    Answer = env["survey.user_input"]
    if Answer.has_access("read"):
        return Answer.search(domain or [], **search_kwargs).sudo()
    if env.user._is_portal():
        return Answer._care_portal_answers(env.user.partner_id, domain, **search_kwargs)
    return None


class CareFormsPortal(CustomerPortal):
    """/my/forms: the care forms sent to the visitor (to do and done) and the
    shared forms of the files they may read. Staff read answers through their
    ACLs and record rules; portal users have no ACL on Survey's models (Odoo's
    survey security holds), so the addon serves them the answers of
    ``survey.user_input._care_portal_answers()`` for the logged-in visitor.
    Answers are read with sudo() only to display them after that."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "care_form_count" in counters:
            answers = visitor_answers(request.env, self._care_forms_to_do_domain())
            values["care_form_count"] = len(answers) if answers is not None else 0
        return values

    def _care_forms_to_do_domain(self):
        return [
            ("partner_id", "=", request.env.user.partner_id.id),
            ("state", "!=", "done"),
        ]

    @http.route(
        ["/my/forms"],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
        readonly=True,
    )
    def portal_my_forms(self, **kw):
        answers = visitor_answers(request.env, order="create_date desc", limit=200)
        if answers is None:
            raise Forbidden()
        me = request.env.user.partner_id
        to_do = answers.filtered(lambda a: a.partner_id == me and a.state != "done")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "care_forms",
                "to_do": to_do,
                "done": answers - to_do,
            }
        )
        return request.render("care_network.portal_my_forms", values)

    @http.route(
        ["/my/forms/<int:answer_id>"],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
        readonly=True,
    )
    def portal_my_form(self, answer_id, **kw):
        answer_id = _checked_id(answer_id)
        if not request.env["survey.user_input"].sudo().browse(answer_id).exists():
            raise NotFound()
        answer_sudo = visitor_answers(request.env, [("id", "=", answer_id)])
        if not answer_sudo:
            raise Forbidden()
        survey_sudo = answer_sudo.survey_id
        # Survey's own printable page, read-only, for an answer the visitor may
        # read (whoever filled it in).
        return request.render(
            "survey.survey_page_print",
            {
                "is_html_empty": is_html_empty,
                "review": False,
                "survey": survey_sudo,
                "answer": answer_sudo,
                "questions_to_display": answer_sudo._get_print_questions(),
                "scoring_display_correction": False,
                "format_datetime": lambda dt: format_datetime(
                    request.env, dt, dt_format=False
                ),
                "format_date": lambda date: format_date(request.env, date),
                "graph_data": False,
            },
        )
