from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from .portal import CarePortal, PortalViewer, _checked_id


class CareConsentPortal(CarePortal):
    """Pages of the person who speaks for a client (the client, or a minor's
    legal guardian): who viewed the record, and the consents given."""

    @staticmethod
    def _care_spoken_for(client_id, viewer=None):
        """The client, when the viewer (by default the visitor) speaks for them
        (the model decides)."""
        viewer = viewer or PortalViewer(request.env)
        client = viewer.env["res.partner"].sudo().browse(_checked_id(client_id))
        if not client.exists():
            raise NotFound()
        if not client._care_speaks_for(viewer.partner):
            raise Forbidden()
        return client

    @http.route(
        ["/my/care/<int:client_id>/viewers"],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
        readonly=True,
    )
    def portal_care_viewers(self, client_id, **kw):
        values = self._care_viewers_values(PortalViewer(request.env), client_id)
        return request.render("care_network.portal_care_viewers", values)

    def _care_viewers_values(self, viewer, client_id):
        client = self._care_spoken_for(client_id, viewer)
        rows = viewer.env["care.access.log"].search(
            [("client_id", "=", client.id)], limit=200
        )
        return self._care_page_values(
            viewer,
            "care_viewers",
            client_name=client.name,
            client_id=client.id,
            rows=rows.sudo(),
        )

    @http.route(
        ["/my/care/<int:client_id>/consents"],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
        readonly=True,
    )
    def portal_care_consents(self, client_id, **kw):
        client = self._care_spoken_for(client_id)
        return self._care_render_consents(client)

    def _care_render_consents(self, client, error=None):
        values = self._care_consents_values(PortalViewer(request.env), client.id)
        values["consent_error"] = error
        return request.render("care_network.portal_care_consents", values)

    def _care_consents_values(self, viewer, client_id):
        client = self._care_spoken_for(client_id, viewer)
        Consent = viewer.env["care.consent"]
        return self._care_page_values(
            viewer,
            "care_consents",
            client_name=client.name,
            client_id=client.id,
            consents=Consent.search([("client_id", "=", client.id)]).sudo(),
            offers=Consent._portal_offers(client),
        )

    @http.route(
        ["/my/care/<int:client_id>/consents"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_care_consent_give(self, client_id, offer=None, **kw):
        client = self._care_spoken_for(client_id)
        return self._care_consent_change(
            client,
            lambda: request.env["care.consent"]._portal_give(client, offer or ""),
            "given",
        )

    @http.route(
        ["/my/care/<int:client_id>/consents/<int:consent_id>/revoke"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_care_consent_revoke(self, client_id, consent_id, **kw):
        client = self._care_spoken_for(client_id)
        consent = request.env["care.consent"].search(
            [("id", "=", _checked_id(consent_id)), ("client_id", "=", client.id)]
        )
        if not consent:
            raise NotFound()
        return self._care_consent_change(client, consent._portal_revoke, "revoked")

    def _care_consent_change(self, client, change, done):
        """Make ``change``; back to the consents, or the page again with the
        reason (400) when the model refuses it."""
        try:
            change()
        except UserError as error:
            response = self._care_render_consents(client, error=error.args[0])
            response.status_code = 400
            return response
        return request.redirect(f"/my/care/{client.id}/consents?{done}=1")
