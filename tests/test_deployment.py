"""Beside Odoo's usual apps (the deployment suite of `make test` installs sale,
account, website, sms, hr, crm, project and mass_mailing first): Odoo's own flows
reach our records, and our pages live inside theirs.

Not a standard test: a plain ``odoo-bin --test-enable -i care_network`` (OCA's CI, a
database with only the dependencies) leaves it out; ``--test-tags care_deploy``
asks for it, as the deployment suite does."""

from odoo.tests import tagged

from .test_portal import PortalCase


@tagged("-standard", "care_deploy", "post_install", "-at_install")
class TestBesideUsualApps(PortalCase):
    def test_sale_order_of_a_family_member_bills_the_family_contact(self):
        payer = self.Partner.create({"name": "Paula Payer", "email": "paula@x.com"})
        self.make_family(members=self.adult, payer=payer)
        order = self.env["sale.order"].create({"partner_id": self.adult.id})
        self.assertEqual(order.partner_invoice_id, payer)
        self.assertEqual(order.partner_shipping_id, self.adult)

    def test_portal_pages_render_inside_the_website(self):
        for url in ("/my/care", f"/my/care/{self.seeker.id}", "/my/referrals"):
            response = self.get(url, login="guardian_portal")
            self.assertEqual(response.status_code, 200, url)
            self.assertIn("data-website-id", response.text, url)
            self.assertIn("Sam Seeker", response.text, url)

    def test_reminder_sms_is_queued_through_the_sms_app(self):
        relation = self.guardian_relation()
        self.guardian_partner.mobile = "+32 470 12 34 56"
        relation.write(
            {"reminder_opt_in": True, "reminder_email": False, "reminder_sms": True}
        )
        relation.reminder_sms_lead_hours = 72
        self.env["care.reminder"]._cron_send_due_reminders()
        sms = self.env["sms.sms"].search(
            [("partner_id", "=", self.guardian_partner.id)]
        )
        self.assertEqual(len(sms), 1)
        self.assertIn("Dentist for Sam", sms.body)

    def test_a_package_is_invoiced_to_the_billing_contact_and_paid(self):
        payer = self.Partner.create({"name": "Paula Payer", "email": "paula@x.com"})
        family = self.Partner.create(
            {
                "name": "Okafor Family",
                "is_company": True,
                "care_group_kind": "family",
                "care_billing_contact_id": payer.id,
            }
        )
        self.relate(self.adult, family, self.type_member, is_primary=True)
        package = self.env["care.package"].create(
            {"name": "Family coaching", "holder_id": family.id, "price": 480}
        )
        package.action_activate()
        self.assertTrue(package.invoicing_available)
        action = package.action_create_invoice()
        invoice = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(invoice.partner_id, payer)
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.amount_untaxed, 480)
        self.assertEqual(invoice.invoice_origin, package.reference)
        package.invalidate_recordset()
        self.assertEqual((package.invoice_count, package.invoice_status), (1, "none"))
        invoice.action_post()
        package.invalidate_recordset()
        self.assertEqual(package.invoice_status, "invoiced")
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        package.invalidate_recordset()
        self.assertEqual(package.invoice_status, "paid")
