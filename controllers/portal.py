from urllib.parse import urlencode

from werkzeug.exceptions import Forbidden, NotFound

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.care_relation_type import GRANT_FIELDS

MAX_ID = 2**31 - 1


def _checked_id(record_id):
    """Ids PostgreSQL cannot hold are not found, rather than a database error."""
    if not 0 < record_id <= MAX_ID:
        raise NotFound()
    return record_id


class PortalViewer:
    """Whose portal a page shows, and how: the person's rights (``env``: their
    own request's, or theirs computed for a staff preview) and where the page's
    links lead. The page's values are built from this alone, so the person's
    page and its preview come from one code path and one template."""

    def __init__(self, env, preview_prefix=None, preview_query=None):
        self.env = env
        self.preview = preview_prefix is not None
        self._prefix = preview_prefix or ""
        self._query = preview_query or {}

    @property
    def partner(self):
        # env.user is read as superuser: the partner with the person's rights.
        return self.env.user.partner_id.sudo(False)

    def url(self, path):
        """The address of the portal page ``path`` for this viewer: the page
        itself, or the same page inside the preview."""
        query = f"?{urlencode(self._query)}" if self._query else ""
        return f"{self._prefix}{path}{query}"

    def pager(self, path, total, page, step):
        return portal_pager(
            url=self._prefix + path,
            url_args=self._query,
            total=total,
            page=page,
            step=step,
        )

    def values(self):
        """What every page's template reads of its viewer."""
        return {"care_preview": self.preview, "care_url": self.url}


class CarePortal(CustomerPortal):
    """Portal pages of guardians, responsible parties and seekers.

    Every read goes through the ORM as the logged-in user (record rules decide);
    records are only read with sudo() to display them after that check passed.
    """

    # --- /my counters ----------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "care_client_count" in counters:
            viewer = PortalViewer(request.env)
            values["care_client_count"] = len(
                self._care_granting_relations(viewer).partner_id
            ) + bool(self._care_own_record(viewer))
        if "care_referral_count" in counters:
            Referral = request.env["care.referral"]
            values["care_referral_count"] = (
                Referral.search_count([]) if Referral.has_access("read") else 0
            )
        return values

    @staticmethod
    def _care_own_record(viewer):
        """The viewer's own partner when they are a care client (their own
        record shows under My care as their guardians see it), else None."""
        partner = viewer.partner
        return partner if partner.sudo().is_care_client else None

    @staticmethod
    def _care_granting_relations(viewer, client_id=None):
        return viewer.partner._care_granting_relations(client_id)

    @staticmethod
    def _care_hidden_events(viewer, events):
        """The appointments whose details the page may not show: hidden from
        the viewer, or from the staff user previewing the viewer's page."""
        return events._care_details_hidden_from_any(viewer.env.user | request.env.user)

    def _care_page_values(self, viewer, page_name, **values):
        return {
            **self._prepare_portal_layout_values(),
            **viewer.values(),
            "page_name": page_name,
            **values,
        }

    # --- people in my care -----------------------------------------------------
    @http.route(
        ["/my/care", "/my/care/page/<int:page>"],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
        readonly=True,
    )
    def portal_my_care(self, page=1, **kw):
        values = self._care_my_care_values(PortalViewer(request.env), page)
        return request.render("care_network.portal_my_care", values)

    def _care_my_care_values(self, viewer, page=1):
        relations = self._care_granting_relations(viewer)
        pager = viewer.pager(
            "/my/care", total=len(relations), page=page, step=self._items_per_page
        )
        shown = relations[pager["offset"] : pager["offset"] + self._items_per_page]
        return self._care_page_values(
            viewer,
            "care",
            default_url="/my/care",
            pager=pager,
            # The rules let the user read these relations; show the clients'
            # names, whatever their profile grant.
            relations=shown.sudo(),
            own_record=self._care_own_record(viewer),
        )

    @http.route(
        ["/my/care/<int:client_id>"],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
        readonly=True,
    )
    def portal_my_care_client(self, client_id, **kw):
        values = self._care_client_values(PortalViewer(request.env), client_id)
        if not values["own_record"]:  # reading one's own record is no disclosure
            request.env["care.access.log"]._log_client_page(
                request.env["res.partner"].browse(values["client_id"]),
                values["relations"],
                values["grants"],
            )
        return request.render("care_network.portal_my_care_client", values)

    def _care_client_values(self, viewer, client_id):
        env = viewer.env
        own = self._care_own_record(viewer)
        own = own if own and own.id == _checked_id(client_id) else None
        relations = self._care_granting_relations(viewer, client_id)
        if not relations and not own:
            if not env["res.partner"].sudo().browse(client_id).exists():
                raise NotFound()
            raise Forbidden()
        grants = {
            grant: bool(own) or any(relations.mapped(grant)) for grant in GRANT_FIELDS
        }
        client = env["res.partner"].browse(client_id)
        appointments = self._care_appointments(client, grants)
        return self._care_page_values(
            viewer,
            "care_client",
            relations=relations.sudo(),
            client_name=client.sudo().name,
            own_record=own,
            client=client if grants["can_view_profile"] else None,
            grants=grants,
            appointments=appointments,
            private_appointments=self._care_hidden_events(viewer, appointments),
            referrals=self._care_client_referrals(client, grants),
            goals=self._care_client_goals(client, grants),
            client_id=client.id,
            speaks_for=client.sudo()._care_speaks_for(viewer.partner),
        )

    @staticmethod
    def _care_appointments(client, grants):
        """``client`` comes with the viewer's rights: so do these searches."""
        if not grants["can_view_appointments"]:
            return client.env["calendar.event"]
        return client.env["calendar.event"].search(
            [
                ("partner_ids", "in", client.ids),
                ("stop", ">=", fields.Datetime.now()),
            ],
            order="start",
            limit=50,
        )

    @staticmethod
    def _care_client_referrals(client, grants):
        if not grants["can_view_referrals"]:
            return client.env["care.referral"]
        return (
            client.env["care.referral"].search([("seeker_id", "=", client.id)]).sudo()
        )

    @staticmethod
    def _care_client_goals(client, grants):
        if not grants["can_view_referrals"]:
            return client.env["care.goal"]
        return client.env["care.goal"].search([("seeker_id", "=", client.id)]).sudo()

    # --- referrals -------------------------------------------------------------
    @http.route(
        ["/my/referrals", "/my/referrals/page/<int:page>"],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
        readonly=True,
    )
    def portal_my_referrals(self, page=1, **kw):
        values = self._care_referrals_values(PortalViewer(request.env), page)
        return request.render("care_network.portal_my_referrals", values)

    def _care_referrals_values(self, viewer, page=1):
        Referral = viewer.env["care.referral"]
        if not Referral.has_access("read"):
            raise Forbidden()
        pager = viewer.pager(
            "/my/referrals",
            total=Referral.search_count([]),
            page=page,
            step=self._items_per_page,
        )
        referrals = Referral.search(
            [], limit=self._items_per_page, offset=pager["offset"]
        )
        return self._care_page_values(
            viewer,
            "referral",
            default_url="/my/referrals",
            pager=pager,
            referrals=referrals.sudo(),
        )

    @http.route(
        ["/my/referrals/<int:referral_id>"],
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        readonly=True,
    )
    def portal_my_referral(self, referral_id, access_token=None, **kw):
        referral_sudo = self._care_referral_check_access(referral_id, access_token)
        request.env["care.access.log"]._log_portal_referral(referral_sudo)
        return self._care_render_referral(referral_sudo, access_token)

    @http.route(
        ["/my/referrals/<int:referral_id>/status"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_referral_status(self, referral_id, state=None, access_token=None, **kw):
        referral_sudo = self._care_referral_check_access(referral_id, access_token)
        try:
            self._care_mover(
                PortalViewer(request.env), referral_sudo, access_token
            ).set_state(state or "", note=(kw.get("note") or "").strip() or False)
        except UserError as error:
            response = self._care_render_referral(
                referral_sudo, access_token, error=error.args[0]
            )
            response.status_code = 400
            return response
        query = {"moved": 1, **({"access_token": access_token} if access_token else {})}
        return request.redirect(f"{referral_sudo.access_url}?{urlencode(query)}")

    def _care_referral_check_access(self, referral_id, access_token):
        try:
            return self._document_check_access(
                "care.referral", _checked_id(referral_id), access_token
            )
        except MissingError as error:
            raise NotFound() from error
        except AccessError as error:
            raise Forbidden() from error

    @staticmethod
    def _care_mover(viewer, referral_sudo, access_token):
        """Who moves the referral: the viewer when the ORM lets them read it,
        else the seeker holding the e-mailed access token."""
        referral = referral_sudo.with_env(viewer.env)
        if referral.has_access("read"):
            return referral
        # sudo() as the visitor, not as the superuser: the token makes them the
        # seeker and nothing more.
        return referral.sudo().with_context(care_access_token=access_token)

    def _care_render_referral(self, referral_sudo, access_token, error=None):
        viewer = PortalViewer(request.env)
        values = self._care_referral_values(viewer, referral_sudo, access_token)
        values.update(moved=bool(request.params.get("moved")), move_error=error)
        values = self._get_page_view_values(
            referral_sudo, access_token, values, "my_referrals_history", False
        )
        return request.render("care_network.portal_my_referral", values)

    def _care_referral_values(self, viewer, referral_sudo, access_token=None):
        mover = self._care_mover(viewer, referral_sudo, access_token)
        return self._care_page_values(
            viewer, "referral", referral=referral_sudo, moves=mover._portal_moves()
        )
