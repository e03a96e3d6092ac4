import json

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .common_referral import ReferralCase

CARE_DATA = "/report/%s/care_network.report_care_data/%s"
ECOMAP = "/report/%s/care_network.report_care_ecomap/%s"


class TrustReportsCase(ReferralCase):
    """A client with a care file full of marker strings: a goal, a relation note,
    a consent and a row of the access log."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.guardian_relation = cls.seeker.care_relation_ids.filtered(
            lambda r: r.related_partner_id == cls.guardian_user.partner_id
        )
        cls.guardian_relation.write(
            {"note": "Quetzal note", "relationship_note": "Quokka aunt"}
        )
        cls.goal = cls.env["care.goal"].create(
            {"name": "Zebra crossing goal", "seeker_id": cls.seeker.id}
        )
        cls.env["care.access.log"].with_user(cls.guardian_user)._log_read(
            cls.seeker, "profile"
        )

    def export(self, user=None):
        """Export as a manager through the wizard; the exported attachment."""
        wizard = (
            self.env["care.data.request"]
            .with_user(user or self.care_manager)
            .create({"client_id": self.seeker.id, "request": "export"})
        )
        url = wizard.action_confirm()["url"]
        attachment_id = int(url.split("/web/content/")[1].split("?")[0])
        return self.env["ir.attachment"].browse(attachment_id)


@tagged("post_install", "-at_install")
class TestTrustReportsHttp(HttpCase, TrustReportsCase):
    """The reports and the export over HTTP, as each persona."""

    def get(self, login, url):
        self.authenticate(login, login)
        return self.url_open(url)

    def assertRefused(self, response, *markers):
        self.assertIn(response.status_code, (403, 404), response.text[:500])
        for marker in markers:
            self.assertNotIn(marker, response.text)
        self.assertNotIn("Traceback", response.text)

    def test_salesperson_care_user_and_guardian_get_no_care_data_report(self):
        for login, converter in (
            ("plain_internal", "html"),
            ("plain_internal", "pdf"),
            ("helper", "html"),
            ("helper", "pdf"),
            ("guardian_portal", "html"),
        ):
            response = self.get(login, CARE_DATA % (converter, self.seeker.id))
            self.assertRefused(response, "Zebra crossing goal", "Who viewed")
        response = self.get("care_manager", CARE_DATA % ("html", self.seeker.id))
        self.assertEqual(response.status_code, 200)
        self.assertIn("Zebra crossing goal", response.text)
        self.assertIn("Who viewed the record", response.text)

    def test_guardian_and_salesperson_get_no_ecomap(self):
        for login, converter in (
            ("guardian_portal", "html"),
            ("guardian_portal", "pdf"),
            ("plain_internal", "html"),
        ):
            response = self.get(login, ECOMAP % (converter, self.seeker.id))
            # The report's own page, not an <svg> (website's 403 page draws one).
            self.assertRefused(response, "Rita Responsible", "o_care_ecomap_report")
        response = self.get("helper", ECOMAP % ("html", self.seeker.id))
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_care_ecomap_report", response.text)
        self.assertIn("<svg", response.text)
        self.assertIn("Rita Responsible", response.text)

    def test_export_download_for_managers_only(self):
        attachment = self.export()
        url = f"/web/content/{attachment.id}?download=true"
        for login in ("helper", "guardian_portal", "plain_internal"):
            response = self.get(login, url)
            self.assertRefused(response, "Zebra crossing goal", "Quetzal note")
        response = self.get("care_manager", url)
        self.assertEqual(response.status_code, 200)
        data = json.loads(response.content)
        self.assertEqual([g["name"] for g in data["goals"]], ["Zebra crossing goal"])

    def test_a_manager_neither_rewrites_nor_forges_an_export_over_rpc(self):
        attachment = self.export()
        export = self.env["care.data.export"].search(
            [("attachment_id", "=", attachment.id)]
        )
        company_b = self.env["res.company"].create({"name": "Agency B"})
        other_file = self.env["ir.attachment"].create(
            {"name": "other.json", "raw": b"{}"}
        )
        self.authenticate("care_manager", "care_manager")

        def call(method, args, model="care.data.export"):
            return self.make_jsonrpc_request(
                f"/web/dataset/call_kw/{model}/{method}",
                {"model": model, "method": method, "args": args, "kwargs": {}},
            )

        # Moved to another company, given another client or file: refused.
        for values in (
            {"company_id": company_b.id},
            {"client_id": self.adult.id},
            {"attachment_id": other_file.id},
        ):
            with self.assertRaisesRegex(
                JsonRpcException, r"^odoo\.exceptions\.AccessError$"
            ):
                call("write", [export.ids, values])
        with self.assertRaisesRegex(
            JsonRpcException, r"^odoo\.exceptions\.AccessError$"
        ):
            call("create", [{"client_id": self.adult.id, "name": "forged.json"}])
        # Nor is its file rewritten, or another file given to it.
        forged = {"datas": "e30=", "name": "forged.json"}
        for method, args in (
            ("write", [attachment.ids, {"datas": "e30="}]),
            ("create", [{**forged, "res_model": export._name, "res_id": export.id}]),
        ):
            with self.assertRaisesRegex(
                JsonRpcException, r"^odoo\.exceptions\.AccessError$"
            ):
                call(method, args, model="ir.attachment")
        self.env.invalidate_all()
        self.assertEqual(
            (export.company_id, export.client_id, export.attachment_id),
            (self.seeker.company_id, self.seeker, attachment),
        )
        self.assertFalse(
            self.env["care.data.export"].search([("client_id", "=", self.adult.id)])
        )
        self.assertEqual(
            self.env["ir.attachment"].search(
                [("res_model", "=", export._name), ("res_id", "=", export.id)]
            ),
            attachment,
        )
        self.assertIn(b"Zebra crossing goal", attachment.raw)
        # What a manager keeps: reading and deleting the export.
        self.assertEqual(
            call("read", [export.ids, ["client_id"]])[0]["client_id"][0],
            self.seeker.id,
        )
        call("unlink", [export.ids])
        self.assertFalse(export.exists())

    def test_erasure_removes_earlier_exports(self):
        attachment = self.export()
        url = f"/web/content/{attachment.id}?download=true"
        self.seeker.with_user(self.care_manager).action_erase_care_data()
        self.assertFalse(attachment.exists())
        self.assertFalse(
            self.env["care.data.export"].search([("client_id", "=", self.seeker.id)])
        )
        response = self.get("care_manager", url)
        self.assertRefused(response, "Zebra crossing goal", "Quetzal note")


@tagged("post_install", "-at_install")
class TestTrustReports(TrustReportsCase):
    """The same doors through the ORM, as the user."""

    def test_export_not_readable_through_attachments(self):
        attachment = self.export()
        for user in (self.helper, self.guardian_user, self.internal_user):
            Attachment = self.env["ir.attachment"].with_user(user)
            for domain in (
                [("id", "=", attachment.id)],
                [("res_model", "=", "care.data.export")],
                [("res_model", "=", "res.partner"), ("res_id", "=", self.seeker.id)],
            ):
                try:
                    rows = Attachment.search_read(domain, ["name", "raw"])
                except AccessError:
                    rows = []
                self.assertFalse(
                    [r for r in rows if "Zebra" in (r["raw"] or b"").decode()],
                    user.login,
                )
            with self.assertRaises(AccessError):
                self.env["care.data.export"].with_user(user).search_read([], ["id"])
            with self.assertRaises(AccessError):
                attachment.with_user(user).check("read")
        self.assertFalse(
            self.seeker.message_ids.attachment_ids, "no export in the chatter"
        )
        self.assertIn(
            b"Zebra crossing goal", attachment.with_user(self.care_manager).raw
        )

    def test_care_data_for_managers_only(self):
        for user in (self.internal_user, self.helper, self.guardian_user):
            with self.assertRaises(AccessError):
                self.seeker.with_user(user)._care_data()
        data = self.seeker.with_user(self.care_manager)._care_data()
        self.assertEqual(data["goals"][0]["name"], "Zebra crossing goal")

    def test_ecomap_for_care_users_only(self):
        for user in (self.internal_user, self.guardian_user):
            with self.assertRaises(AccessError):
                self.seeker.with_user(user).care_ecomap_data()
            with self.assertRaises(AccessError):
                self.seeker.with_user(user).action_open_care_ecomap()
        nodes = self.seeker.with_user(self.helper).care_ecomap_data()["nodes"]
        self.assertIn("Greg Guardian", [node["name"] for node in nodes])


@tagged("post_install", "-at_install")
class TestTrustErasure(ReferralCase):
    """Erasing with tracking on: no copy of the erased text is left anywhere the
    addon or the chatter put it."""

    MARKERS = (
        "Zebra crossing goal",
        "Yak shaving goal",
        "Quokka aunt",
        "Quetzal",
        "Walrus comment",
    )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Tracking on (CareCase turns it off): tracking lines are copies too.
        cls.env = cls.env(
            context={
                key: value
                for key, value in cls.env.context.items()
                if key != "tracking_disable"
            }
        )
        cls.manager = cls.care_manager
        cls.client = cls.seeker.with_env(cls.env)
        cls.relation = cls.client.care_relation_ids.filtered(
            lambda r: r.related_partner_id == cls.guardian_user.partner_id
        )

    def flush_tracking(self):
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.flush_all()

    def test_erasure_leaves_no_copy(self):
        first_attachment = self.env["ir.attachment"].search(
            [], order="id desc", limit=1
        )
        goal = self.env["care.goal"].create(
            {"name": "Zebra crossing goal", "seeker_id": self.client.id}
        )
        referral = self.make_referral(comment="Walrus comment")
        self.flush_tracking()
        goal.name = "Yak shaving goal"
        referral.goal_id = goal
        self.relation.write({"relationship_note": "Quokka aunt", "note": "Quetzal"})
        self.flush_tracking()
        Tracking = self.env["mail.tracking.value"].sudo()
        tracked = Tracking.search(
            [("mail_message_id.model", "in", ("care.goal", "care.relation"))]
        )
        self.assertIn("Zebra crossing goal", tracked.mapped("old_value_char"))
        self.assertIn("Quokka aunt", tracked.mapped("new_value_char"))
        self.assertIn(
            "Yak shaving goal",
            referral.message_ids.tracking_value_ids.mapped("new_value_char"),
        )
        referral.with_user(self.helper).set_state("sent")
        referral.with_user(self.helper).set_state("cancelled")
        wizard = (
            self.env["care.data.request"]
            .with_user(self.manager)
            .create({"client_id": self.client.id, "request": "export"})
        )
        wizard.action_confirm()
        self.flush_tracking()
        exports = self.env["care.data.export"].search(
            [("client_id", "=", self.client.id)]
        )
        self.assertTrue(exports)

        self.client.with_user(self.manager).action_erase_care_data()
        self.flush_tracking()

        for marker in self.MARKERS:
            self.assertFalse(
                Tracking.search(
                    [
                        "|",
                        "|",
                        ("old_value_char", "ilike", marker),
                        ("new_value_char", "ilike", marker),
                        "|",
                        ("old_value_text", "ilike", marker),
                        ("new_value_text", "ilike", marker),
                    ]
                ),
                marker,
            )
            self.assertFalse(
                self.env["mail.message"]
                .sudo()
                .search(
                    [
                        "|",
                        "|",
                        ("body", "ilike", marker),
                        ("record_name", "ilike", marker),
                        ("subject", "ilike", marker),
                    ]
                ),
                marker,
            )
            self.assertFalse(
                self.env["care.relation"]
                .sudo()
                .search(
                    [
                        "|",
                        ("relationship_note", "ilike", marker),
                        ("note", "ilike", marker),
                    ]
                ),
                marker,
            )
            self.assertFalse(
                self.env["care.goal"].sudo().search([("name", "ilike", marker)]),
                marker,
            )
            self.assertFalse(
                self.env["care.referral"].sudo().search([("comment", "ilike", marker)]),
                marker,
            )
            self.assertFalse(
                self.env["mail.mail"].sudo().search([("body_html", "ilike", marker)]),
                marker,
            )
            attachments = (
                self.env["ir.attachment"]
                .sudo()
                .search([("id", ">", first_attachment.id)])
            )
            self.assertFalse(
                [a for a in attachments if marker.encode() in (a.raw or b"")],
                marker,
            )
        self.assertFalse(exports.exists())
        self.assertEqual(goal.name, "[erased]")
