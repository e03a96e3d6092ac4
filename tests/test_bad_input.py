"""Bad input across models, wizards, imports and controllers: each case is refused
with a message naming the problem, and leaves the database as it was."""

import logging
from datetime import timedelta

from odoo import http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common_referral import ReferralCase
from .test_portal import PortalCase

_logger = logging.getLogger(__name__)

WATCHED = (
    "res.partner",
    "res.users",
    "care.relation",
    "care.goal",
    "care.referral",
    "care.referral.status.log",
    "mail.message",
)


@tagged("post_install", "-at_install")
class TestBadInput(ReferralCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.family = cls.Partner.create(
            {"name": "Rivera Family", "is_company": True, "care_group_kind": "family"}
        )
        cls.club = cls.Partner.create({"name": "Chess Club", "is_company": True})
        cls.relate(cls.adult, cls.family, cls.type_member, is_primary=True)
        # The Parent type is in use (the case deleting it expects a refusal).
        cls.relate(cls.minor, cls.other_parent, cls.type_parent)
        cls.referral = cls.make_referral()
        cls.referral.with_user(cls.helper).sudo(False).set_state("sent")
        new_test_user(
            cls.env,
            login="taken@example.com",
            name="Tess Taken",
            groups="base.group_portal",
        )
        cls.note = (
            cls.referral.with_user(cls.helper)
            .sudo(False)
            .message_post(body="Called the pantry.", message_type="comment")
        )

    def snapshot(self):
        self.env.flush_all()
        return {
            model: self.env[model]
            .sudo()
            .with_context(active_test=False)
            .search_count([])
            for model in WATCHED
        } | {
            "relation_dates": tuple(
                self.Relation.search([], order="id").mapped("date_end")
            ),
            "referral_states": tuple(
                self.env["care.referral"].search([], order="id").mapped("state")
            ),
            "note_body": str(self.note.sudo().body),
        }

    def relation_vals(self, **values):
        return {
            "partner_id": self.adult.id,
            "related_partner_id": self.other_parent.id,
            "type_id": self.type_parent.id,
            **values,
        }

    def import_relations(self, rows):
        fields = ["partner_id", "related_partner_id", "type_id", "date_start"]
        return self.Relation.load(fields, rows)

    def cases(self):
        """(what, action, exception, message)"""
        Relation = self.Relation.with_user(self.care_user)
        Referral = self.env["care.referral"]
        ref_as = self.referral.with_user
        log = self.referral.status_log_ids[:1]
        yesterday = self.today - timedelta(days=1)
        good = ["Ada Adult", "Oscar Other", "Parent", str(self.today)]
        return [
            # --- relations -------------------------------------------------------
            (
                "relation to oneself",
                lambda: Relation.create(
                    self.relation_vals(related_partner_id=self.adult.id)
                ),
                ValidationError,
                "cannot be related to themself",
            ),
            (
                "end before start",
                lambda: Relation.create(
                    self.relation_vals(date_start=self.today, date_end=yesterday)
                ),
                ValidationError,
                "ends .* before it starts",
            ),
            (
                "organisation where a person is expected",
                lambda: Relation.create(
                    self.relation_vals(related_partner_id=self.club.id)
                ),
                ValidationError,
                "must be a person, and Chess Club is not",
            ),
            (
                "person where an organisation is expected",
                lambda: Relation.create(
                    self.relation_vals(
                        type_id=self.env.ref("care_network.relation_type_facility").id
                    )
                ),
                ValidationError,
                "must be an organisation",
            ),
            (
                "duplicate current relation",
                lambda: Relation.create([self.relation_vals(), self.relation_vals()]),
                ValidationError,
                "already Parent of Ada Adult",
            ),
            (
                "minor without guardian",
                lambda: self.Partner.with_user(self.care_user).create(
                    {
                        "name": "Lonely Minor",
                        "birthdate": self.today - timedelta(days=365 * 7),
                        "is_care_client": True,
                    }
                ),
                ValidationError,
                "Lonely Minor is a minor: add a current Legal Guardian",
            ),
            (
                "reminder lead time too short",
                lambda: Relation.create(
                    self.relation_vals(reminder_email_lead_hours=1)
                ),
                ValidationError,
                "between 2 and 72 hours, not 1",
            ),
            (
                "reminder lead time too long",
                lambda: Relation.create(
                    self.relation_vals(reminder_email_lead_hours=96)
                ),
                ValidationError,
                "between 2 and 72 hours, not 96",
            ),
            (
                "reminders without a channel",
                lambda: Relation.create(
                    self.relation_vals(
                        reminder_opt_in=True, reminder_email=False, reminder_sms=False
                    )
                ),
                ValidationError,
                "Choose e-mail or SMS",
            ),
            (
                "archived relation type",
                lambda: self.archive_then_use(self.type_sibling),
                ValidationError,
                "archived: it accepts no new relations",
            ),
            (
                "second primary organisation",
                lambda: Relation.create(
                    self.relation_vals(
                        related_partner_id=self.club.id,
                        type_id=self.type_member.id,
                        is_primary=True,
                    )
                ),
                ValidationError,
                "already has a primary organisation",
            ),
            (
                "new contact without a name",
                lambda: self.add_contact(
                    self.adult,
                    self.type_parent,
                    user=self.care_user,
                    contact_kind="alternative",
                    firstname="  ",
                ),
                ValidationError,
                "Give the new contact a first name and a last name",
            ),
            (
                "portal invitation without e-mail",
                lambda: Relation.create(
                    self.relation_vals(
                        related_partner_id=self.Partner.create({"name": "No Mail"}).id,
                        send_portal_invitation=True,
                    )
                ),
                UserError,
                "No Mail has no e-mail address",
            ),
            (
                "portal invitation with another user's e-mail",
                lambda: Relation.create(
                    self.relation_vals(
                        related_partner_id=self.Partner.create(
                            {"name": "Copy Cat", "email": "taken@example.com"}
                        ).id,
                        send_portal_invitation=True,
                    )
                ),
                UserError,
                "taken@example.com is already the login of Tess Taken",
            ),
            (
                "relation type deleted while in use",
                lambda: self.type_parent.unlink(),
                UserError,
                "Parent",
            ),
            # --- imports ---------------------------------------------------------
            (
                "import: unknown client",
                lambda: self.raise_load_errors(
                    self.import_relations([good, ["Nobody Known", *good[1:]]])
                ),
                ValidationError,
                "Nobody Known",
            ),
            (
                "import: unknown relation type",
                lambda: self.raise_load_errors(
                    self.import_relations([good, [*good[:2], "Soulmate", good[3]]])
                ),
                ValidationError,
                "Soulmate",
            ),
            (
                "import: impossible date",
                lambda: self.raise_load_errors(
                    self.import_relations([good, [*good[:3], "2026-02-31"]])
                ),
                ValidationError,
                "2026-02-31",
            ),
            (
                "import: duplicate rows",
                lambda: self.raise_load_errors(self.import_relations([good, good])),
                ValidationError,
                "already Parent of Ada Adult",
            ),
            (
                "import: referral to an unknown program",
                lambda: self.raise_load_errors(
                    Referral.load(
                        ["seeker_id", "program_id", "consent"],
                        [
                            ["Sam Seeker", "Weekly Groceries", "1"],
                            ["Sam Seeker", "Moon Base", "1"],
                        ],
                    )
                ),
                ValidationError,
                "Moon Base",
            ),
            (
                "import: referral with a forged status",
                lambda: self.raise_load_errors(
                    Referral.with_user(self.helper).load(
                        ["seeker_id", "program_id", "consent", "state"],
                        [["Sam Seeker", "Weekly Groceries", "1", "completed"]],
                    )
                ),
                ValidationError,
                "starts as a draft",
            ),
            # --- referrals -------------------------------------------------------
            (
                "helper accepts",
                lambda: ref_as(self.helper).sudo(False).set_state("accepted"),
                UserError,
                "cannot move referral .* from Sent to Accepted",
            ),
            (
                "unknown status",
                lambda: ref_as(self.care_manager).sudo(False).set_state("lost"),
                UserError,
                "Unknown referral status: lost",
            ),
            (
                "rejection without a reason",
                lambda: ref_as(self.claimer).sudo(False).set_state("rejected"),
                UserError,
                "Say why the referral is rejected",
            ),
            (
                "completion without an outcome",
                lambda: ref_as(self.care_manager).sudo(False).set_state("completed"),
                UserError,
                "Say how the referral ended",
            ),
            (
                "seeker gives a staff outcome",
                lambda: (
                    ref_as(self.seeker_user)
                    .sudo(False)
                    .set_state("completed", outcome="not_eligible")
                ),
                UserError,
                'only close this referral as "Got help"',
            ),
            (
                "status written directly",
                lambda: (
                    ref_as(self.care_manager).sudo(False).write({"state": "accepted"})
                ),
                UserError,
                "with its status buttons",
            ),
            (
                "live referral without consent",
                lambda: Referral.with_user(self.helper).create(
                    {
                        "seeker_id": self.seeker.id,
                        "program_id": self.program.id,
                        "consent": False,
                    }
                ),
                UserError,
                "needs the seeker's consent",
            ),
            (
                "referral with history deleted",
                lambda: ref_as(self.care_manager).sudo(False).unlink(),
                UserError,
                "cannot be deleted: cancel it",
            ),
            (
                "status history rewritten",
                lambda: log.write({"note": "forged"}),
                UserError,
                "cannot be changed",
            ),
            (
                "status history forged",
                lambda: self.env["care.referral.status.log"].create(
                    {"referral_id": self.referral.id, "state_to": "completed"}
                ),
                UserError,
                "written by status moves only",
            ),
            (
                "status history deleted",
                lambda: log.unlink(),
                UserError,
                "cannot be deleted",
            ),
            (
                "note edited in the UI",
                lambda: (
                    self.referral.with_user(self.helper)
                    .sudo(False)
                    ._message_update_content(self.note, body="Edited")
                ),
                UserError,
                "cannot be edited",
            ),
            (
                "note edited over RPC by its author",
                lambda: self.note.with_user(self.helper).write({"body": "Edited"}),
                UserError,
                "cannot be edited",
            ),
            (
                "note deleted by someone else",
                lambda: (
                    self.referral.with_user(self.claimer)
                    .sudo(False)
                    ._message_update_content(self.note, body="")
                ),
                UserError,
                "Only the author of a note or a care manager",
            ),
            # --- wizards ---------------------------------------------------------
            (
                "start wizard without a program",
                lambda: (
                    self.env["care.referral.start"]
                    .with_user(self.helper)
                    .create({"seeker_id": self.seeker.id, "consent": True})
                    .action_create_referrals()
                ),
                UserError,
                "Choose at least one program",
            ),
            (
                "start wizard live without consent",
                lambda: (
                    self.env["care.referral.start"]
                    .with_user(self.helper)
                    .create(
                        {
                            "seeker_id": self.seeker.id,
                            "program_ids": [(6, 0, self.program.ids)],
                            "mode": "live",
                            "consent": False,
                        }
                    )
                    .action_create_referrals()
                ),
                UserError,
                "needs the seeker's consent",
            ),
            (
                "start wizard with an unnamed new goal",
                lambda: (
                    self.env["care.referral.start"]
                    .with_user(self.helper)
                    .create(
                        {
                            "seeker_id": self.seeker.id,
                            "program_ids": [(6, 0, self.program.ids)],
                            "consent": True,
                            "goal_choice": "new",
                            "new_goal_name": " ",
                        }
                    )
                    .action_create_referrals()
                ),
                UserError,
                "Name the new goal",
            ),
            (
                "close wizard rejecting without a reason",
                lambda: (
                    self.env["care.referral.move"]
                    .with_user(self.claimer)
                    .create({"referral_id": self.referral.id, "state": "rejected"})
                    .action_confirm()
                ),
                UserError,
                "Say why the referral is rejected",
            ),
            (
                "close wizard used by someone who may not",
                lambda: (
                    self.env["care.referral.move"]
                    .with_user(self.other_user)
                    .create({"referral_id": self.referral.id, "state": "cancelled"})
                    .action_confirm()
                ),
                AccessError,
                r"care\.referral",
            ),
        ]

    def archive_then_use(self, relation_type):
        relation_type.active = False
        self.Relation.with_user(self.care_user).create(
            self.relation_vals(type_id=relation_type.id)
        )

    def raise_load_errors(self, result):
        """load() reports problems as messages: turn them into the error a user
        sees, after checking that nothing was imported."""
        if result["ids"]:
            raise AssertionError(f"load() imported {result['ids']}")
        messages = " / ".join(m["message"] for m in result["messages"])
        raise ValidationError(messages or "load() failed without a message")

    def test_bad_input_is_refused_and_changes_nothing(self):
        cases = self.cases()
        before = self.snapshot()
        failures = []
        for what, action, exception, message in cases:
            with self.subTest(case=what):
                try:
                    # load() tries every row to report every problem: PostgreSQL
                    # refuses the bad ones, which Odoo logs before rolling back.
                    with (
                        mute_logger("odoo.sql_db"),
                        self.assertRaisesRegex(exception, message),
                    ):
                        action()
                except AssertionError as error:
                    failures.append(f"{what}: {error}")
                self.env.invalidate_all()
                after = self.snapshot()
                if after != before:
                    changed = {k for k in before if before[k] != after[k]}
                    failures.append(f"{what}: database changed ({sorted(changed)})")
        _logger.info("Bad input: %s cases, %s failures", len(cases), len(failures))
        self.assertGreaterEqual(len(cases), 30)
        self.assertFalse(failures, "\n" + "\n".join(failures))

    def test_import_of_good_rows_works(self):
        """The same import without its bad row goes through: the refusals above
        are about the bad rows."""
        result = self.Relation.load(
            ["partner_id", "related_partner_id", "type_id", "date_start"],
            [["Ada Adult", "Oscar Other", "Parent", str(self.today)]],
        )
        self.assertEqual(len(result["ids"]), 1, result["messages"])


@tagged("post_install", "-at_install")
class TestBadPortalInput(PortalCase):
    def post(self, url, data, login="seeker"):
        self.authenticate(login, login)
        return self.url_open(url, data=data, allow_redirects=False)

    def test_forged_posts_are_refused(self):
        url = f"/my/referrals/{self.referral.id}/status"
        csrf = http.Request.csrf_token
        cases = [
            ("no CSRF token", {"state": "cancelled"}, 400),
            ("wrong CSRF token", {"state": "cancelled", "csrf_token": "x" * 40}, 400),
            ("staff state", {"state": "accepted", "csrf_token": None}, 400),
            ("no state", {"csrf_token": None}, 400),
            (
                "script in state",
                {"state": "<script>alert(1)</script>", "csrf_token": None},
                400,
            ),
        ]
        for what, data, status in cases:
            with self.subTest(case=what):
                self.authenticate("seeker", "seeker")
                if "csrf_token" in data and data["csrf_token"] is None:
                    data = {**data, "csrf_token": csrf(self)}
                response = self.url_open(url, data=data, allow_redirects=False)
                self.assertEqual(response.status_code, status)
                self.assertNotIn("<script>alert(1)", response.text)
        self.assertEqual(self.referral.state, "sent")
        self.assertEqual(len(self.referral.status_log_ids), 1)

    def test_forged_token_is_refused(self):
        self.authenticate(None, None)
        response = self.url_open(
            f"/my/referrals/{self.referral.id}/status",
            data={
                "state": "completed",
                "access_token": "forged",
                "csrf_token": http.Request.csrf_token(self),
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.referral.state, "sent")
