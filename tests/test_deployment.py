"""Beside Odoo's usual apps (the deployment suite of `make test` installs sale,
account, website, sms, hr, crm, project and mass_mailing first): Odoo's own flows
reach our records, and our pages live inside theirs."""

from odoo.tests import tagged

from .test_portal import PortalCase


@tagged("post_install", "-at_install", "care_deploy")
class TestBesideUsualApps(PortalCase):
    def test_sale_order_of_a_family_member_bills_the_family_contact(self):
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
        relation.reminder_lead_hours = 72
        self.env["care.reminder"]._cron_send_due_reminders()
        sms = self.env["sms.sms"].search(
            [("partner_id", "=", self.guardian_partner.id)]
        )
        self.assertEqual(len(sms), 1)
        self.assertIn("Dentist for Sam", sms.body)
