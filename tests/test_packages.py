from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import format_datetime

from .common import CareCase, company_b_care_user


class PackageCase(CareCase):
    """A family with two members, and a package for it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.payer_person = cls.Partner.create(
            {"name": "Paul Payer", "email": "pp@x.com"}
        )
        cls.family = cls.make_family(
            members=cls.adult | cls.minor,
            payer=cls.payer_person,
            care_team_user_ids=[Command.set(cls.care_user.ids)],
        )
        cls.Package = cls.env["care.package"].with_user(cls.care_user)

    @classmethod
    def make_package(cls, **values):
        return cls.Package.create(
            {"name": "Family coaching", "holder_id": cls.family.id, **values}
        )

    def book(self, package, partners, days=3, **context):
        start = fields.Datetime.now() + timedelta(days=days)
        return (
            self.env["calendar.event"]
            .with_user(self.care_user)
            .with_context(no_mail_to_attendees=True, **context)
            .create(
                {
                    "name": "Session",
                    "care_package_id": package.id,
                    "start": start,
                    "stop": start + timedelta(hours=1),
                    "partner_ids": [Command.set(partners.ids)],
                }
            )
        )


@tagged("post_install", "-at_install")
class TestPackages(PackageCase):
    def test_defaults_follow_the_holder(self):
        package = self.make_package()
        self.assertEqual(package.participant_ids, self.adult | self.minor)
        self.assertEqual(package.user_ids, self.care_user)
        self.assertEqual(package.holder_kind, "family")
        self.assertEqual(package.state, "draft")
        self.assertTrue(package.reference.startswith("PKG/"))
        self.assertEqual(package.currency_id, self.env.company.currency_id)
        self.assertEqual(package.access_url, f"/my/packages/{package.id}")

    def test_a_subset_of_members_or_one_client(self):
        package = self.make_package(participant_ids=[Command.set(self.minor.ids)])
        self.assertEqual(package.participant_ids, self.minor)
        own = self.Package.create({"name": "Physio", "holder_id": self.adult.id})
        self.assertEqual(own.participant_ids, self.adult)
        self.assertEqual(own.holder_kind, "client")

    def test_outsiders_and_odd_holders_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "Gina Guardian cannot take part"):
            self.make_package(participant_ids=[Command.set(self.guardian.ids)])
        with self.assertRaisesRegex(ValidationError, "neither a family"):
            self.Package.create({"name": "X", "holder_id": self.employer.id})
        with self.assertRaisesRegex(ValidationError, "cannot end before it starts"):
            self.make_package(date_start="2030-02-01", date_end="2030-01-01")
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.make_package(session_count=-1)
        self.assertFalse(
            self.env["care.package"].search([("holder_id", "=", self.family.id)])
        )

    def test_status_moves(self):
        package = self.make_package().with_context(tracking_disable=False)

        def move(action):
            action()
            self.env.cr.precommit.run()  # Odoo writes tracking values at commit
            return package.state

        self.assertEqual(move(package.action_activate), "active")
        self.assertEqual(move(package.action_complete), "completed")
        with self.assertRaisesRegex(
            UserError, "is completed: it cannot become cancelled"
        ):
            package.action_cancel()
        self.assertEqual(move(package.action_activate), "active")
        self.assertEqual(move(package.action_cancel), "cancelled")
        self.assertEqual(move(package.action_reset_to_draft), "draft")
        tracked = package.sudo().message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "state"
        )
        self.assertEqual(tracked.sorted("id")[-1:].new_value_char, "Draft")

    def test_sessions_booked_attended_remaining(self):
        package = self.make_package(session_count=3)
        with self.assertRaisesRegex(UserError, "Activate"):
            package.action_book_session()
        package.action_activate()
        action = package.action_book_session()
        self.assertEqual(
            action["context"]["default_partner_ids"], package.participant_ids.ids
        )
        self.assertEqual(action["context"]["default_care_package_id"], package.id)
        self.book(package, self.adult | self.minor)
        self.book(package, self.minor, days=-2)
        self.assertEqual(
            (
                package.sessions_booked,
                package.sessions_attended,
                package.sessions_remaining,
            ),
            (2, 1, 1),
        )

    def test_going_past_the_sessions_included_asks_and_says_so(self):
        package = self.make_package(session_count=1)
        package.action_activate()
        self.book(package, self.adult)
        with self.assertRaisesRegex(UserError, "are all booked"):
            self.book(package, self.minor)
        self.assertEqual(package.sessions_booked, 1, "nothing half-saved")
        extra = self.book(package, self.minor, care_extra_session=True)
        self.assertEqual(package.sessions_booked, 2)
        note = package.message_ids[:1].body
        self.assertIn(format_datetime(package.env, extra.start), note)
        self.assertIn("beyond the 1 included", note)

    def test_a_private_session_counts_and_stays_private_in_the_package(self):
        """Staff outside a private session still count it against the package
        (calendar masks what is not public), and a private extra session's
        title is not copied into the notes every care user of it reads."""
        package = self.make_package(session_count=1)
        package.action_activate()
        start = fields.Datetime.now() + timedelta(days=4)
        Event = self.env["calendar.event"].with_context(no_mail_to_attendees=True)
        Event.create(
            {
                "name": "Custody hearing prep",
                "privacy": "private",
                "user_id": self.care_manager.id,
                "care_package_id": package.id,
                "start": start,
                "stop": start + timedelta(hours=1),
                "partner_ids": [Command.set(self.adult.ids)],
            }
        )
        self.env.invalidate_all()
        self.assertEqual(package.sessions_booked, 1, "as the care user, outside it")
        with self.assertRaisesRegex(UserError, "are all booked"):
            self.book(package, self.minor)
        Event.with_user(self.care_user).with_context(care_extra_session=True).create(
            {
                "name": "Second custody hearing",
                "privacy": "private",
                "care_package_id": package.id,
                "start": start + timedelta(days=1),
                "stop": start + timedelta(days=1, hours=1),
                "partner_ids": [Command.set(self.minor.ids)],
            }
        )
        notes = package.sudo().message_ids.mapped("body")
        self.assertTrue(any("beyond the 1 included" in body for body in notes))
        self.assertFalse(any("custody" in body.lower() for body in notes))

    def test_counts_on_the_organisation_and_each_participant(self):
        self.make_package()
        self.Package.create({"name": "Physio", "holder_id": self.adult.id})
        self.family.invalidate_recordset()
        self.assertEqual(self.family.care_package_count, 1)
        self.assertEqual(self.adult.care_package_count, 2, "own and the family's")
        self.assertEqual(self.minor.care_package_count, 1)
        domain = self.adult.action_view_care_packages()["domain"]
        self.assertEqual(len(self.env["care.package"].search(domain)), 2)

    def test_the_organisation_gathers_its_packages_sessions_and_notes(self):
        package = self.make_package(session_count=2)
        package.action_activate()
        session = self.book(package, self.adult)
        package.message_post(body="Well done", message_type="comment")
        self.family.invalidate_recordset()
        self.assertEqual(self.family.care_package_event_ids, session)
        self.assertIn("Well done", self.family.care_package_message_ids[:1].body)
        self.assertFalse(self.adult.care_package_event_ids, "a person gathers none")

    def test_a_company_b_user_sees_no_company_a_package(self):
        package = self.make_package()
        user_b = company_b_care_user(self.env, "care_user_b")
        self.assertFalse(
            self.env["care.package"].with_user(user_b).search([("id", "=", package.id)])
        )

    def test_shared_notes_are_messages_not_log_notes(self):
        package = self.make_package()
        package.message_post(
            body="See you Tuesday",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        package.message_post(
            body="Internal remark", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        self.assertEqual(
            package._care_shared_notes().mapped("body"), ["<p>See you Tuesday</p>"]
        )

    def test_invoicing_shows_only_with_the_invoicing_app(self):
        package = self.make_package(price=100)
        package.action_activate()
        # A care user is no invoicing user: Invoicing (when installed) shows
        # nothing of it to them either.
        self.assertFalse(package.invoicing_available)
        if "account.move" not in self.env:
            self.assertEqual(package.invoice_status, "none")
            with self.assertRaisesRegex(UserError, "Install the Invoicing app"):
                package.action_create_invoice()


@tagged("post_install", "-at_install")
class TestBillingOrder(PackageCase):
    """address_get(['invoice']) resolves in one documented order."""

    def invoice_address(self, partner):
        return self.Partner.browse(partner.address_get(["invoice"])["invoice"])

    def test_the_organisation_bills_its_billing_contact(self):
        self.assertEqual(self.invoice_address(self.family), self.payer_person)

    def test_a_member_bills_the_primary_organisations_billing_contact(self):
        self.assertEqual(self.invoice_address(self.adult), self.payer_person)

    def test_own_billing_contact_comes_before_the_organisation(self):
        own = self.Partner.create({"name": "Olga Own"})
        self.relate(self.adult, own, self.type_billing)
        self.assertEqual(self.invoice_address(self.adult), own)

    def test_payer_of_record_comes_first(self):
        own = self.Partner.create({"name": "Olga Own"})
        self.relate(self.adult, own, self.type_billing)
        insurer = self.Partner.create({"name": "Shield Insurance", "is_company": True})
        payer_type = self.env.ref("care_network.relation_type_payer")
        relation = self.relate(self.adult, insurer, payer_type)
        self.assertEqual(self.invoice_address(self.adult), own, "not marked yet")
        relation.is_payer_of_record = True
        self.assertEqual(self.invoice_address(self.adult), insurer)

    def test_nothing_set_bills_the_partner_itself(self):
        self.assertEqual(self.invoice_address(self.guardian), self.guardian)

    def test_only_one_current_payer_relation_is_the_payer_of_record(self):
        payer_type = self.env.ref("care_network.relation_type_payer")
        insurer = self.Partner.create({"name": "Shield", "is_company": True})
        other = self.Partner.create({"name": "Aegis", "is_company": True})
        self.relate(self.adult, insurer, payer_type, is_payer_of_record=True)
        with self.assertRaisesRegex(ValidationError, "already has a payer of record"):
            self.relate(self.adult, other, payer_type, is_payer_of_record=True)
        with self.assertRaisesRegex(ValidationError, "Only a Payer relation"):
            self.relate(
                self.adult, self.guardian, self.type_emergency, is_payer_of_record=True
            )
