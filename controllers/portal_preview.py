import re

from lxml import html as lxml_html
from markupsafe import Markup, escape
from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError
from odoo.http import request
from odoo.models import BaseModel

from odoo.addons.portal.controllers.portal import CustomerPortal

from .portal import _checked_id

# The portal pages staff may preview, and the endpoint (of the combined portal
# controller) each one is served by.
PREVIEW_PAGES = [
    (re.compile(r"my/care"), "portal_my_care", ()),
    (re.compile(r"my/care/(\d+)"), "portal_my_care_client", ("client_id",)),
    (re.compile(r"my/care/(\d+)/viewers"), "portal_care_viewers", ("client_id",)),
    (re.compile(r"my/care/(\d+)/consents"), "portal_care_consents", ("client_id",)),
    (re.compile(r"my/referrals"), "portal_my_referrals", ()),
    (re.compile(r"my/referrals/(\d+)"), "portal_my_referral", ("referral_id",)),
    (re.compile(r"my/forms"), "portal_my_forms", ()),
    (re.compile(r"my/forms/(\d+)"), "portal_my_form", ("answer_id",)),
    (re.compile(r"my/packages"), "portal_my_packages", ()),
    (re.compile(r"my/packages/(\d+)"), "portal_my_package", ("package_id",)),
]
# The record a page is about (the id in its URL): the staff user must read it too,
# else the preview of that page is refused.
PREVIEW_RECORDS = {
    "client_id": "res.partner",
    "referral_id": "care.referral",
    "package_id": "care.package",
    "answer_id": "survey.user_input",
}
# Pages that show one model's records only (the access log): refused to a staff
# user who may not read that model in the back office.
PREVIEW_MODELS = {"portal_care_viewers": "care.access.log"}
# The record lists of the pages' values: the preview shows of them only those the
# staff user may read too, and says how many it left out.
PREVIEW_LISTS = (
    "relations",
    "appointments",
    "referrals",
    "goals",
    "rows",
    "consents",
    "packages",
    "upcoming",
    "past",
    "notes",
    "forms",
    "to_do",
    "done",
)


class CarePortalPreview(CustomerPortal):
    """Staff preview a person's portal: the same pages, rendered with that
    person's rights (the request's environment only: the staff session is not
    touched), read-only (forms and buttons removed, links kept in the preview),
    and recorded in the access log as a staff preview."""

    @http.route(
        [
            "/care/preview/<int:partner_id>",
            "/care/preview/<int:partner_id>/<path:page>",
        ],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
        readonly=True,
    )
    def care_portal_preview(self, partner_id, page="my/care", relation_id=None, **kw):
        person, relation = self._care_preview_target(partner_id, relation_id)
        endpoint, args = self._care_preview_endpoint(page)
        staff_env = request.env
        self._care_preview_check_records(staff_env, endpoint, args)
        request.env["care.access.log"]._log_preview(person, relation)
        user = person.sudo()._care_portal_user()
        prefix = f"/care/preview/{person.id}"
        if not user:
            return request.render(
                "care_network.portal_preview_no_login", {"person": person.sudo()}
            )
        # The person's own companies, as their own request would have them (not
        # the staff user's): the staff user's narrow what is shown below.
        context = dict(request.env.context)
        context.pop("allowed_company_ids", None)
        if companies := self._care_preview_companies(user):
            context["allowed_company_ids"] = companies
        request.update_env(user=user.id, context=context)
        request.update_context(
            care_preview=request.env["care.access.log"]._care_preview_marker
        )
        response = getattr(self, endpoint)(**args)
        hidden = 0
        if response.is_qweb:
            hidden = self._care_preview_intersect(response.qcontext, staff_env)
        body = response.render() if hasattr(response, "render") else response.data
        return request.make_response(
            self._care_preview_html(
                body,
                prefix,
                person.sudo().name,
                f"relation_id={relation.id}" if relation else "",
                hidden=hidden,
            ),
            headers=[("Content-Type", "text/html; charset=utf-8")],
            status=response.status_code,
        )

    def _care_preview_target(self, partner_id, relation_id):
        if not request.env.user.has_group("care_network.group_care_user"):
            raise Forbidden()
        person = request.env["res.partner"].browse(_checked_id(partner_id))
        if not person.sudo().exists():
            raise NotFound()
        relation = request.env["care.relation"]
        try:
            person.check_access("read")
            if relation_id:
                relation = relation.browse(_checked_id(int(relation_id)))
                relation.check_access("read")
        except (AccessError, ValueError) as error:
            raise Forbidden() from error
        if relation and person != relation.related_partner_id:
            raise NotFound()
        return person, relation

    @staticmethod
    def _care_preview_check_records(staff_env, endpoint, args):
        """Refuse (403) the page of a record, or of a model, the staff user may
        not read: the ORM decides, with their ACLs, record rules and allowed
        companies. A missing record is left to the page (404)."""
        model = PREVIEW_MODELS.get(endpoint)
        if model and not staff_env[model].has_access("read"):
            raise Forbidden()
        for name, record_id in args.items():
            record = staff_env[PREVIEW_RECORDS[name]].browse(record_id)
            if record.sudo().exists() and not record.has_access("read"):
                raise Forbidden()

    @staticmethod
    def _care_preview_companies(user):
        """The companies ``user``'s own request runs with, as the website app
        sets them (without it: none in the context, all the user's own)."""
        website = getattr(request, "website", None)
        if not website:
            return None
        company_id = website._get_cached("company_id")
        if company_id in user._get_company_ids():
            return [company_id]
        return user.company_id.ids

    @staticmethod
    def _care_preview_intersect(values, staff_env):
        """Keep in the page's record lists only what the staff user may read
        too (the ORM decides: ACLs, record rules, allowed companies). Returns
        how many records were left out."""
        hidden = set()
        for key in PREVIEW_LISTS:
            records = values.get(key)
            if not isinstance(records, BaseModel) or not records:
                continue
            readable = records.with_env(staff_env)._filtered_access("read")
            hidden.update((records._name, record_id) for record_id in records.ids)
            hidden.difference_update(
                (records._name, record_id) for record_id in readable.ids
            )
            values[key] = records.browse(readable._ids)
        return len(hidden)

    @staticmethod
    def _care_preview_endpoint(page):
        page = page.strip("/")
        for pattern, endpoint, names in PREVIEW_PAGES:
            match = pattern.fullmatch(page)
            if match:
                values = [_checked_id(int(value)) for value in match.groups()]
                return endpoint, dict(zip(names, values, strict=True))
        raise NotFound()

    @staticmethod
    def _care_preview_html(body, prefix, name, query="", hidden=0):
        """The page as rendered, made read-only: no form and no button, links
        to portal pages kept inside the preview, every other link disabled."""
        document = lxml_html.document_fromstring(body)
        # The chatter goes too: its script would fetch the messages with the staff
        # session's rights, not the person's.
        for element in document.xpath(
            "//form | //button | //*[contains(@class, 'o_portal_chatter')]"
            " | //*[@id='discussion']"
        ):
            element.drop_tree()
        for link in document.xpath("//a[@href]"):
            href = link.get("href")
            if href.startswith("/my/"):
                separator = "&" if "?" in href else "?"
                link.set("href", prefix + href + (separator + query if query else ""))
            elif not href.startswith("#"):
                del link.attrib["href"]
        main = document.xpath("//main")
        left_out = ""
        if hidden:
            left_out = Markup('<p class="o_care_preview_hidden mb-0 mt-1">%s</p>') % (
                request.env._("1 record hidden: you may not read it.")
                if hidden == 1
                else request.env._(
                    "%(count)s records hidden: you may not read them.", count=hidden
                )
            )
        banner = lxml_html.fragment_fromstring(
            str(
                Markup(
                    '<div class="alert alert-warning o_care_preview_banner mt-2 '
                    'o_care_a11y_scope" '
                    'role="status"><strong>%s</strong> %s%s</div>'
                )
                % (
                    escape(
                        request.env._("Preview of the portal of %(name)s.", name=name)
                    ),
                    escape(
                        request.env._(
                            "Read-only: what this person sees today, with their "
                            "grants; nothing here acts."
                        )
                    ),
                    left_out,
                )
            )
        )
        (main[0] if main else document.body).insert(0, banner)
        return lxml_html.tostring(
            document, doctype="<!DOCTYPE html>", encoding="unicode"
        )
