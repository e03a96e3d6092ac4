"""Two transactions move the same referral at once: one wins, the other retries
(as Odoo's RPC layer does on a serialisation failure) and then gets a clear
error; the status history has exactly one row for the move."""

import threading

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.service.model import retrying
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CommittedCase


@tagged("post_install", "-at_install")
class TestConcurrentMoves(CommittedCase):
    """Two moves of one referral in real, committed transactions."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.admin_id = env.ref("base.user_admin").id
            provider = env["res.partner"].create(
                {"name": "Concurrency Pantry", "is_company": True}
            )
            program = env["care.program"].create(
                {"name": "Concurrency Program", "provider_id": provider.id}
            )
            seeker = env["res.partner"].create(
                {"name": "Connie Current", "is_care_client": True}
            )
            referral = (
                env["care.referral"]
                .with_user(self.admin_id)
                .create(
                    {
                        "seeker_id": seeker.id,
                        "program_id": program.id,
                        "mode": "logged",
                    }
                )
            )
            referral.set_state("sent")
            self.ids = {
                "provider": provider.id,
                "program": program.id,
                "seeker": seeker.id,
                "referral": referral.id,
            }
        self.addCleanup(self.delete_committed_data)

    def delete_committed_data(self):
        with self.registry.cursor() as cr:
            referral_id = self.ids["referral"]
            cr.execute(
                "DELETE FROM care_referral_status_log WHERE referral_id = %s",
                [referral_id],
            )
            cr.execute(
                "DELETE FROM mail_followers WHERE res_model = 'care.referral' "
                "AND res_id = %s",
                [referral_id],
            )
            cr.execute(
                "DELETE FROM mail_message WHERE model = 'care.referral' "
                "AND res_id = %s",
                [referral_id],
            )
            cr.execute("DELETE FROM care_referral WHERE id = %s", [referral_id])
            cr.execute("DELETE FROM care_program WHERE id = %s", [self.ids["program"]])
            cr.execute(
                "DELETE FROM res_partner WHERE id IN %s",
                [(self.ids["seeker"], self.ids["provider"])],
            )

    def move_in_own_transaction(self, name, outcome, first_moved, hold_lock):
        """Move the referral to accepted in a transaction of its own."""
        try:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, self.admin_id, {})
                referral = env["care.referral"].browse(self.ids["referral"])
                # Read first, so that this transaction's snapshot predates the
                # other one's commit.
                self.assertEqual(referral.state, "sent")
                if name == "second":
                    first_moved.wait(timeout=10)
                attempts = []

                def move():
                    attempts.append(1)
                    referral.set_state("accepted")

                # PostgreSQL refuses the loser's first try; Odoo logs that
                # "bad query" before retrying, as it does for any RPC.
                with mute_logger("odoo.sql_db"):
                    retrying(move, env)
                if name == "first":
                    first_moved.set()
                    hold_lock.wait(timeout=1)  # let the second one block on it
                outcome[name] = ("moved", len(attempts))
        except UserError as error:
            outcome[name] = ("refused", str(error), len(attempts))

    def test_two_moves_at_once(self):
        outcome = {}
        first_moved, hold_lock = threading.Event(), threading.Event()
        threads = [
            threading.Thread(
                target=self.move_in_own_transaction,
                args=(name, outcome, first_moved, hold_lock),
            )
            for name in ("first", "second")
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=20)

        self.assertEqual(outcome["first"], ("moved", 1))
        refused, message, attempts = outcome["second"]
        self.assertEqual(refused, "refused")
        self.assertIn("from Accepted to Accepted", message)
        self.assertGreaterEqual(attempts, 2, "The loser retried after the conflict")

        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT state_from, state_to FROM care_referral_status_log "
                "WHERE referral_id = %s ORDER BY id",
                [self.ids["referral"]],
            )
            self.assertEqual(cr.fetchall(), [("draft", "sent"), ("sent", "accepted")])
            cr.execute(
                "SELECT state FROM care_referral WHERE id = %s",
                [self.ids["referral"]],
            )
            self.assertEqual(cr.fetchone()[0], "accepted")
