from werkzeug.exceptions import Forbidden, NotFound

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from .portal import _checked_id
from .portal_forms import visitor_answers


class CarePackagesPortal(CustomerPortal):
    """/my/packages: the packages the visitor takes part in (or those of the
    clients who grant them their profile), their sessions, shared notes and
    shared forms. Record rules decide; sudo() only displays what they allowed."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "care_package_count" in counters:
            Package = request.env["care.package"]
            values["care_package_count"] = (
                Package.search_count([]) if Package.has_access("read") else 0
            )
        return values

    @http.route(
        ["/my/packages"],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
        readonly=True,
    )
    def portal_my_packages(self, **kw):
        Package = request.env["care.package"]
        if not Package.has_access("read"):
            raise Forbidden()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "care_packages",
                "packages": Package.search([], limit=200).sudo(),
            }
        )
        return request.render("care_network.portal_my_packages", values)

    @http.route(
        ["/my/packages/<int:package_id>"],
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        readonly=True,
    )
    def portal_my_package(self, package_id, access_token=None, **kw):
        try:
            package_sudo = self._document_check_access(
                "care.package", _checked_id(package_id), access_token
            )
        except MissingError as error:
            raise NotFound() from error
        except AccessError as error:
            raise Forbidden() from error
        now = fields.Datetime.now()
        sessions = package_sudo.event_ids.sorted("start")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "care_package",
                "package": package_sudo,
                "upcoming": sessions.filtered(lambda e: e.stop >= now),
                "past": sessions.filtered(lambda e: e.stop < now).sorted(
                    "start", reverse=True
                ),
                "notes": package_sudo._care_shared_notes(),
                "forms": self._care_package_forms(package_sudo),
            }
        )
        values = self._get_page_view_values(
            package_sudo, access_token, values, "my_packages_history", False
        )
        return request.render("care_network.portal_my_package", values)

    def _care_package_forms(self, package_sudo):
        """The package's shared forms the visitor may also open: staff as their
        record rules let them, a portal user as ``_care_portal_answers`` does
        (never an internal form); a visitor by the package's link alone, none."""
        shared = package_sudo._care_shared_forms()
        forms = visitor_answers(request.env, [("id", "in", shared.ids)])
        return forms if forms is not None else shared.browse()
