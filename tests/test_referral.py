from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common_referral import ReferralCase

STATES = [
    "draft",
    "sent",
    "accepted",
    "in_progress",
    "completed",
    "rejected",
    "cancelled",
]
OPEN = ["draft", "sent", "accepted", "in_progress"]
# A helper also records what the seeker reports: got help or not, no longer
# interested.
HELPER = (
    {("draft", "sent")}
    | {(s, "cancelled") for s in OPEN}
    | {(s, "completed") for s in ("sent", "accepted", "in_progress")}
)
CLAIMER = {
    ("sent", "accepted"),
    ("sent", "rejected"),
    ("accepted", "rejected"),
    ("accepted", "in_progress"),
    ("accepted", "completed"),
    ("in_progress", "completed"),
}
SEEKER = {(s, "completed") for s in ("sent", "accepted", "in_progress")} | {
    (s, "cancelled") for s in OPEN
}
EVERY_MOVE = {(a, b) for a in STATES for b in STATES if a != b}


@tagged("post_install", "-at_install")
class TestReferralMoves(ReferralCase):
    def _outcome_for(self, persona, target):
        if target == "rejected":
            return "no_capacity"
        if target == "completed":
            return "got_help"
        if target == "cancelled" and persona in ("seeker", "guardian"):
            return "no_longer_interested"
        return False

    def test_move_matrix(self):
        """Every state x every persona: exactly the allowed moves work."""
        personas = {
            "helper": (self.helper, HELPER),
            "sharing teammate": (self.teammate, HELPER),
            "non-sharing teammate": (self.loner, set()),
            "claimer": (self.claimer, CLAIMER),
            "other care user": (self.other_user, set()),
            "manager": (self.care_manager, EVERY_MOVE),
            "seeker": (self.seeker_user, SEEKER),
            "guardian": (self.guardian_user, SEEKER),
            "responsible party": (self.responsible_user, set()),
            "stranger": (self.stranger_user, set()),
        }
        referral = self.make_referral()
        rows = 0
        for name, (user, allowed) in personas.items():
            for source, target in sorted(EVERY_MOVE):
                rows += 1
                with self.subTest(persona=name, move=f"{source}->{target}"):
                    self.force_state(referral, source)
                    as_user = referral.with_user(user).sudo(False)
                    outcome = self._outcome_for(name.split()[0], target)
                    if (source, target) in allowed:
                        as_user.set_state(target, outcome=outcome)
                        self.assertEqual(referral.state, target)
                    else:
                        with self.assertRaises(UserError):  # AccessError is a UserError
                            as_user.set_state(target, outcome=outcome)
                        self.assertEqual(referral.state, source)
        self.assertEqual(rows, 10 * 42)

    def test_illegal_move_message(self):
        referral = self.make_referral()
        with self.assertRaisesRegex(
            UserError, "cannot move referral .* from Draft to Accepted"
        ):
            referral.with_user(self.claimer).sudo(False).set_state("accepted")

    def test_reject_needs_a_reason(self):
        referral = self.make_referral()
        self.force_state(referral, "sent")
        as_claimer = referral.with_user(self.claimer).sudo(False)
        with self.assertRaisesRegex(UserError, "Say why the referral is rejected"):
            as_claimer.set_state("rejected")
        with self.assertRaisesRegex(UserError, "Say why"):
            as_claimer.set_state("rejected", outcome="got_help")
        as_claimer.set_state("rejected", outcome="not_eligible")
        self.assertEqual(referral.outcome, "not_eligible")

    def test_complete_needs_an_outcome(self):
        referral = self.make_referral()
        self.force_state(referral, "in_progress")
        as_claimer = referral.with_user(self.claimer).sudo(False)
        with self.assertRaisesRegex(UserError, "Say how the referral ended"):
            as_claimer.set_state("completed")
        as_claimer.set_state("completed", outcome="couldnt_get_help")
        self.assertEqual(referral.outcome, "couldnt_get_help")

    def test_seeker_closes_with_their_outcomes_only(self):
        referral = self.make_referral()
        self.force_state(referral, "sent")
        as_seeker = referral.with_user(self.seeker_user).sudo(False)
        with self.assertRaisesRegex(UserError, "only close this referral as"):
            as_seeker.set_state("completed", outcome="couldnt_get_help")
        as_seeker.set_state("completed")
        self.assertEqual(referral.outcome, "got_help")

    def test_state_only_changes_through_set_state(self):
        referral = self.make_referral().with_user(self.helper).sudo(False)
        with self.assertRaisesRegex(UserError, "status buttons"):
            referral.write({"state": "completed"})
        with self.assertRaisesRegex(UserError, "starts as a draft"):
            self.env["care.referral"].with_user(self.helper).create(
                {
                    "seeker_id": self.seeker.id,
                    "program_id": self.program.id,
                    "consent": True,
                    "state": "accepted",
                }
            )

    def test_live_referral_needs_consent(self):
        with self.assertRaisesRegex(UserError, "needs the seeker's consent"):
            self.make_referral(consent=False)
        logged = self.make_referral(consent=False, mode="logged")
        self.assertEqual(logged.mode, "logged")

    def test_allowed_moves_drive_the_buttons(self):
        referral = self.make_referral()
        self.assertEqual(
            referral.with_user(self.helper).allowed_moves, "cancelled,sent"
        )
        self.assertEqual(referral.with_user(self.claimer).allowed_moves, "")
        self.force_state(referral, "sent")
        referral.invalidate_recordset(["allowed_moves"])
        self.assertEqual(
            referral.with_user(self.claimer).allowed_moves, "accepted,rejected"
        )

    def test_allowed_moves_of_many_referrals_cost_the_queries_of_one(self):
        clients = self.Partner.create([{"name": f"Client {n}"} for n in range(5)])
        for client in clients:
            self.relate(client, self.guardian_user.partner_id, self.type_guardian)
        referrals = self.env["care.referral"]
        for client in clients:
            referrals |= self.make_referral(seeker=client)
        self.force_state(referrals, "sent")

        def queries_to_compute(records):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            moves = records.with_user(self.guardian_user).mapped("allowed_moves")
            return self.env.cr.sql_log_count - before, moves

        queries_to_compute(referrals)  # warms the caches of rules and groups
        many, moves = queries_to_compute(referrals)
        one, _moves = queries_to_compute(referrals[:1])
        self.assertEqual(moves, ["cancelled,completed"] * 5)
        self.assertEqual(many, one, "one query for the whole recordset, not one each")


@tagged("post_install", "-at_install")
class TestReferralLog(ReferralCase):
    def test_a_portal_user_of_a_company_shows_the_company(self):
        works = self.Partner.create({"name": "Guardian Works", "is_company": True})
        self.guardian_user.partner_id.parent_id = works
        referral = self.make_referral()
        referral.with_user(self.helper).sudo(False).set_state("sent")
        referral.with_user(self.guardian_user).sudo(False).set_state(
            "completed", outcome="got_help"
        )
        log = referral.status_log_ids.sorted("id")[-1]
        self.assertEqual(log.author_name, "Greg G.")
        self.assertEqual(log.organization_id, works)

    def test_one_row_per_move_with_person_and_organisation(self):
        referral = self.make_referral()
        referral.with_user(self.helper).sudo(False).set_state("sent")
        referral.with_user(self.claimer).sudo(False).set_state(
            "accepted", note="Called her"
        )
        referral.with_user(self.seeker_user).sudo(False).set_state("completed")
        logs = referral.status_log_ids.sorted("id")
        self.assertEqual(len(logs), 3)
        self.assertEqual(logs.mapped("author_name"), ["Hana H.", "Clara C.", "Sam S."])
        self.assertEqual(logs.mapped("state_to"), ["sent", "accepted", "completed"])
        self.assertEqual(logs.mapped("state_from"), ["draft", "sent", "accepted"])
        self.assertEqual(logs[0].organization_id, self.env.company.partner_id)
        self.assertEqual(logs[1].organization_id, self.provider)
        self.assertEqual(logs[1].note, "Called her")
        self.assertEqual(logs[2].outcome, "got_help")
        self.assertEqual(logs[2].user_id, self.seeker_user)
        self.assertFalse(logs[2].organization_id, "a person on their own: none")
        status_lines = referral.message_ids.filtered(
            lambda m: "Status:" in (m.body or "")
        )
        self.assertEqual(len(status_lines), 3)

    def test_log_is_append_only(self):
        referral = self.make_referral()
        referral.with_user(self.helper).sudo(False).set_state("sent")
        log = referral.status_log_ids
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            log.sudo().write({"note": "rewritten"})
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            log.sudo().unlink()
        with self.assertRaisesRegex(UserError, "written by status moves only"):
            self.env["care.referral.status.log"].sudo().create(
                {"referral_id": referral.id, "state_to": "completed"}
            )
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            log.with_user(self.care_manager).write({"note": "x"})
        with self.assertRaisesRegex(UserError, "cannot be deleted: cancel it"):
            referral.with_user(self.care_manager).unlink()

    def test_short_name(self):
        short = self.env["care.referral.status.log"].short_name
        self.assertEqual(short("Nadia Navigator"), "Nadia N.")
        self.assertEqual(short("Jean Paul Sartre"), "Jean S.")
        self.assertEqual(short("Cher"), "Cher")


@tagged("post_install", "-at_install")
class TestReferralNotes(ReferralCase):
    def test_notes_cannot_be_edited_but_author_can_delete(self):
        referral = self.make_referral()
        as_helper = referral.with_user(self.helper).sudo(False)
        note = as_helper.message_post(
            body="Needs a ride", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        with self.assertRaisesRegex(UserError, "cannot be edited"):
            as_helper._message_update_content(note, body="Needs a bus ticket")
        with self.assertRaisesRegex(UserError, "cannot be edited"):
            referral.with_user(self.care_manager)._message_update_content(
                note, body="Changed"
            )
        as_teammate = referral.with_user(self.teammate).sudo(False)
        with self.assertRaisesRegex(UserError, "Only the author"):
            as_teammate._message_update_content(note, body="", attachment_ids=[])
        as_helper._message_update_content(note, body="", attachment_ids=[])
        self.assertTrue(note._filter_empty(), "the note is deleted")

    def test_manager_can_delete_any_note(self):
        referral = self.make_referral()
        note = (
            referral.with_user(self.helper)
            .sudo(False)
            .message_post(
                body="Private detail",
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        )
        referral.with_user(self.care_manager)._message_update_content(
            note, body="", attachment_ids=[]
        )
        self.assertTrue(note._filter_empty(), "the note is deleted")


@tagged("post_install", "-at_install")
class TestReferralVisibility(ReferralCase):
    def test_who_sees_the_referral(self):
        shared = self.make_referral()
        private = self.make_referral(team_id=self.private_team.id)
        Referral = self.env["care.referral"]
        expectations = {
            self.helper: shared | private,
            self.teammate: shared,
            self.loner: Referral,
            self.claimer: shared | private,
            self.other_user: Referral,
            self.seeker_user: shared | private,
            self.guardian_user: shared | private,
            self.responsible_user: Referral,
            self.stranger_user: Referral,
        }
        for user, expected in expectations.items():
            with self.subTest(user=user.login):
                seen = Referral.with_user(user).search(
                    [("id", "in", (shared | private).ids)]
                )
                self.assertEqual(seen, expected)
        manager_seen = Referral.with_user(self.care_manager).search([])
        self.assertTrue((shared | private) <= manager_seen)
        with self.assertRaises(AccessError):
            private.with_user(self.teammate).read(["name"])
        with self.assertRaises(AccessError):
            Referral.with_user(self.internal_user).search([])

    def test_ended_guardianship_hides_referrals(self):
        referral = self.make_referral()
        relation = self.seeker.care_relation_ids.filtered(
            lambda r: r.related_partner_id == self.guardian_user.partner_id
        )
        relation.date_start = self.today.replace(year=self.today.year - 1)
        Referral = self.env["care.referral"].with_user(self.guardian_user)
        self.assertEqual(Referral.search([("id", "=", referral.id)]), referral)
        relation.can_view_referrals = False
        self.assertFalse(Referral.search([("id", "=", referral.id)]))


@tagged("post_install", "-at_install")
class TestGoalsProgramsWizard(ReferralCase):
    def test_goal_linking(self):
        Goal = self.env["care.goal"]
        housing = Goal.create({"name": "Stable housing", "seeker_id": self.seeker.id})
        food = Goal.create({"name": "Food security", "seeker_id": self.seeker.id})
        referral = self.make_referral().with_user(self.helper).sudo(False)
        referral.goal_id = housing
        self.assertEqual(housing.referral_ids, referral)
        referral.goal_id = food
        self.assertFalse(housing.referral_ids)
        self.assertEqual(food.referral_count, 1)
        referral.goal_id = False
        self.assertFalse(food.referral_ids)

    def test_zip_matching(self):
        Program = self.env["care.program"]
        self.assertTrue(self.program.serves_zip("10001"))
        self.assertTrue(self.program.serves_zip("11215"))
        self.assertFalse(self.program.serves_zip("10002"))
        everywhere = Program.create({"name": "Hotline"})
        self.assertTrue(everywhere.serves_zip("99999"))
        found = Program.programs_for_zip("10001")
        self.assertIn(self.program, found)
        self.assertIn(everywhere, found)
        self.assertNotIn(self.far_program, found)
        self.assertFalse(Program.programs_for_zip("10001", self.tag_housing))

    def test_start_referral_wizard(self):
        hotline = self.env["care.program"].create({"name": "Hotline"})
        action = self.seeker.with_user(self.helper).action_start_referral()
        wizard = (
            self.env["care.referral.start"]
            .with_user(self.helper)
            .with_context(**action["context"])
            .create({})
        )
        self.assertEqual(wizard.seeker_id, self.seeker)
        self.assertIn(self.program, wizard.available_program_ids)
        self.assertNotIn(self.far_program, wizard.available_program_ids)
        wizard.write(
            {
                "program_ids": [Command.set((self.program | hotline).ids)],
                "comment": "Needs food this week",
                "goal_choice": "new",
                "new_goal_name": "Food security",
            }
        )
        with self.assertRaisesRegex(UserError, "needs the seeker's consent"):
            wizard.action_create_referrals()
        wizard.consent = True
        result = wizard.action_create_referrals()
        referrals = self.env["care.referral"].search(result["domain"])
        self.assertEqual(len(referrals), 2)
        self.assertEqual(set(referrals.mapped("state")), {"sent"})
        self.assertEqual(referrals.goal_id.name, "Food security")
        self.assertEqual(referrals.helper_user_id, self.helper)
        self.assertEqual(set(referrals.mapped("comment")), {"Needs food this week"})


@tagged("post_install", "-at_install")
class TestReferralNotifications(ReferralCase):
    def _mails(self):
        return self.env["mail.mail"].search([("model", "=", "care.referral")])

    def test_sent_referral_emails_claimers_helper_and_seeker(self):
        referral = self.make_referral()
        referral.with_user(self.helper).sudo(False).set_state("sent")
        mails = self._mails()
        recipients = mails.recipient_ids
        self.assertIn(self.claimer.partner_id, recipients)
        self.assertIn(self.helper.partner_id, recipients)
        self.assertIn(self.seeker, recipients)
        seeker_mail = mails.filtered(lambda m: self.seeker in m.recipient_ids)
        self.assertIn(
            f"/my/referrals/{referral.id}?access_token=", seeker_mail.body_html
        )

    def test_each_status_change_emails_helper_and_seeker(self):
        referral = self.make_referral()
        self.force_state(referral, "sent")
        referral.with_user(self.claimer).sudo(False).set_state("accepted")
        mails = self._mails()
        self.assertEqual(mails.recipient_ids, self.helper.partner_id | self.seeker)

    def test_dont_reach_out_suppresses_everything(self):
        self.seeker.care_contact_preference = "none"
        referral = self.make_referral()
        referral.with_user(self.helper).sudo(False).set_state("sent")
        referral.with_user(self.claimer).sudo(False).set_state("accepted")
        self.assertFalse(self._mails())

    def test_sms_preference_keeps_seeker_out_of_email(self):
        self.seeker.care_contact_preference = "sms"
        referral = self.make_referral()
        referral.with_user(self.helper).sudo(False).set_state("sent")
        self.assertNotIn(self.seeker, self._mails().recipient_ids)
        self.assertIn(self.claimer.partner_id, self._mails().recipient_ids)

    def test_logged_referrals_notify_no_one(self):
        referral = self.make_referral(mode="logged", consent=False)
        referral.with_user(self.helper).sudo(False).set_state("sent")
        self.assertFalse(self._mails())
