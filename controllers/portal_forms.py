from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.http import request
from odoo.tools import format_date, format_datetime, is_html_empty

from .portal import CarePortal, PortalViewer, _checked_id


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


class CareFormsPortal(CarePortal):
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
        values = self._care_forms_values(PortalViewer(request.env))
        return request.render("care_network.portal_my_forms", values)

    def _care_forms_values(self, viewer):
        answers = visitor_answers(viewer.env, order="create_date desc", limit=200)
        if answers is None:
            raise Forbidden()
        me = viewer.partner
        to_do = answers.filtered(lambda a: a.partner_id == me and a.state != "done")
        return self._care_page_values(
            viewer, "care_forms", to_do=to_do, done=answers - to_do
        )

    @http.route(
        ["/my/forms/<int:answer_id>"],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
        readonly=True,
    )
    def portal_my_form(self, answer_id, **kw):
        values = self._care_form_values(PortalViewer(request.env), answer_id)
        return request.render("survey.survey_page_print", values)

    def _care_form_values(self, viewer, answer_id):
        """Survey's own printable page, read-only, for an answer the viewer may
        read (whoever filled it in)."""
        env = viewer.env
        answer_id = _checked_id(answer_id)
        if not env["survey.user_input"].sudo().browse(answer_id).exists():
            raise NotFound()
        answer_sudo = visitor_answers(env, [("id", "=", answer_id)])
        if not answer_sudo:
            raise Forbidden()
        return {
            **viewer.values(),
            "is_html_empty": is_html_empty,
            "review": False,
            "survey": answer_sudo.survey_id,
            "answer": answer_sudo,
            "questions_to_display": answer_sudo._get_print_questions(),
            "scoring_display_correction": False,
            "format_datetime": lambda dt: format_datetime(env, dt, dt_format=False),
            "format_date": lambda date: format_date(env, date),
            "graph_data": False,
        }
