from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CareCase


@tagged("post_install", "-at_install")
class TestClientOrganisations(CareCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.payer_mom = cls.Partner.create(
            {"name": "Beth Billing", "email": "beth@example.com"}
        )
        cls.family = cls.Partner.create(
            {
                "name": "Smith Family",
                "is_company": True,
                "care_group_kind": "family",
                "care_billing_contact_id": cls.payer_mom.id,
                "care_primary_contact_id": cls.payer_mom.id,
            }
        )
        cls.company_account = cls.Partner.create(
            {
                "name": "Globex Staffing",
                "is_company": True,
                "care_group_kind": "organization",
                "care_billing_contact_id": cls.other_parent.id,
            }
        )
        cls.member = cls.Partner.create({"name": "Sid Smith", "is_care_client": True})
        cls.member_two = cls.Partner.create(
            {"name": "Sue Smith", "is_care_client": True}
        )
        for member in (cls.member, cls.member_two):
            cls.relate(member, cls.family, cls.type_member)

    def test_members_and_first_membership_is_primary(self):
        self.assertEqual(self.family.care_member_ids, self.member | self.member_two)
        self.assertEqual(self.family.care_member_count, 2)
        self.assertTrue(self.member.care_relation_ids.filtered("is_primary"))
        circle = self.member.care_relation_ids.with_context(
            care_viewpoint_id=self.member.id
        )
        self.assertEqual(circle.other_partner_id, self.family)
        self.assertEqual(circle.side_label, "Member of")
        from_family = self.family.care_membership_ids.with_context(
            care_viewpoint_id=self.family.id
        )
        self.assertEqual(set(from_family.mapped("side_label")), {"Member"})

    def test_invoice_address_own_billing_contact_first(self):
        self.relate(self.member, self.guardian, self.type_billing)
        self.assertEqual(
            self.member.address_get(["invoice"])["invoice"], self.guardian.id
        )

    def test_invoice_address_primary_organisation_billing_contact(self):
        self.assertEqual(
            self.member.address_get(["invoice"])["invoice"], self.payer_mom.id
        )

    def test_invoice_address_falls_back_to_odoo(self):
        self.assertEqual(self.adult.address_get(["invoice"])["invoice"], self.adult.id)
        self.assertEqual(
            self.adult.address_get(["invoice", "delivery"]),
            {
                "contact": self.adult.id,
                "invoice": self.adult.id,
                "delivery": self.adult.id,
            },
        )

    def test_member_of_two_organisations_billed_through_primary_only(self):
        second = self.relate(self.member, self.company_account, self.type_member)
        self.assertFalse(second.is_primary)
        self.assertEqual(
            self.member.address_get(["invoice"])["invoice"], self.payer_mom.id
        )
        with self.assertRaisesRegex(
            ValidationError, "already has a primary organisation"
        ):
            second.is_primary = True
        self.member.care_relation_ids.filtered("is_primary").is_primary = False
        second.is_primary = True
        self.assertEqual(
            self.member.address_get(["invoice"])["invoice"], self.other_parent.id
        )

    def test_contacts_must_be_persons(self):
        with self.assertRaisesRegex(ValidationError, "must be persons"):
            self.family.care_billing_contact_id = self.employer

    def test_organisation_cannot_be_member_of_itself(self):
        with self.assertRaisesRegex(ValidationError, "cannot be related to themself"):
            self.relate(self.family, self.family, self.type_member)

    def test_primary_only_on_membership(self):
        with self.assertRaisesRegex(ValidationError, "Only a membership relation"):
            self.relate(self.adult, self.guardian, self.type_emergency, is_primary=True)

    def test_organisation_gathers_member_activity(self):
        self.member.message_post(
            body="Sid missed his bus today", message_type="comment"
        )
        event = self.env["calendar.event"].create(
            {
                "name": "Physiotherapy",
                "start": fields.Datetime.now() + timedelta(days=2),
                "stop": fields.Datetime.now() + timedelta(days=2, hours=1),
                "partner_ids": [Command.set(self.member_two.ids)],
            }
        )
        self.member.activity_schedule(
            "mail.mail_activity_data_todo",
            summary="Call about transport",
            user_id=self.care_user.id,
        )
        self.family.invalidate_recordset()
        bodies = " ".join(self.family.care_member_message_ids.mapped("body"))
        self.assertIn("Sid missed his bus today", bodies)
        self.assertIn(event, self.family.care_member_event_ids)
        self.assertIn(
            "Call about transport",
            self.family.care_member_activity_ids.mapped("summary"),
        )
        action = self.family.action_view_care_member_events()
        self.assertIn(event, self.env["calendar.event"].search(action["domain"]))

    def test_organisations_read_together_keep_their_own_member_activity(self):
        outsider = self.Partner.create(
            {"name": "Olga Outsider", "is_care_client": True}
        )
        self.relate(outsider, self.company_account, self.type_member)
        self.member.message_post(body="Smith family news", message_type="comment")
        outsider.message_post(body="Globex staffing news", message_type="comment")
        for partner, summary in (
            (self.member, "Smith call"),
            (outsider, "Globex call"),
        ):
            partner.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=summary,
                user_id=self.care_user.id,
            )
        groups = self.family | self.company_account
        self.env.invalidate_all()
        for group, own, other in (
            (self.family, "Smith", "Globex"),
            (self.company_account, "Globex", "Smith"),
        ):
            bodies = " ".join(group.care_member_message_ids.mapped("body"))
            summaries = " ".join(group.care_member_activity_ids.mapped("summary"))
            self.assertIn(own, bodies)
            self.assertNotIn(other, bodies)
            self.assertIn(own, summaries)
            self.assertNotIn(other, summaries)

        def queries_to_compute(records):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            records.mapped("care_member_activity_ids")
            return self.env.cr.sql_log_count - before

        queries_to_compute(groups)
        self.assertEqual(
            queries_to_compute(groups),
            queries_to_compute(self.family),
            "not per record",
        )

    def test_staff_follow_the_organisation(self):
        self.family.care_team_user_ids = [Command.set(self.care_user.ids)]
        self.assertIn(self.care_user.partner_id, self.family.message_partner_ids)


@tagged("post_install", "-at_install")
class TestOrganisationForm(CareCase):
    def test_members_live_on_the_organisation_form_only(self):
        family = self.Partner.create(
            {"name": "Form Family", "is_company": True, "care_group_kind": "family"}
        )
        Partner = self.Partner.with_user(self.care_user)
        generic = Partner.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn("care_membership_ids", generic, "a person's form reads none")
        self.assertIn("action_open_care_group", generic)
        action = family.with_user(self.care_user).action_open_care_group()
        self.assertEqual(action["res_id"], family.id)
        [(view_id, _mode)] = action["views"]
        arch = Partner.get_views([(view_id, "form")])["views"]["form"]["arch"]
        for name in (
            "care_membership_ids",
            "care_billing_contact_id",
            "care_member_event_ids",
        ):
            self.assertIn(name, arch)
        self.assertIn("care_circle_ids", arch, "the circle tab is there too")
        self.assertNotIn('name="action_open_care_group"', arch)
        menu_action = self.env.ref("care_network.action_care_client_organisations")
        self.assertIn(view_id, menu_action.view_ids.view_id.ids)
