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


class CarePortal(CustomerPortal):
    """Portal pages of guardians, responsible parties and seekers.

    Every read goes through the ORM as the logged-in user (record rules decide);
    records are only read with sudo() to display them after that check passed.
    """

    # --- /my counters ----------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "care_client_count" in counters:
            values["care_client_count"] = len(
                self._care_granting_relations().partner_id
            ) + bool(self._care_own_record())
        if "care_referral_count" in counters:
            Referral = request.env["care.referral"]
            values["care_referral_count"] = (
                Referral.search_count([]) if Referral.has_access("read") else 0
            )
        return values

    def _care_own_record(self):
        """The visitor's own partner when they are a care client (their own
        record shows under My care as their guardians see it), else None."""
        partner = request.env.user.partner_id
        return partner if partner.sudo().is_care_client else None

    def _care_granting_relations(self, client_id=None):
        # env.user is read as superuser: read the relations with the visitor's rights.
        partner = request.env.user.partner_id.sudo(False)
        return partner._care_granting_relations(client_id)

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
        relations = self._care_granting_relations()
        pager = portal_pager(
            url="/my/care",
            total=len(relations),
            page=page,
            step=self._items_per_page,
        )
        shown = relations[pager["offset"] : pager["offset"] + self._items_per_page]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "care",
                "default_url": "/my/care",
                "pager": pager,
                # The rules let the user read these relations; show the clients'
                # names, whatever their profile grant.
                "relations": shown.sudo(),
                "own_record": self._care_own_record(),
            }
        )
        return request.render("care_network.portal_my_care", values)

    @http.route(
        ["/my/care/<int:client_id>"],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
        readonly=True,
    )
    def portal_my_care_client(self, client_id, **kw):
        own = self._care_own_record()
        own = own if own and own.id == _checked_id(client_id) else None
        relations = self._care_granting_relations(client_id)
        if not relations and not own:
            if not request.env["res.partner"].sudo().browse(client_id).exists():
                raise NotFound()
            raise Forbidden()
        grants = {
            grant: bool(own) or any(relations.mapped(grant)) for grant in GRANT_FIELDS
        }
        client = request.env["res.partner"].browse(client_id)
        if not own:  # reading one's own record is no disclosure
            request.env["care.access.log"]._log_client_page(client, relations, grants)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "care_client",
                "relations": relations.sudo(),
                "client_name": client.sudo().name,
                "own_record": own,
                "client": client if grants["can_view_profile"] else None,
                "grants": grants,
                "appointments": self._care_appointments(client, grants),
                "referrals": self._care_client_referrals(client, grants),
                "goals": self._care_client_goals(client, grants),
                "client_id": client.id,
                "speaks_for": client.sudo()._care_speaks_for(
                    request.env.user.partner_id
                ),
            }
        )
        return request.render("care_network.portal_my_care_client", values)

    def _care_appointments(self, client, grants):
        if not grants["can_view_appointments"]:
            return request.env["calendar.event"]
        return request.env["calendar.event"].search(
            [
                ("partner_ids", "in", client.ids),
                ("stop", ">=", fields.Datetime.now()),
            ],
            order="start",
            limit=50,
        )

    def _care_client_referrals(self, client, grants):
        if not grants["can_view_referrals"]:
            return request.env["care.referral"]
        return (
            request.env["care.referral"].search([("seeker_id", "=", client.id)]).sudo()
        )

    def _care_client_goals(self, client, grants):
        if not grants["can_view_referrals"]:
            return request.env["care.goal"]
        return request.env["care.goal"].search([("seeker_id", "=", client.id)]).sudo()

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
        Referral = request.env["care.referral"]
        if not Referral.has_access("read"):
            raise Forbidden()
        pager = portal_pager(
            url="/my/referrals",
            total=Referral.search_count([]),
            page=page,
            step=self._items_per_page,
        )
        referrals = Referral.search(
            [], limit=self._items_per_page, offset=pager["offset"]
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "referral",
                "default_url": "/my/referrals",
                "pager": pager,
                "referrals": referrals.sudo(),
            }
        )
        return request.render("care_network.portal_my_referrals", values)

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
            self._care_mover(referral_sudo, access_token).set_state(
                state or "", note=(kw.get("note") or "").strip() or False
            )
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

    def _care_mover(self, referral_sudo, access_token):
        """Who moves the referral: the logged-in user when the ORM lets them read
        it, else the seeker holding the e-mailed access token."""
        referral = referral_sudo.with_user(request.env.user)
        if referral.has_access("read"):
            return referral
        # sudo() as the visitor, not as the superuser: the token makes them the
        # seeker and nothing more.
        return referral.sudo().with_context(care_access_token=access_token)

    def _care_render_referral(self, referral_sudo, access_token, error=None):
        mover = self._care_mover(referral_sudo, access_token)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "referral",
                "referral": referral_sudo,
                "moves": mover._portal_moves(),
                "moved": bool(request.params.get("moved")),
                "move_error": error,
            }
        )
        values = self._get_page_view_values(
            referral_sudo, access_token, values, "my_referrals_history", False
        )
        return request.render("care_network.portal_my_referral", values)
