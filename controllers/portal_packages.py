from datetime import datetime

import pytz
from werkzeug.exceptions import Forbidden, NotFound

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from .portal import MAX_ID, CarePortal, PortalViewer, _checked_id
from .portal_forms import visitor_answers


class CarePackagesPortal(CarePortal):
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
        values = self._care_packages_values(PortalViewer(request.env))
        return request.render("care_network.portal_my_packages", values)

    def _care_packages_values(self, viewer):
        Package = viewer.env["care.package"]
        if not Package.has_access("read"):
            raise Forbidden()
        return self._care_page_values(
            viewer, "care_packages", packages=Package.search([], limit=200).sudo()
        )

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
        values = self._care_package_values(PortalViewer(request.env), package_sudo)
        values["booking_done"] = (
            kw.get("booked") and "booked" or kw.get("requested") and "requested"
        )
        values = self._get_page_view_values(
            package_sudo, access_token, values, "my_packages_history", False
        )
        return request.render("care_network.portal_my_package", values)

    def _care_package_values(self, viewer, package_sudo):
        now = fields.Datetime.now()
        sessions = package_sudo.event_ids.sorted("start")
        return self._care_page_values(
            viewer,
            "care_package",
            package=package_sudo,
            upcoming=sessions.filtered(lambda e: e.stop >= now),
            past=sessions.filtered(lambda e: e.stop < now).sorted(
                "start", reverse=True
            ),
            private_sessions=self._care_hidden_events(viewer, sessions),
            notes=package_sudo._care_shared_notes(),
            forms=self._care_package_forms(viewer, package_sudo),
            can_book=self._care_may_book(viewer, package_sudo),
        )

    @staticmethod
    def _care_package_forms(viewer, package_sudo):
        """The package's shared forms the viewer may also open: staff as their
        record rules let them, a portal user as ``_care_portal_answers`` does
        (never an internal form); a visitor by the package's link alone, none."""
        shared = package_sudo._care_shared_forms()
        forms = visitor_answers(viewer.env, [("id", "in", shared.ids)])
        return forms if forms is not None else shared.browse()

    # --- booking ------------------------------------------------------------------
    @staticmethod
    def _care_may_book(viewer, package_sudo):
        """Whether the viewer may book, to offer the button (the booking page
        checks again)."""
        user = viewer.env.user
        if not user.share or user._is_public():
            return False
        try:
            viewer.env["care.package.slot"]._check_bookable_by_user(package_sudo)
        except AccessError:
            return False
        return True

    def _care_bookable_package(self, package_id):
        """The package, if the logged-in portal user may book its sessions: the
        package's record rule (no token: a forwarded link books nothing), then
        the slots' rule. Staff book from the back office."""
        if not request.env.user.share:
            raise Forbidden()
        try:
            package_sudo = self._document_check_access(
                "care.package", _checked_id(package_id)
            )
            request.env["care.package.slot"]._check_bookable_by_user(package_sudo)
        except MissingError as error:
            raise NotFound() from error
        except AccessError as error:
            raise Forbidden() from error
        return package_sudo

    def _care_render_booking(self, package_sudo, error=None, status=200):
        Slot = request.env["care.package.slot"]
        partner = request.env.user.partner_id
        mine = Slot.search(
            [("package_id", "=", package_sudo.id), ("requester_id", "=", partner.id)]
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "care_package_book",
                "package": package_sudo,
                "open_slots": Slot.search(
                    [
                        ("package_id", "=", package_sudo.id),
                        ("state", "=", "open"),
                        ("start", ">", fields.Datetime.now()),
                    ]
                ).sudo(),
                "my_requests": mine.filtered(lambda s: s.state != "booked").sudo(),
                "closed_reason": package_sudo._booking_closed_reason(),
                "booking_error": error,
                "today": fields.Date.context_today(package_sudo).isoformat(),
            }
        )
        response = request.render("care_network.portal_package_book", values)
        response.status_code = status
        return response

    @http.route(
        ["/my/packages/<int:package_id>/book"],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
        readonly=True,
    )
    def portal_package_book(self, package_id, **kw):
        return self._care_render_booking(self._care_bookable_package(package_id))

    @http.route(
        ["/my/packages/<int:package_id>/book"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_package_book_post(self, package_id, slot_id=None, **kw):
        package_sudo = self._care_bookable_package(package_id)
        partner = request.env.user.partner_id
        try:
            if slot_id is not None:
                slot = self._care_posted_slot(package_sudo, slot_id)
                done = "booked"
                with request.env.cr.savepoint():
                    slot.sudo()._book_by(partner)
            else:
                start, stop = self._care_posted_times(kw)
                done = "requested"
                with request.env.cr.savepoint():
                    package_sudo._request_session_by(
                        partner, start, stop, (kw.get("note") or "").strip()[:200]
                    )
        except AccessError as error:  # a UserError too: never its message
            raise Forbidden() from error
        except (ValueError, UserError) as error:
            # UserError: refused by the model (taken, all booked, past): 409;
            # ValueError: what was posted makes no sense: 400.
            request.env.invalidate_all()
            status = 409 if isinstance(error, UserError) else 400
            return self._care_render_booking(package_sudo, error.args[0], status)
        return request.redirect(f"/my/packages/{package_sudo.id}?{done}=1")

    def _care_posted_slot(self, package_sudo, slot_id):
        """An open time of this package the visitor may see (the slots' rule)."""
        try:
            slot_id = int(slot_id)
        except (TypeError, ValueError) as error:
            raise ValueError(request.env._("Choose one of the open times.")) from error
        domain = [
            ("id", "=", slot_id if 0 < slot_id <= MAX_ID else 0),
            ("package_id", "=", package_sudo.id),
        ]
        Slot = request.env["care.package.slot"]
        # A time of this package booked by someone else is no longer visible:
        # booking it says so (the visitor may book this package's times).
        slot = Slot.search(domain) or Slot.sudo().search(domain)
        if not slot:
            raise ValueError(
                request.env._("This time is not one of this package's open times.")
            )
        return slot

    def _care_posted_times(self, kw):
        """The day and the times of a request, in the visitor's time zone, as UTC."""
        _ = request.env._
        try:
            day = kw.get("request_date") or ""
            start = datetime.strptime(
                f"{day} {kw.get('request_from')}", "%Y-%m-%d %H:%M"
            )
            stop = datetime.strptime(
                f"{day} {kw.get('request_until')}", "%Y-%m-%d %H:%M"
            )
        except (TypeError, ValueError) as error:
            raise ValueError(
                _("Give the day, and the times from and until, of the session.")
            ) from error
        if stop <= start:
            raise ValueError(_("The session must end after it starts."))
        zone = pytz.timezone(request.env.user.tz or "UTC")
        try:
            start, stop = (
                zone.localize(moment).astimezone(pytz.utc).replace(tzinfo=None)
                for moment in (start, stop)
            )
        except OverflowError as error:  # year 1 east of UTC, 9999 west of it
            raise ValueError(_("Ask for a day of the years to come.")) from error
        if start <= fields.Datetime.now():
            raise ValueError(_("This time has passed: ask for a time to come."))
        return start, stop
