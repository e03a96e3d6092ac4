"""Portal pages and read RPCs run on a read-only cursor (a replica can serve
them): they are declared so, and nothing they do writes. A write on such a route
makes Odoo retry it on a read/write cursor and log a warning: none here."""

from odoo.tests import tagged

from odoo.addons.care_network.controllers.fhir import CareFhir
from odoo.addons.care_network.controllers.portal import CarePortal
from odoo.addons.care_network.controllers.portal_forms import CareFormsPortal
from odoo.addons.care_network.controllers.portal_packages import CarePackagesPortal
from odoo.addons.care_network.controllers.portal_preview import CarePortalPreview

from .test_portal import PortalCase

READ_ONLY_ENDPOINTS = (
    CarePortal.portal_my_care,
    CarePortal.portal_my_care_client,
    CarePortal.portal_my_referrals,
    CarePortal.portal_my_referral,
    CareFormsPortal.portal_my_forms,
    CareFormsPortal.portal_my_form,
    CarePackagesPortal.portal_my_packages,
    CarePackagesPortal.portal_my_package,
    CarePackagesPortal.portal_package_book,
    *(
        getattr(CarePortalPreview, name)
        for name in dir(CarePortalPreview)
        if name.startswith("care_preview_")
        and hasattr(getattr(CarePortalPreview, name), "original_routing")
    ),
    CareFhir.fhir_read,
    CareFhir.fhir_metadata,
)


@tagged("post_install", "-at_install")
class TestReadOnlyRoutes(PortalCase):
    def test_portal_get_routes_are_declared_read_only(self):
        for endpoint in READ_ONLY_ENDPOINTS:
            routing = endpoint.original_routing
            self.assertIs(routing["readonly"], True, endpoint.__name__)
            self.assertEqual(routing.get("methods"), ["GET"], endpoint.__name__)

    def assert_read_only(self, login, urls):
        self.authenticate(login, login)
        for url in urls:
            with self.assertNoLogs("odoo.http", "WARNING"):
                response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 200, url)

    def test_portal_pages_write_nothing(self):
        self.assert_read_only(
            "guardian_portal",
            [
                "/my/care",
                f"/my/care/{self.seeker.id}",
                "/my/referrals",
                f"/my/referrals/{self.referral.id}",
            ],
        )
        self.assert_read_only("seeker", [f"/my/referrals/{self.referral.id}"])
        token = self.referral.access_token
        self.assertTrue(token, "made with the referral, not by the page")
        self.assert_read_only(
            None, [f"/my/referrals/{self.referral.id}?access_token={token}"]
        )

    def test_read_rpcs_write_nothing(self):
        self.authenticate("helper", "helper")
        for model, method, args, kwargs in (
            (
                "res.partner",
                "web_read",
                [[self.seeker.id]],
                {
                    "specification": {
                        "care_relation_ids": {
                            "fields": {"type_id": {"fields": {"display_name": {}}}}
                        },
                        "care_referral_count": {},
                    }
                },
            ),
            (
                "care.referral",
                "web_search_read",
                [],
                {
                    "domain": [],
                    "specification": {"name": {}, "state": {}, "allowed_moves": {}},
                },
            ),
            (
                "res.partner",
                "search_read",
                [
                    [("care_related_partner_id", "=", self.guardian_partner.id)],
                    ["name"],
                ],
                {},
            ),
        ):
            with self.assertNoLogs("odoo.http", "WARNING"):
                result = self.make_jsonrpc_request(
                    f"/web/dataset/call_kw/{model}/{method}",
                    {"model": model, "method": method, "args": args, "kwargs": kwargs},
                )
            self.assertTrue(result, (model, method))
