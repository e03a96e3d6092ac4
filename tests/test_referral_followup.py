from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common_provider import ProviderCase

T0 = datetime(2030, 3, 4, 9, 0)


@tagged("post_install", "-at_install")
class TestReferralFollowUp(ProviderCase):
    """The follow-up cron: one activity and one re-send per stall, never twice."""

    def run_cron_at(self, moment):
        with freeze_time(moment):
            self.env["care.referral"]._cron_follow_up_stalled()
        self.env.invalidate_all()

    def follow_ups(self, referral):
        return referral.activity_ids.filtered(
            lambda a: a.summary == "Follow up with Food Bank"
        )

    def sent_at(self, moment, **values):
        with freeze_time(moment):
            return self.send_to_food_bank(**values)

    def test_sent_referral_past_the_expected_response(self):
        referral = self.sent_at(T0)
        self.assertEqual(len(self.intake_mails(referral)), 1)
        self.run_cron_at(T0 + timedelta(days=2))
        self.assertFalse(self.follow_ups(referral), "within the 3 days expected")
        self.assertFalse(referral.needs_attention)

        self.run_cron_at(T0 + timedelta(days=3, hours=1))
        activity = self.follow_ups(referral)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.helper)
        self.assertTrue(referral.needs_attention)
        self.assertEqual(len(self.intake_mails(referral)), 2, "link re-sent once")
        reminder = self.intake_mails(referral)[0]
        self.assertIn("We have not heard back", reminder.body_html)

        for days in (4, 5, 9):
            self.run_cron_at(T0 + timedelta(days=days))
        self.assertEqual(len(self.follow_ups(referral)), 1, "never twice")
        self.assertEqual(len(self.intake_mails(referral)), 2)
        self.assertEqual(
            self.env["care.referral"].search(
                [("needs_attention", "=", True), ("program_id", "=", self.food_bank.id)]
            ),
            referral,
        )

    def test_accepted_referral_without_a_move_for_the_stall_delay(self):
        referral = self.sent_at(T0)
        with freeze_time(T0 + timedelta(days=1)):
            referral.with_context(care_provider_token=self.token(referral)).set_state(
                "accepted"
            )
        self.run_cron_at(T0 + timedelta(days=14))
        self.assertFalse(self.follow_ups(referral), "13 days without a move")
        self.run_cron_at(T0 + timedelta(days=15, hours=1))
        self.assertEqual(len(self.follow_ups(referral)), 1)
        self.assertTrue(referral.needs_attention)
        # A move clears the flag; a new stall is followed up again.
        self.follow_ups(referral).action_done()
        with freeze_time(T0 + timedelta(days=16)):
            referral.with_context(care_provider_token=self.token(referral)).set_state(
                "in_progress"
            )
        self.assertFalse(referral.needs_attention)
        self.run_cron_at(T0 + timedelta(days=31))
        self.assertEqual(len(self.follow_ups(referral)), 1, "the second stall")
        self.assertTrue(referral.needs_attention)

    def test_per_program_delays(self):
        self.food_bank.response_days = 10
        referral = self.sent_at(T0)
        self.run_cron_at(T0 + timedelta(days=5))
        self.assertFalse(self.follow_ups(referral))
        self.run_cron_at(T0 + timedelta(days=11))
        self.assertTrue(self.follow_ups(referral))

    def test_dont_reach_out_gets_an_activity_but_no_email(self):
        self.seeker.care_contact_preference = "none"
        referral = self.sent_at(T0)
        self.run_cron_at(T0 + timedelta(days=4))
        self.assertEqual(len(self.follow_ups(referral)), 1)
        self.assertFalse(self.intake_mails(referral))

    def test_closed_and_logged_referrals_are_left_alone(self):
        closed = self.sent_at(T0)
        closed.with_context(care_provider_token=self.token(closed)).set_state(
            "rejected", outcome="no_capacity"
        )
        logged = self.make_referral(program_id=self.food_bank.id, mode="logged")
        with freeze_time(T0):
            logged.with_user(self.helper).sudo(False).set_state("sent")
        self.run_cron_at(T0 + timedelta(days=30))
        self.assertFalse(self.follow_ups(closed) | self.follow_ups(logged))
