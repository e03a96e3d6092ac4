from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common_provider import ProviderCase

T0 = datetime(2030, 3, 4, 9, 0)


@tagged("post_install", "-at_install")
class TestReferralOutcomes(ProviderCase):
    """Reporting fields come from the status history."""

    def move_at(self, referral, moment, state, outcome=False):
        with freeze_time(moment):
            referral.with_context(care_provider_token=self.token(referral)).set_state(
                state, outcome=outcome
            )

    def sent_at(self, moment):
        with freeze_time(moment):
            return self.send_to_food_bank()

    def test_days_and_closed_loop_from_the_history(self):
        referral = self.sent_at(T0)
        self.assertEqual(referral.date_sent, T0)
        self.assertFalse(referral.closed_loop)
        self.assertEqual(referral.closed_loop_rate, 0.0)
        self.move_at(referral, T0 + timedelta(days=2, hours=12), "accepted")
        self.assertAlmostEqual(referral.days_to_accept, 2.5)
        self.assertFalse(referral.days_to_close)
        self.move_at(referral, T0 + timedelta(days=6), "completed", "got_help")
        self.assertAlmostEqual(referral.days_to_close, 6.0)
        self.assertTrue(referral.closed_loop)
        self.assertEqual(referral.closed_loop_rate, 100.0)
        self.assertEqual(referral.last_move_date, T0 + timedelta(days=6))

    def test_rejected_closes_the_loop_cancelled_does_not(self):
        rejected = self.sent_at(T0)
        self.move_at(rejected, T0 + timedelta(days=1), "rejected", "not_eligible")
        self.assertTrue(rejected.closed_loop)
        self.assertAlmostEqual(rejected.days_to_close, 1.0)
        self.assertFalse(rejected.days_to_accept)
        cancelled = self.sent_at(T0)
        with freeze_time(T0 + timedelta(days=1)):
            cancelled.with_user(self.helper).sudo(False).set_state("cancelled")
        self.assertFalse(cancelled.closed_loop)
        self.assertFalse(cancelled.days_to_close)

    def test_program_rate_and_medians_and_the_pivot_measures(self):
        durations = ((1, 3), (2, 5), (4, 11))
        for accept_days, close_days in durations:
            referral = self.sent_at(T0)
            self.move_at(referral, T0 + timedelta(days=accept_days), "accepted")
            self.move_at(
                referral, T0 + timedelta(days=close_days), "completed", "got_help"
            )
        self.sent_at(T0)  # still open: the loop is not closed
        self.assertAlmostEqual(self.food_bank.closed_loop_rate, 75.0)
        self.assertAlmostEqual(self.food_bank.median_days_to_accept, 2.0)
        self.assertAlmostEqual(self.food_bank.median_days_to_close, 5.0)
        [(program, closed_loop_rate, count)] = self.env["care.referral"]._read_group(
            [("program_id", "=", self.food_bank.id)],
            ["program_id"],
            ["closed_loop_rate:avg", "__count"],
        )
        self.assertEqual(program, self.food_bank)
        self.assertAlmostEqual(closed_loop_rate, 75.0)
        self.assertEqual(count, 4)

    def test_reports_are_for_managers_only(self):
        menu = self.env.ref("care_network.menu_referral_outcomes")
        Menu = self.env["ir.ui.menu"]
        self.assertIn(menu.id, Menu.with_user(self.care_manager)._visible_menu_ids())
        self.assertNotIn(menu.id, Menu.with_user(self.helper)._visible_menu_ids())
        # Portal guardians and seekers have no back office at all.
        for user in (self.guardian_user, self.seeker_user):
            with self.assertRaises(AccessError):
                Menu.with_user(user)._visible_menu_ids()
