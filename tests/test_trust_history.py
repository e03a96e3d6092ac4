from collections import Counter

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from ..models.care_referral_status_log import _ERASE
from .common_referral import ReferralCase

# A staff-only log note, and a message the family is meant to read.
SECRET = "Probation officer called about the father"
SHARED = "Bring your ID card on Monday"


@tagged("post_install", "-at_install")
class TestTrustHistory(HttpCase, ReferralCase):
    """The referral's history through every door: staff-only notes stay with
    staff, a deleted note leaves no text, and no context key moves a referral or
    skips the access log."""

    # The pages and RPC calls below run on a read/write cursor (the access log
    # rows of a read-only one are written after it, and dropped in tests).
    readonly_enabled = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.referral = cls.make_referral()
        cls.referral.with_user(cls.helper).sudo(False).set_state("sent")
        as_helper = cls.referral.with_user(cls.helper).sudo(False)
        # "Log note" in the chatter: internal.
        cls.secret = as_helper.message_post(
            body=SECRET, message_type="comment", subtype_xmlid="mail.mt_note"
        )
        # "Send message": for the seeker's side too.
        cls.shared = as_helper.message_post(
            body=SHARED, message_type="comment", subtype_xmlid="mail.mt_comment"
        )

    # --- helpers ----------------------------------------------------------------
    def rpc(self, login, model, method, args, kwargs=None):
        self.authenticate(login, login)
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def page(self, login=None, token=None):
        self.authenticate(login, login)
        url = f"/my/referrals/{self.referral.id}"
        if token:
            url += f"?access_token={token}"
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, 200)
        return response.text

    def guardian_history_notes(self):
        rows = self.rpc(
            "guardian_portal",
            "care.referral.status.log",
            "search_read",
            [[("referral_id", "=", self.referral.id)]],
            {"fields": ["note", "kind"]},
        )
        return [row["note"] or "" for row in rows]

    def staff_history_notes(self, user=None):
        referral = self.referral.with_user(user or self.helper).sudo(False)
        referral.invalidate_recordset()
        return referral.history_ids.mapped(lambda log: log.note or "")

    # --- 1. staff-only notes never reach the portal -------------------------------
    def test_staff_still_see_the_log_note_in_the_history(self):
        for user in (self.helper, self.teammate, self.claimer, self.care_manager):
            self.assertIn(SECRET, self.staff_history_notes(user), user.login)
        row = self.referral.history_ids.filtered(lambda log: log.note == SECRET)
        self.assertTrue(row.is_internal)
        self.assertEqual(row.message_id, self.secret)
        shared = self.referral.history_ids.filtered(lambda log: log.note == SHARED)
        self.assertFalse(shared.is_internal)

    def test_guardian_rpc_reads_no_log_note(self):
        notes = self.guardian_history_notes()
        self.assertIn(SHARED, notes, "the guardian reads the shared history")
        self.assertNotIn(SECRET, notes)
        # The referral's one2many, and the ORM as the guardian.
        [referral] = self.rpc(
            "guardian_portal",
            "care.referral",
            "read",
            [[self.referral.id], ["history_ids"]],
        )
        Log = self.env["care.referral.status.log"].with_user(self.guardian_user)
        rows = Log.browse(referral["history_ids"])
        self.assertNotIn(SECRET, rows.mapped("note"))
        self.assertNotIn(
            SECRET,
            [r["note"] for r in Log.search_read([], ["note"])],
        )
        self.assertFalse(Log.search([("is_internal", "=", True)]))
        # Nor the chatter message itself.
        messages = self.rpc(
            "guardian_portal",
            "mail.message",
            "search_read",
            [[("model", "=", "care.referral"), ("res_id", "=", self.referral.id)]],
            {"fields": ["body"]},
        )
        bodies = " ".join(message["body"] or "" for message in messages)
        self.assertIn(SHARED, bodies)
        self.assertNotIn(SECRET, bodies)

    def test_seeker_rpc_reads_no_log_note(self):
        Log = self.env["care.referral.status.log"].with_user(self.seeker_user)
        notes = Log.search([("referral_id", "=", self.referral.id)]).mapped("note")
        self.assertIn(SHARED, notes)
        self.assertNotIn(SECRET, notes)

    def test_guardian_page_shows_no_log_note(self):
        text = self.page("guardian_portal")
        self.assertIn(SHARED, text)
        self.assertNotIn(SECRET, text)

    def test_emailed_link_shows_no_log_note(self):
        text = self.page(token=self.referral.access_token)
        self.assertIn(SHARED, text)
        self.assertNotIn(SECRET, text)

    def test_a_note_made_internal_later_leaves_the_portal(self):
        # Odoo's portal chatter lets staff flip a message to "internal".
        self.shared.with_user(self.helper).write({"is_internal": True})
        self.assertNotIn(SHARED, self.guardian_history_notes())
        self.assertNotIn(SHARED, self.page("guardian_portal"))
        self.assertIn(SHARED, self.staff_history_notes())

    # --- 2. a deleted note leaves no text ---------------------------------------
    def test_author_deletes_a_log_note(self):
        as_helper = self.referral.with_user(self.helper).sudo(False)
        as_helper._message_update_content(self.secret, body="", attachment_ids=[])
        for user in (self.helper, self.care_manager):
            notes = self.staff_history_notes(user)
            self.assertNotIn(SECRET, " ".join(notes), user.login)
        row = self.referral.history_ids.filtered(
            lambda log: log.message_id == self.secret
        )
        self.assertIn("Note deleted by Hana H.", row.note)
        self.assertTrue(row.is_internal, "still a staff row")

    def test_author_deletes_a_shared_note_over_http(self):
        self.authenticate("helper", "helper")
        self.make_jsonrpc_request(
            "/mail/message/update_content",
            {"message_id": self.shared.id, "body": "", "attachment_ids": []},
        )
        self.assertTrue(self.shared.sudo()._filter_empty(), "the message is deleted")
        self.assertNotIn(SHARED, " ".join(self.staff_history_notes()))
        self.assertNotIn(SHARED, " ".join(self.guardian_history_notes()))
        text = self.page("guardian_portal")
        self.assertNotIn(SHARED, text)
        self.assertIn("Note deleted by Hana H.", text)
        self.assertNotIn(SHARED, self.page(token=self.referral.access_token))

    def test_a_removed_message_leaves_no_text(self):
        self.shared.sudo().unlink()
        self.assertNotIn(SHARED, " ".join(self.staff_history_notes()))
        self.assertNotIn(SHARED, " ".join(self.guardian_history_notes()))

    def test_erasing_the_client_erases_the_notes_copies(self):
        self.force_state(self.referral, "completed", outcome="got_help")
        self.seeker.with_user(self.care_manager).action_erase_care_data()
        notes = " ".join(self.staff_history_notes(self.care_manager))
        self.assertNotIn(SECRET, notes)
        self.assertNotIn(SHARED, notes)

    def test_an_upgrade_links_the_old_rows_to_their_notes(self):
        # Rows written before they kept their message: unlinked, visible.
        deleted = (
            self.referral.with_user(self.helper)
            .sudo(False)
            .message_post(body="Old private detail", message_type="comment")
        )
        rows = self.referral.history_ids.filtered(lambda log: log.kind == "note")
        rows.with_context(care_log_erase=_ERASE).write(
            {"message_id": False, "is_internal": False}
        )
        deleted.sudo().write({"body": ""})  # deleted before the fix: text kept
        self.assertIn("Old private detail", self.guardian_history_notes())
        linked = self.env["care.referral.status.log"]._care_link_notes_to_messages()
        self.assertEqual(linked, rows)
        self.assertEqual(
            set(rows.message_id.ids), {self.secret.id, self.shared.id, deleted.id}
        )
        notes = self.guardian_history_notes()
        self.assertIn(SHARED, notes)
        self.assertNotIn(SECRET, notes)
        self.assertNotIn("Old private detail", " ".join(self.staff_history_notes()))

    # --- 5. no context key is a capability --------------------------------------
    def test_care_set_state_moves_nothing_through_the_orm(self):
        rows = len(self.referral.history_ids)
        as_helper = self.referral.with_user(self.helper).sudo(False)
        for vals in ({"state": "completed"}, {"outcome": "got_help"}):
            with self.assertRaisesRegex(UserError, "status buttons"):
                as_helper.with_context(care_set_state=True).write(vals)
        self.assertEqual((self.referral.state, self.referral.outcome), ("sent", False))
        self.assertEqual(len(self.referral.history_ids), rows, "no history row")

    def test_care_set_state_moves_nothing_over_json_rpc(self):
        rows = len(self.referral.history_ids)
        with self.assertRaises(Exception) as refused:
            self.rpc(
                "helper",
                "care.referral",
                "write",
                [[self.referral.id], {"state": "completed", "outcome": "got_help"}],
                {"context": {"care_set_state": True}},
            )
        self.assertIn("UserError", str(refused.exception))
        self.referral.invalidate_recordset()
        self.assertEqual((self.referral.state, self.referral.outcome), ("sent", False))
        self.assertEqual(len(self.referral.history_ids), rows, "no history row")

    def test_context_defaults_create_no_moved_referral(self):
        values = {
            "seeker_id": self.seeker.id,
            "program_id": self.program.id,
            "team_id": self.sharing_team.id,
            "consent": True,
        }
        referral_id = self.rpc(
            "helper",
            "care.referral",
            "create",
            [values],
            {
                "context": {
                    "default_state": "completed",
                    "default_outcome": "got_help",
                    "default_access_token": "chosen-by-the-helper",
                }
            },
        )
        referral = self.env["care.referral"].browse(referral_id)
        self.assertEqual((referral.state, referral.outcome), ("draft", False))
        self.assertNotEqual(referral.access_token, "chosen-by-the-helper")
        self.assertTrue(referral.access_token, "its own link")
        self.assertFalse(referral.history_ids)

    def test_a_care_user_sets_no_link_token(self):
        Referral = self.env["care.referral"].with_user(self.helper)
        token = self.referral.access_token
        # The seeker's link, then the program's: each would let the helper answer
        # as the seeker or as the program.
        for vals in (
            {"access_token": "chosen-by-the-helper"},
            {"provider_token": "chosen", "provider_token_program_id": self.program.id},
        ):
            with self.assertRaises(Exception) as refused:
                self.rpc("helper", "care.referral", "write", [[self.referral.id], vals])
            self.assertRegex(str(refused.exception), "UserError|AccessError")
            with self.assertRaises(UserError):
                Referral.create(
                    {"seeker_id": self.seeker.id, "program_id": self.program.id, **vals}
                )
        self.referral.invalidate_recordset()
        self.assertEqual(self.referral.access_token, token)
        self.assertNotEqual(self.referral.sudo().provider_token, "chosen")

    def test_care_log_append_forges_no_history(self):
        values = {"referral_id": self.referral.id, "state_to": "completed"}
        Log = self.env["care.referral.status.log"]
        with self.assertRaises(Exception) as refused:
            self.rpc(
                "care_manager",
                "care.referral.status.log",
                "create",
                [values],
                {"context": {"care_log_append": True}},
            )
        self.assertRegex(str(refused.exception), "AccessError|UserError")
        # Even server code running as superuser: the key alone is nothing.
        with self.assertRaisesRegex(UserError, "written by status moves only"):
            Log.sudo().with_context(care_log_append=True).create(values)
        self.assertFalse(
            Log.sudo().search(
                [("referral_id", "=", self.referral.id), ("state_to", "=", "completed")]
            )
        )

    def test_care_preview_skips_no_access_log(self):
        self.env["ir.config_parameter"].set_param(
            "care_network.log_staff_reads", "True"
        )
        self.rpc(
            "helper",
            "res.partner",
            "web_read",
            [[self.seeker.id]],
            {"specification": {"name": {}}, "context": {"care_preview": True}},
        )
        rows = self.env["care.access.log"].search(
            [("user_id", "=", self.helper.id), ("client_id", "=", self.seeker.id)]
        )
        self.assertEqual(rows.mapped("what"), ["profile"], "the read is logged")

    # --- integrity ----------------------------------------------------------------
    def test_status_log_field_labels_are_unique(self):
        labels = Counter(
            field.string
            for field in self.env["care.referral.status.log"]._fields.values()
        )
        self.assertEqual([label for label, n in labels.items() if n > 1], [])
