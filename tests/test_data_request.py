import json

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import company_b_care_user
from .common_referral import ReferralCase


@tagged("post_install", "-at_install")
class TestCareDataRequest(ReferralCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.guardian_relation = cls.seeker.care_relation_ids.filtered(
            lambda r: r.related_partner_id == cls.guardian_user.partner_id
        )
        cls.guardian_relation.note = "Calls on Sundays"
        cls.referral = cls.make_referral(comment="Needs groceries")
        cls.referral.with_user(cls.helper).set_state("sent")
        cls.referral.message_post(
            body="I can come on Monday",
            message_type="comment",
            author_id=cls.seeker.id,
        )
        cls.goal = cls.env["care.goal"].create(
            {"name": "Eat well", "seeker_id": cls.seeker.id}
        )
        cls.consent = cls.env["care.consent"].create(
            {
                "client_id": cls.seeker.id,
                "scope": "program",
                "program_id": cls.program.id,
                "given_by_id": cls.seeker.id,
                "note": "Signed at the desk",
            }
        )
        cls.env["care.access.log"].with_user(cls.guardian_user)._log_read(
            cls.seeker, "profile"
        )

    def request(self, kind, user=None, **values):
        wizard = (
            self.env["care.data.request"]
            .with_user(user or self.care_manager)
            .create({"client_id": self.seeker.id, "request": kind, **values})
        )
        return wizard.action_confirm()

    def company_b_manager(self, login):
        """A care manager who works for another company only."""
        manager = company_b_care_user(self.env, login)
        manager.groups_id |= self.env.ref("care_network.group_care_manager")
        return manager

    def client_with_a_company_a_goal(self, name):
        """A client without a company, holding company A's goal."""
        client = self.env["res.partner"].create({"name": name, "is_care_client": True})
        self.env["care.goal"].create(
            {
                "name": "A's goal",
                "seeker_id": client.id,
                "company_id": self.env.company.id,
            }
        )
        return client

    def close_referral(self):
        self.referral.with_user(self.helper).set_state("cancelled")

    def test_export_holds_the_client_care_data(self):
        action = self.request("export")
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "care.data.export")]
        )
        self.assertEqual(action["url"], f"/web/content/{attachment.id}?download=true")
        data = json.loads(attachment.raw)
        self.assertEqual(data["client"]["name"], "Sam Seeker")
        relation = next(
            r for r in data["relations"] if r["related_partner"] == "Greg Guardian"
        )
        self.assertEqual(relation["type"], "Legal Guardian")
        self.assertTrue(relation["grants"]["can_view_profile"])
        self.assertEqual(relation["note"], "Calls on Sundays")
        (referral,) = data["referrals"]
        self.assertEqual(referral["comment"], "Needs groceries")
        self.assertEqual(
            [(m["from"], m["to"]) for m in referral["history"]], [("draft", "sent")]
        )
        self.assertIn("I can come on Monday", [n["body"] for n in referral["notes"]])
        self.assertEqual([g["name"] for g in data["goals"]], ["Eat well"])
        self.assertEqual(
            data["consents"][0]["covers"], "Share with a program: Weekly Groceries"
        )
        self.assertEqual(data["access_log"][0]["who"], "Greg Guardian")
        self.assertIn("Care data exported by", self.seeker.message_ids[0].body)

    def test_only_managers(self):
        for user in (self.helper, self.guardian_user):
            with self.assertRaises(AccessError):
                self.request("export", user=user)
            with self.assertRaises(AccessError):
                self.seeker.with_user(user).action_erase_care_data()

    def test_pdf_report(self):
        report = self.env.ref("care_network.action_report_care_data")
        html = report._render_qweb_html(report.report_name, self.seeker.ids)[0]
        self.assertIn(b"Greg Guardian", html)
        self.assertIn(b"Weekly Groceries", html)
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, self.seeker.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_erase_refused_while_a_referral_is_open(self):
        with self.assertRaisesRegex(UserError, self.referral.name):
            self.request("erase", confirm=True)
        self.assertEqual(self.guardian_relation.note, "Calls on Sundays")
        self.assertFalse(self.seeker.care_erased_date)

    def test_erase_needs_confirmation(self):
        self.close_referral()
        with self.assertRaisesRegex(UserError, "I confirm"):
            self.request("erase")
        self.assertEqual(self.referral.comment, "Needs groceries")

    def test_erase_blanks_the_notes_the_status_lines_repeat(self):
        self.referral.with_user(self.helper).set_state(
            "cancelled", note="Seeker moved to 12 Hidden Street"
        )
        line = self.referral.message_ids.filtered(
            lambda m: "Hidden Street" in str(m.body)
        )
        self.assertEqual(line.message_type, "notification")
        self.request("erase", confirm=True)
        self.assertNotIn("Hidden Street", str(line.body))
        self.assertIn("Status:", str(line.body), "the move stays")
        self.assertFalse(
            self.env["mail.message"].search(
                [("model", "=", "care.referral"), ("body", "ilike", "Hidden Street")]
            )
        )

    def test_erase_blanks_replies_files_and_activities(self):
        reply = self.referral.message_post(
            body="I moved to 12 Hidden Street",
            subject="Re: my new address, 12 Hidden Street",
            message_type="email",
            subtype_xmlid="mail.mt_comment",
            author_id=self.seeker.id,
        )
        Attachment = self.env["ir.attachment"]
        notice = Attachment.create(
            {
                "name": "eviction_notice.txt",
                "raw": b"Eviction notice, 12 Hidden Street",
                "res_model": "care.referral",
                "res_id": self.referral.id,
            }
        )
        uploaded = Attachment.create(
            {
                "name": "lease.txt",
                "raw": b"Lease, 12 Hidden Street",
                "res_model": "care.referral",
                "res_id": self.referral.id,
            }
        )
        leaflet = Attachment.create(
            {
                "name": "program_leaflet.txt",
                "raw": b"The program's leaflet",
                "res_model": "care.program",
                "res_id": self.program.id,
            }
        )
        note = self.referral.message_post(
            body="Here is the notice, and the program's leaflet",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachment_ids=(notice | leaflet).ids,
        )
        done = self.referral.activity_schedule(
            "mail.mail_activity_data_todo",
            summary="Ask about the eviction at 12 Hidden Street",
            note="Owes three months",
            user_id=self.helper.id,
        )
        done.action_feedback(feedback="Sleeping at his sister's")
        still_open = self.referral.activity_schedule(
            "mail.mail_activity_data_todo",
            summary="Call the landlord of 12 Hidden Street",
            user_id=self.helper.id,
        )
        self.close_referral()
        self.request("erase", confirm=True)
        self.assertNotIn("Hidden Street", str(reply.body) + reply.subject)
        self.assertFalse((notice | uploaded).exists(), "the files on the referral")
        self.assertTrue(leaflet.exists(), "the program's file stays the program's")
        self.assertFalse(note.attachment_ids)
        self.assertNotIn("Hidden Street", still_open.summary)
        bodies = " ".join(
            str(m.body) + (m.subject or "")
            for m in self.env["mail.message"].search(
                [("model", "=", "care.referral"), ("res_id", "=", self.referral.id)]
            )
        )
        for private in ("Hidden Street", "three months", "sister"):
            self.assertNotIn(private, bodies)

    def test_erase_leaves_no_goal_name_on_its_activities(self):
        """An activity keeps its document's name (``res_name``), as a message
        does (``record_name``)."""
        self.goal.name = "Leave the shelter on Hidden Street"
        activity = self.goal.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.helper.id
        )
        self.assertIn("Hidden Street", activity.res_name)
        self.close_referral()
        self.request("erase", confirm=True)
        self.assertNotIn("Hidden Street", activity.res_name)
        messages = self.env["mail.message"].search(
            [("model", "=", "care.goal"), ("res_id", "=", self.goal.id)]
        )
        self.assertNotIn("Hidden Street", " ".join(messages.mapped("record_name")))

    def test_a_manager_of_another_company_erases_nothing(self):
        self.close_referral()
        self.seeker.company_id = self.env.company
        manager_b = self.company_b_manager("erasing_manager_b")
        with self.assertRaises(AccessError):
            self.seeker.with_user(manager_b).action_erase_care_data()

    def test_a_manager_of_another_company_gets_no_shared_clients_records(self):
        """A client without a company may hold company A's records (a goal and
        a referral here): company B's manager neither erases nor exports them,
        and the refusal names none of them."""
        self.close_referral()
        self.seeker.company_id = False
        self.goal.company_id = self.referral.company_id = self.env.company
        manager_b = self.company_b_manager("sharing_manager_b")
        seeker = self.seeker.with_user(manager_b)
        self.assertTrue(seeker.read(["name"]), "the client itself is shared")
        for request in (
            seeker.action_erase_care_data,
            seeker.action_export_care_data,
            seeker._care_data,
        ):
            with self.assertRaisesRegex(AccessError, "beyond your access") as refusal:
                request()
            self.assertNotIn("Eat well", str(refusal.exception))

    def test_a_manager_stores_no_export_in_another_company(self):
        """Company B's internal user is a contact any internal user reads: as a
        client holding no care record, company A's manager may read them all,
        but an export in company B is not theirs to make."""
        user_b = company_b_care_user(self.env, "colleague_b")
        colleague_b = user_b.partner_id
        colleague_b.write({"is_care_client": True, "company_id": user_b.company_id.id})
        with self.assertRaises(AccessError):
            colleague_b.with_user(self.care_manager).action_export_care_data()

    def test_a_manager_of_another_company_reads_no_export_of_a_shared_client(self):
        """Company A's manager exports a client without a company: the file
        holds company A's records, so company B's manager neither lists it
        nor downloads it."""
        self.seeker.company_id = False
        self.goal.company_id = self.referral.company_id = self.env.company
        self.request("export")
        export = self.env["care.data.export"].search(
            [("client_id", "=", self.seeker.id)]
        )
        self.assertEqual(len(export), 1)
        manager_b = self.company_b_manager("export_reader_b")
        Export = self.env["care.data.export"].with_user(manager_b)
        self.assertFalse(Export.search([("client_id", "=", self.seeker.id)]))
        with self.assertRaises(AccessError):
            export.attachment_id.with_user(manager_b).read(["raw"])
        self.assertTrue(
            self.env["care.data.export"]
            .with_user(self.care_manager)
            .search([("id", "=", export.id)]),
            "its author still lists it",
        )
        # A client given a company later: the export stays what it was.
        client = self.client_with_a_company_a_goal("Nia Moved")
        client.with_user(self.care_manager).action_export_care_data()
        client.company_id = manager_b.company_id
        self.assertFalse(
            Export.search([("client_id", "=", client.id)]),
            "the client's new company is not the export's",
        )

    def test_the_export_of_a_client_moved_between_companies_is_its_authors(self):
        """The client moved from no company to company B keeps company A's
        goal: its export is not company B's to read."""
        company_b = self.env["res.company"].create({"name": "Company B2"})
        client = self.client_with_a_company_a_goal("Max Moved")
        client.company_id = company_b
        self.care_manager.write({"company_ids": [(4, company_b.id)]})
        client.with_user(self.care_manager).with_context(
            allowed_company_ids=[self.env.company.id, company_b.id]
        ).action_export_care_data()
        export = self.env["care.data.export"].search([("client_id", "=", client.id)])
        self.assertFalse(export.company_id)
        manager_b = company_b_care_user(self.env, "moved_reader_b")
        manager_b.write(
            {
                "company_id": company_b.id,
                "company_ids": [(6, 0, company_b.ids)],
                "groups_id": [(4, self.env.ref("care_network.group_care_manager").id)],
            }
        )
        self.assertFalse(
            self.env["care.data.export"]
            .with_user(manager_b)
            .search([("client_id", "=", client.id)])
        )

    def test_the_request_wizard_names_no_referral_its_manager_may_not_read(self):
        """A client without a company, with company A's open referral: company
        B's manager may open the wizard on the client, not learn the referral,
        nor print the report (refused before it is logged on the client)."""
        self.seeker.company_id = False
        self.referral.company_id = self.env.company
        manager_b = self.company_b_manager("wizard_manager_b")
        wizard = (
            self.env["care.data.request"]
            .with_user(manager_b)
            .create({"client_id": self.seeker.id, "request": "erase"})
        )
        self.assertNotIn(self.referral.name, wizard.open_referral_names or "")
        with self.assertRaisesRegex(AccessError, "beyond your access"):
            wizard.action_print()

    def test_the_export_holds_no_access_log_row_its_manager_may_not_read(self):
        """A guardian's read was logged while the client was company A's; the
        client has since no company and no other care record."""
        client = self.env["res.partner"].create(
            {"name": "Lou Logged", "is_care_client": True}
        )
        client.company_id = self.env.company
        self.env["care.access.log"].with_user(self.guardian_user)._log_read(
            client, "profile"
        )
        client.company_id = False
        manager_b = self.company_b_manager("log_reader_b")
        self.assertTrue(client.with_user(manager_b).read(["name"]))
        with self.assertRaises(AccessError):
            client.with_user(manager_b)._care_data()

    def test_erasing_leaves_another_clients_files(self):
        """The seeker is in another client's circle: that relation is the other
        client's record; its text about the seeker goes, not its files."""
        other = self.env["res.partner"].create(
            {"name": "Olga Other", "is_care_client": True}
        )
        theirs = self.relate(other, self.seeker, self.type_emergency)
        order = self.env["ir.attachment"].create(
            {
                "name": "court_order.pdf",
                "raw": b"Olga's court order",
                "res_model": "care.relation",
                "res_id": theirs.id,
            }
        )
        self.close_referral()
        self.request("erase", confirm=True)
        self.assertTrue(order.exists(), "Olga's file stays hers")

    def test_erase_deletes_the_consents_files_not_those_they_link_to(self):
        Attachment = self.env["ir.attachment"]
        signed = Attachment.create(
            {
                "name": "signed_consent.pdf",
                "raw": b"Signed by Sam",
                "res_model": "care.consent",
                "res_id": self.consent.id,
            }
        )
        leaflet = Attachment.create(
            {
                "name": "program_leaflet.pdf",
                "raw": b"The program's leaflet",
                "res_model": "care.program",
                "res_id": self.program.id,
            }
        )
        self.consent.attachment_ids = signed | leaflet
        self.close_referral()
        self.request("erase", confirm=True)
        self.assertFalse(signed.exists())
        self.assertTrue(leaflet.exists(), "the program's file stays the program's")
        self.assertFalse(self.consent.attachment_ids)

    def test_erase_anonymises_and_keeps_counts(self):
        self.seeker.birthdate = "2001-02-03"
        self.referral.with_user(self.seeker_user).set_state(
            "completed", outcome="got_help"
        )
        counts = (
            len(self.seeker.care_relation_ids),
            len(self.seeker.care_referral_ids),
            len(self.referral.status_log_ids),
            len(self.seeker.care_consent_ids),
        )
        self.request("erase", confirm=True)
        self.assertEqual(
            counts,
            (
                len(self.seeker.care_relation_ids),
                len(self.seeker.care_referral_ids),
                len(self.referral.status_log_ids),
                len(self.seeker.care_consent_ids),
            ),
        )
        self.assertFalse(self.guardian_relation.note)
        self.assertFalse(self.referral.comment)
        self.assertFalse(self.consent.note)
        self.assertFalse(self.seeker.birthdate)
        self.assertEqual(self.goal.name, "[erased]")
        by_seeker = self.referral.status_log_ids.filtered(
            lambda log: log.state_to == "completed"
        )
        self.assertEqual(by_seeker.author_name, "[erased]")
        self.assertFalse(by_seeker.partner_id)
        notes = self.referral.message_ids.filtered(
            lambda m: m.message_type == "comment"
        )
        self.assertEqual(set(notes.mapped("body")), {"<p>[erased]</p>"})
        self.assertTrue(self.seeker.care_erased_date)
        self.assertIn("Care data erased by", self.seeker.message_ids[0].body)
