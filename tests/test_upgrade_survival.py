"""What an administrator changes in the addon's mail templates and crons survives an
upgrade (#38): the data is noupdate, the next ``-u`` does not load it over their
changes, and the 18.0.1.6.0 migration marks the external ids of a database
installed before."""

from odoo import SUPERUSER_ID
from odoo.modules.migration import load_script
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools.convert import convert_file
from odoo.tools.misc import file_path

MODULE = "care_network"
DATA_FILES = (
    "data/mail_template_data.xml",
    "data/mail_template_intake_data.xml",
    "data/mail_template_form_data.xml",
    "data/care_cron_data.xml",
)
MIGRATION = f"{MODULE}/migrations/18.0.1.6.0/post-noupdate-templates-crons.py"
# Issue #39: one reminder for the client and the circle (care.reminder words it).
SHIPPED_REMINDER_SUBJECT = "{{ object._care_reminder_subject() }}"


@tagged("post_install", "-at_install")
class TestUpgradeSurvival(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env,
            login="upgrade_survival_admin",
            groups="base.group_user,base.group_system,mail.group_mail_template_editor",
        )
        cls.reminder = cls.env.ref(f"{MODULE}.mail_template_circle_reminder")
        cls.follow_up = cls.env.ref(f"{MODULE}.ir_cron_referral_follow_up")

    def addon_xmlids(self):
        """The external ids of the addon's templates, crons and the crons' server
        actions."""
        Data = self.env["ir.model.data"]
        rows = Data.search(
            [("module", "=", MODULE), ("model", "in", ("mail.template", "ir.cron"))]
        )
        crons = self.env["ir.cron"].browse(
            rows.filtered(lambda row: row.model == "ir.cron").mapped("res_id")
        )
        return rows | Data.search(
            [
                ("module", "=", MODULE),
                ("model", "=", "ir.actions.server"),
                ("res_id", "in", crons.ir_actions_server_id.ids),
            ]
        )

    def edit_as_admin(self):
        """What an agency's administrator changes in the back office."""
        self.reminder.with_user(self.admin).write(
            {
                "subject": "Our agency reminds you: {{ object.event_id.name }}",
                "body_html": "<p>Our own reminder wording.</p>",
            }
        )
        self.follow_up.with_user(self.admin).write(
            {"interval_number": 6, "interval_type": "hours"}
        )

    def load_data_as_upgrade(self):
        """Load the data files as ``-u care_network`` does."""
        for filename in DATA_FILES:
            convert_file(self.env, MODULE, filename, {}, mode="update", kind="data")
        self.env.invalidate_all()

    def assert_edits_kept(self):
        self.assertEqual(
            self.reminder.subject, "Our agency reminds you: {{ object.event_id.name }}"
        )
        self.assertIn("Our own reminder wording.", self.reminder.body_html)
        self.assertEqual(
            (self.follow_up.interval_number, self.follow_up.interval_type), (6, "hours")
        )

    def test_fresh_install_ships_noupdate_data(self):
        rows = self.addon_xmlids()
        self.assertEqual(
            set(rows.mapped("model")), {"mail.template", "ir.cron", "ir.actions.server"}
        )
        self.assertFalse(
            rows.filtered(lambda row: not row.noupdate).mapped("complete_name"),
            "every template and cron of the addon is noupdate",
        )
        # The shipped values, not an administrator's.
        self.assertEqual(self.reminder.subject, SHIPPED_REMINDER_SUBJECT)
        self.assertEqual(
            (self.follow_up.interval_number, self.follow_up.interval_type), (1, "hours")
        )

    def test_upgrade_keeps_what_the_administrator_changed(self):
        self.edit_as_admin()
        self.load_data_as_upgrade()
        self.assert_edits_kept()

    def test_migration_of_a_database_installed_before(self):
        """A database installed before 18.0.1.6.0: its external ids are updatable.
        The migration keeps the administrator's changes, brings a template no one
        changed to the shipped version, and marks all of them noupdate."""
        rows = self.addon_xmlids()
        rows.noupdate = False
        self.edit_as_admin()
        # A template as an older release's upgrade left it (written by the superuser).
        referral_sent = self.env.ref(f"{MODULE}.mail_template_referral_sent")
        referral_sent.write(
            {"body_html": "<p>Open the referral in the back office.</p>"}
        )
        self.assertEqual(referral_sent.write_uid.id, SUPERUSER_ID)
        # The -u that brings this release: the noupdate data files leave existing
        # records alone, whatever their external ids say.
        self.load_data_as_upgrade()
        self.assert_edits_kept()
        self.assertIn("Open the referral in the back office", referral_sent.body_html)
        self.env.flush_all()

        load_script(file_path(MIGRATION), "care_noupdate_migration").migrate(
            self.env.cr, "18.0.1.5.0"
        )
        self.env.invalidate_all()

        self.assert_edits_kept()
        self.assertIn("o_care_email_move", referral_sent.body_html)
        self.assertNotIn(
            "Open the referral in the back office", referral_sent.body_html
        )
        self.assertFalse(
            rows.filtered(lambda row: not row.noupdate).mapped("complete_name")
        )
        # And the next upgrade keeps the changes.
        self.load_data_as_upgrade()
        self.assert_edits_kept()
