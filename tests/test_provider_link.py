from odoo.tests import HttpCase, tagged

from .common_provider import ProviderHttpCase

INVALID = "This link does not open a referral"


@tagged("post_install", "-at_install")
class TestIntakeEmail(ProviderHttpCase, HttpCase):
    def test_sending_emails_the_intake_address_what_was_consented(self):
        referral = self.send_to_food_bank()
        self.relate(self.seeker, self.other_parent, self.type_emergency)
        mail = self.intake_mails(referral)
        self.assertEqual(len(mail), 1)
        body = mail.body_html
        self.assertIn(
            f"/care/provider/referral/{referral.id}?access_token={self.token(referral)}",
            body,
        )
        self.assertIn("Sam Seeker", body)
        self.assertIn("Phone: +1 555 0199", body)
        self.assertIn("Needs groceries weekly.", body)
        for private in ("Greg Guardian", "Oscar Other", "sam@example.com"):
            self.assertNotIn(private, body)

    def test_program_with_claimers_gets_intake_mail_only_when_asked(self):
        self.program.intake_email = "desk@groceries.org"
        referral = self.make_referral()
        referral.with_user(self.helper).sudo(False).set_state("sent")
        mails = self.env["mail.mail"].search([("email_to", "=", "desk@groceries.org")])
        self.assertFalse(mails, "claimers work it in the back office")
        self.program.notify_intake = True
        other = self.make_referral()
        other.with_user(self.helper).sudo(False).set_state("sent")
        mails = self.env["mail.mail"].search([("email_to", "=", "desk@groceries.org")])
        self.assertEqual(mails.res_id, other.id)

    def test_dont_reach_out_sends_nothing(self):
        self.seeker.care_contact_preference = "none"
        referral = self.send_to_food_bank()
        self.assertFalse(self.intake_mails(referral))

    def test_bad_intake_email_is_refused(self):
        with self.assertRaisesRegex(Exception, "not a valid intake e-mail"):
            self.food_bank.intake_email = "intake at food bank"


@tagged("post_install", "-at_install")
class TestProviderLink(ProviderHttpCase, HttpCase):
    def log_rows(self, referral):
        return referral.sudo().status_log_ids.sorted("id")

    def test_provider_moves_the_referral_through_the_link(self):
        referral = self.send_to_food_bank()
        page = self.open_link(referral)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Sam Seeker", page.text)
        self.assertIn("Needs groceries weekly.", page.text)
        self.assertNotIn("Greg Guardian", page.text, "nothing else of the circle")

        for state in ("accepted", "in_progress"):
            response = self.post_link(referral, state=state)
            self.assertEqual(response.status_code, 303, state)
            self.assertEqual(referral.state, state)
        done = self.post_link(
            referral, state="completed", outcome="got_help", note="Picked up a box."
        )
        self.assertEqual(done.status_code, 200)
        self.assertIn("is closed", done.text)
        self.assertEqual(referral.state, "completed")
        self.assertEqual(referral.outcome, "got_help")
        log = self.log_rows(referral)[-1]
        self.assertEqual(log.author_name, "Food Bank (intake)")
        self.assertFalse(log.user_id, "no login made the move")
        self.assertEqual(log.organization_id, self.provider)
        self.assertEqual(log.note, "Picked up a box.")
        self.assertEqual(
            self.log_rows(referral).mapped("author_name"),
            [
                "Hana H.",
                "Food Bank (intake)",
                "Food Bank (intake)",
                "Food Bank (intake)",
            ],
        )
        # Closed: the link ends.
        closed = self.open_link(referral)
        self.assertEqual(closed.status_code, 403)
        self.assertIn(INVALID, closed.text)

    def test_decline_needs_a_reason(self):
        referral = self.send_to_food_bank()
        refused = self.post_link(referral, state="rejected")
        self.assertEqual(refused.status_code, 400)
        self.assertIn("Say why the referral is rejected", refused.text)
        self.assertEqual(referral.state, "sent")
        response = self.post_link(
            referral, state="rejected", outcome="no_capacity", note="Full this month"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("is closed", response.text)
        replay = self.post_link(referral, state="rejected", outcome="no_capacity")
        self.assertEqual(replay.status_code, 403, "the link ended with the referral")
        self.assertEqual(
            (referral.state, referral.outcome), ("rejected", "no_capacity")
        )

    def test_note_from_the_link(self):
        referral = self.send_to_food_bank()
        response = self.post_link(referral, note="We will call on Monday.")
        self.assertEqual(response.status_code, 303)
        message = referral.message_ids.filtered(
            lambda m: "We will call on Monday." in (m.body or "")
        )
        self.assertEqual(message.author_id, self.intake_contact)
        self.assertEqual(referral.state, "sent", "a note moves nothing")

    def test_staff_log_notes_stay_off_the_programs_page(self):
        referral = self.send_to_food_bank()
        helper = referral.with_user(self.helper).sudo(False)
        helper.message_post(
            body="Probation officer called about the father",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        helper.message_post(
            body="Sam prefers mornings.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertEqual(
            self.post_link(referral, note="We will call on Monday.").status_code, 303
        )
        page = self.open_link(referral)
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("Probation officer", page.text)
        self.assertIn("Sam prefers mornings.", page.text)
        self.assertIn("We will call on Monday.", page.text, "the program's own note")

    def test_moves_a_claimer_may_not_make_are_refused(self):
        referral = self.send_to_food_bank()
        for state in ("completed", "cancelled", "draft", "bogus"):
            response = self.post_link(referral, state=state, outcome="got_help")
            self.assertEqual(response.status_code, 400, state)
            self.assertEqual(referral.state, "sent", state)
        self.assertEqual(len(self.log_rows(referral)), 1)

    def test_replayed_post_changes_nothing(self):
        referral = self.send_to_food_bank()
        revision = referral._care_provider_revision()
        self.assertEqual(
            self.post_link(referral, revision=revision, state="accepted").status_code,
            303,
        )
        replay = self.post_link(referral, revision=revision, state="accepted")
        self.assertEqual(replay.status_code, 409)
        self.assertIn("nothing was changed", replay.text)
        replay_note = self.post_link(referral, revision=revision, note="Twice?")
        self.assertEqual(replay_note.status_code, 409)
        self.assertEqual(referral.state, "accepted")
        self.assertEqual(len(self.log_rows(referral)), 2)
        self.assertFalse(
            referral.message_ids.filtered(lambda m: "Twice?" in (m.body or ""))
        )

    def test_refused_links_show_a_clear_page_and_change_nothing(self):
        referral = self.send_to_food_bank()
        other = self.send_to_food_bank()
        for what, response in (
            ("forged token", self.open_link(referral, token="forged-token")),
            ("empty token", self.open_link(referral, token="")),
            (
                "other referral's token",
                self.open_link(referral, token=self.token(other)),
            ),
            ("missing referral", self.open_link(referral, referral_id=999999)),
            ("id beyond PostgreSQL", self.open_link(referral, referral_id=2**31 + 7)),
            (
                "forged POST",
                self.post_link(referral, token="forged", state="accepted"),
            ),
        ):
            self.assertEqual(response.status_code, 403, what)
            self.assertIn(INVALID, response.text, what)
        self.assertEqual(referral.state, "sent")

    def test_reassigned_or_regenerated_link_ends(self):
        referral = self.send_to_food_bank()
        old = self.token(referral)
        referral.with_user(self.helper).action_regenerate_provider_link()
        self.assertNotEqual(self.token(referral), old)
        self.assertEqual(self.open_link(referral, token=old).status_code, 403)
        self.assertEqual(self.open_link(referral).status_code, 200)
        self.assertEqual(len(self.intake_mails(referral)), 2, "the new link is sent")

        current = self.token(referral)
        self.force_program(referral, self.program)
        self.assertEqual(self.open_link(referral, token=current).status_code, 403)

    def force_program(self, referral, program):
        referral.sudo().program_id = program

    def test_token_outside_a_sudo_call_grants_nothing(self):
        referral = self.send_to_food_bank()
        as_public = referral.with_user(self.env.ref("base.public_user")).with_context(
            care_provider_token=self.token(referral)
        )
        self.assertFalse(as_public.sudo(False)._care_provider_program())
        self.assertEqual(
            referral.with_context(
                care_provider_token=self.token(referral)
            )._care_provider_program(),
            self.food_bank,
        )
