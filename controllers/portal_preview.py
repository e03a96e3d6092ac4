import re

from lxml import html as lxml_html
from markupsafe import Markup, escape
from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError
from odoo.http import request

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
        request.env["care.access.log"]._log_preview(person, relation)
        user = person.sudo()._care_portal_user()
        prefix = f"/care/preview/{person.id}"
        if not user:
            return request.render(
                "care_network.portal_preview_no_login", {"person": person.sudo()}
            )
        request.update_env(user=user.id)
        request.update_context(care_preview=True)
        response = getattr(self, endpoint)(**args)
        body = response.render() if hasattr(response, "render") else response.data
        return request.make_response(
            self._care_preview_html(
                body,
                prefix,
                person.sudo().name,
                f"relation_id={relation.id}" if relation else "",
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
    def _care_preview_endpoint(page):
        page = page.strip("/")
        for pattern, endpoint, names in PREVIEW_PAGES:
            match = pattern.fullmatch(page)
            if match:
                values = [_checked_id(int(value)) for value in match.groups()]
                return endpoint, dict(zip(names, values, strict=True))
        raise NotFound()

    @staticmethod
    def _care_preview_html(body, prefix, name, query=""):
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
        banner = lxml_html.fragment_fromstring(
            str(
                Markup(
                    '<div class="alert alert-warning o_care_preview_banner mt-2" '
                    'role="status"><strong>%s</strong> %s</div>'
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
                )
            )
        )
        (main[0] if main else document.body).insert(0, banner)
        return lxml_html.tostring(
            document, doctype="<!DOCTYPE html>", encoding="unicode"
        )
