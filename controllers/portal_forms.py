from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError
from odoo.http import request
from odoo.tools import format_date, format_datetime, is_html_empty

from odoo.addons.portal.controllers.portal import CustomerPortal

from .portal import _checked_id


class CareFormsPortal(CustomerPortal):
    """/my/forms: the care forms sent to the visitor (to do and done) and the
    shared forms of the files they may read. Record rules decide what shows;
    answers are read with sudo() only to display them after that."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "care_form_count" in counters:
            Answer = request.env["survey.user_input"]
            values["care_form_count"] = (
                Answer.search_count(self._care_forms_to_do_domain())
                if Answer.has_access("read")
                else 0
            )
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
        Answer = request.env["survey.user_input"]
        if not Answer.has_access("read"):
            raise Forbidden()
        answers = Answer.search([], order="create_date desc", limit=200)
        me = request.env.user.partner_id
        to_do = answers.filtered(lambda a: a.partner_id == me and a.state != "done")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "care_forms",
                "to_do": to_do.sudo(),
                "done": (answers - to_do).sudo(),
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
        answer = request.env["survey.user_input"].browse(_checked_id(answer_id))
        if not answer.sudo().exists():
            raise NotFound()
        try:
            answer.check_access("read")
        except AccessError as error:
            raise Forbidden() from error
        answer_sudo = answer.sudo()
        survey_sudo = answer_sudo.survey_id
        # Survey's own printable page, read-only, for an answer the rules let
        # the visitor read (whoever filled it in).
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
