from unittest.mock import PropertyMock, patch

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.sql_db import Cursor
from odoo.tests import HttpCase, tagged

from .common_referral import ReferralCase
from .test_fhir import FhirCase
from .test_portal import PortalCase

# The groups that let a staff user read every partner field beside the usual
# apps (the deployment suite): account's invoices and journal items, sale's and
# crm's orders and opportunities, website's visitors (readable by salesmen
# through website_crm, by designers without it).
APP_USER_GROUPS = (
    "account.group_account_readonly",
    "sales_team.group_sale_salesman",
    "website.group_website_designer",
)


def log_rows(env, **where):
    return (
        env["care.access.log"]
        .sudo()
        .search([(field, "=", value) for field, value in where.items()])
    )


@tagged("post_install", "-at_install")
class TestPortalReadsAreLogged(PortalCase):
    # Portal pages run on a read-only cursor; in tests the rows written after it
    # (see TestLogOnReadOnlyCursor) would be dropped with the test cursor, so
    # these requests run on a read/write one.
    readonly_enabled = False

    def test_one_row_per_kind_shown_per_visit(self):
        response = self.get(f"/my/care/{self.seeker.id}", "guardian_portal")
        self.assertEqual(response.status_code, 200)
        rows = log_rows(self.env, client_id=self.seeker.id)
        self.assertEqual(
            sorted(rows.mapped("what")), ["appointments", "goal", "profile", "referral"]
        )
        self.assertEqual(rows.user_id, self.guardian_user)
        self.assertEqual(rows.relation_id, self.guardian_relation())
        self.assertEqual(set(rows.mapped("relation_label")), {"Legal Guardian"})
        # The same page again within the window: nothing new.
        self.get(f"/my/care/{self.seeker.id}", "guardian_portal")
        self.assertEqual(log_rows(self.env, client_id=self.seeker.id), rows)

    def test_window_of_zero_logs_every_visit(self):
        self.env["ir.config_parameter"].set_param(
            "care_network.access_log_window_minutes", 0
        )
        self.get(f"/my/care/{self.seeker.id}", "guardian_portal")
        self.get(f"/my/care/{self.seeker.id}", "guardian_portal")
        profile = log_rows(self.env, client_id=self.seeker.id, what="profile")
        self.assertEqual(len(profile), 2)

    def test_only_granted_kinds_are_logged(self):
        self.guardian_relation().write(
            {"can_view_appointments": False, "can_view_referrals": False}
        )
        self.get(f"/my/care/{self.seeker.id}", "guardian_portal")
        rows = log_rows(self.env, client_id=self.seeker.id)
        self.assertEqual(rows.mapped("what"), ["profile"])

    def test_referral_page_logged_for_guardian_not_for_seeker(self):
        url = f"/my/referrals/{self.referral.id}"
        self.assertEqual(self.get(url, "seeker").status_code, 200)
        self.assertFalse(log_rows(self.env, client_id=self.seeker.id))
        token = self.referral.access_token
        self.get(f"{url}?access_token={token}")
        self.assertFalse(log_rows(self.env, client_id=self.seeker.id))
        self.assertEqual(self.get(url, "guardian_portal").status_code, 200)
        row = log_rows(self.env, client_id=self.seeker.id)
        self.assertEqual(
            (row.what, row.res_model, row.res_id),
            ("referral", "care.referral", self.referral.id),
        )

    def test_refused_page_logs_nothing(self):
        self.assertEqual(
            self.get(f"/my/care/{self.adult.id}", "guardian_portal").status_code, 403
        )
        self.assertFalse(log_rows(self.env, client_id=self.adult.id))

    def test_rows_survive_the_relation(self):
        self.get(f"/my/care/{self.seeker.id}", "guardian_portal")
        self.guardian_relation().unlink()
        rows = log_rows(self.env, client_id=self.seeker.id)
        self.assertEqual(len(rows), 4)
        self.assertFalse(rows.relation_id)
        self.assertEqual(set(rows.mapped("relation_label")), {"Legal Guardian"})
        self.assertEqual(set(rows.mapped("viewer_name")), {"Greg Guardian"})


@tagged("post_install", "-at_install")
class TestWhoViewedPage(PortalCase):
    readonly_enabled = False

    def test_minor_guardian_sees_who_viewed_the_ward(self):
        mia_relation = self.minor.care_relation_ids.filtered(
            lambda r: r.related_partner_id == self.dora
        )
        self.env["care.access.log"].with_user(self.two_wards_user)._log_read(
            self.minor, "profile", self.minor, mia_relation
        )
        response = self.get(f"/my/care/{self.minor.id}/viewers", "two_wards")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Dora Double", response.text)
        self.assertIn("o_care_portal_viewer", response.text)

    def test_client_sees_own_viewers(self):
        self.get(f"/my/care/{self.seeker.id}", "guardian_portal")
        response = self.get(f"/my/care/{self.seeker.id}/viewers", "seeker")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Greg Guardian", response.text)

    def test_others_are_refused(self):
        # An adult client's guardian does not speak for them.
        for login, client, status in (
            ("guardian_portal", self.seeker, 403),
            ("two_wards", self.adult, 403),
            ("stranger_portal", self.minor, 403),
            ("seeker", self.adult, 403),
        ):
            url = f"/my/care/{client.id}/viewers"
            self.assertEqual(self.get(url, login).status_code, status, (login, url))
        self.assertEqual(
            self.get("/my/care/999999999/viewers", "seeker").status_code, 404
        )


@tagged("post_install", "-at_install")
class TestFhirReadsAreLogged(FhirCase):
    readonly_enabled = False

    def test_patient_read_and_search_log_one_row_per_client(self):
        self.fhir("GET", f"/Patient/{self.seeker.id}", "guardian")
        row = log_rows(self.env, client_id=self.seeker.id)
        self.assertEqual((row.what, row.user_id), ("fhir", self.guardian_user))
        self.fhir("GET", f"/ServiceRequest?patient=Patient/{self.seeker.id}", "helper")
        rows = log_rows(self.env, user_id=self.helper.id)
        self.assertEqual(rows.mapped("res_id"), [self.referral.id])
        self.assertEqual(rows.res_model, "care.referral")


@tagged("post_install", "-at_install")
class TestLogRules(ReferralCase):
    def make_row(self, client=None):
        self.env["care.access.log"].with_user(self.guardian_user)._log_read(
            client or self.seeker, "profile"
        )
        return log_rows(self.env, client_id=(client or self.seeker).id)

    def test_append_only_for_everyone(self):
        row = self.make_row()
        for env in (self.env, self.env(user=self.care_manager)):
            with self.assertRaisesRegex(UserError, "cannot be changed"):
                env["care.access.log"].browse(row.id).write({"what": "goal"})
            with self.assertRaisesRegex(UserError, "cannot be deleted"):
                env["care.access.log"].browse(row.id).unlink()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            row.with_context(care_access_log_purge=True).unlink()
        self.assertTrue(row.exists())

    def test_managers_read_care_users_do_not(self):
        row = self.make_row()
        self.assertEqual(
            self.env["care.access.log"]
            .with_user(self.care_manager)
            .search([("client_id", "=", self.seeker.id)]),
            row,
        )
        with self.assertRaises(AccessError):
            self.env["care.access.log"].with_user(self.helper).search([])
        with self.assertRaises(AccessError):
            self.env["care.access.log"].with_user(self.care_manager).create(
                {"client_id": self.seeker.id, "what": "profile"}
            )

    def test_retention_purge(self):
        old, recent = self.make_row(self.seeker), self.make_row(self.adult)
        seven_years_ago = fields.Datetime.now() - relativedelta(years=7)
        # Test set-up only: rows cannot be back-dated through the ORM.
        self.env.cr.execute(
            "UPDATE care_access_log SET create_date = %s WHERE id = %s",
            [seven_years_ago, old.id],
        )
        self.env.invalidate_all()
        self.env.ref("care_network.ir_cron_access_log_purge").method_direct_trigger()
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())
        self.env["ir.config_parameter"].set_param(
            "care_network.access_log_retention_years", 10
        )
        self.assertEqual(self.env["care.access.log"]._cron_purge(), 0)

    def test_staff_reads_logged_only_when_set(self):
        spec = {"name": {}}
        as_helper = self.env["res.partner"].with_user(self.helper)
        as_helper.browse(self.seeker.id).web_read(spec)
        self.assertFalse(log_rows(self.env, client_id=self.seeker.id))
        self.env["ir.config_parameter"].set_param(
            "care_network.log_staff_reads", "True"
        )
        as_helper.browse(self.seeker.id).web_read(spec)
        as_helper.browse(self.provider.id).web_read(spec)  # not a client
        row = log_rows(self.env, user_id=self.helper.id)
        self.assertEqual((row.client_id, row.what), (self.seeker, "profile"))
        self.assertFalse(row.relation_id)

    def test_a_client_named_on_another_record_is_no_read_of_theirs(self):
        self.env["ir.config_parameter"].set_param(
            "care_network.log_staff_reads", "True"
        )
        event = self.env["calendar.event"].create(
            {
                "name": "Intake",
                "start": "2026-12-01 10:00:00",
                "stop": "2026-12-01 11:00:00",
                "partner_ids": [Command.set(self.seeker.ids)],
            }
        )
        # As the web client reads an event's attendees (tags) and a referral's
        # seeker (a many2one): the client's name only.
        event.with_user(self.helper).web_read(
            {"partner_ids": {"fields": {"display_name": {}}}}
        )
        self.env["res.partner"].with_user(self.helper).browse(self.seeker.id).read(
            ["display_name"]
        )
        self.assertFalse(log_rows(self.env, client_id=self.seeker.id))
        # Over RPC, one client read with their fields is a read of their record.
        self.env["res.partner"].with_user(self.helper).browse(self.seeker.id).read(
            ["name", "email"]
        )
        row = log_rows(self.env, client_id=self.seeker.id)
        self.assertEqual((row.user_id, row.what), (self.helper, "profile"))

    def test_every_field_or_more_than_a_name_is_a_read_of_the_record(self):
        self.env["ir.config_parameter"].set_param(
            "care_network.log_staff_reads", "True"
        )
        # Beside other apps, their own partner computes (account's days sales
        # outstanding, crm's opportunities...) need their users' rights to read
        # every field: the care user is also a user of those apps, if installed.
        self.helper.groups_id = [
            Command.link(group.id)
            for xmlid in APP_USER_GROUPS
            if (group := self.env.ref(xmlid, raise_if_not_found=False))
        ]
        self.assertFalse(self.helper.has_group("base.group_system"))
        Partner = self.env["res.partner"].with_user(self.helper)
        address = {"show_address": True, "show_email": True}
        attempts = {
            "read([]), every field": lambda client: client.read([]),
            "read(), every field": lambda client: client.read(),
            "a name with the address": lambda client: client.with_context(
                **address
            ).read(["display_name"]),
            "web_read of a name with the address": lambda client: client.with_context(
                **address
            ).web_read({"display_name": {}}),
            "search_read with fields": lambda client: Partner.search_read(
                [("id", "=", client.id)], ["email"]
            ),
            "search_read of every field": lambda client: Partner.search_read(
                [("id", "=", client.id)]
            ),
            "search_read of the name": lambda client: Partner.search_read(
                [("id", "=", client.id)], ["display_name"]
            ),
        }
        for attempt, read in attempts.items():
            with self.subTest(attempt):
                client = self.Partner.create(
                    {
                        "name": f"Client of {attempt}",
                        "is_care_client": True,
                        "street": "1 Secret Street",
                        "email": "secret@example.com",
                    }
                )
                read(Partner.browse(client.id))
                self.assertEqual(
                    bool(log_rows(self.env, client_id=client.id)),
                    attempt != "search_read of the name",
                )


@tagged("post_install", "-at_install")
class TestLogOnReadOnlyCursor(HttpCase, ReferralCase):
    """An HttpCase for its test-mode registry: the row's own transaction is then
    a test cursor on the test's transaction."""

    def test_row_written_after_the_read_only_transaction(self):
        Log = self.env["care.access.log"].with_user(self.guardian_user)
        with patch.object(Cursor, "readonly", new_callable=PropertyMock) as readonly:
            readonly.return_value = True
            Log._log_read(self.seeker, "profile")
        self.assertFalse(log_rows(self.env, client_id=self.seeker.id))
        self.env.cr.postcommit.run()  # what the commit of that transaction runs
        row = log_rows(self.env, client_id=self.seeker.id)
        self.assertEqual((row.user_id, row.what), (self.guardian_user, "profile"))
