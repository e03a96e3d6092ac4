from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import (
    AccessDenied,
    AccessError,
    RedirectWarning,
    UserError,
    ValidationError,
)
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

from .common import CareCase, company_b_care_user, new_appointment


class DoorsCase(CareCase):
    """A client with a guardian who logs into the portal, and a person to invite."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.guardian_user = new_test_user(
            cls.env,
            login="door_guardian",
            name="Dina Door",
            email="dina@example.com",
            groups="base.group_portal",
        )
        cls.dina = cls.guardian_user.partner_id
        cls.wardship = cls.relate(cls.adult, cls.dina, cls.type_guardian)
        cls.newcomer = cls.Partner.create(
            {"name": "Nell Newcomer", "email": "nell@example.com"}
        )
        cls.ten_years_ago = cls.today - relativedelta(years=10)

    def call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )


@tagged("post_install", "-at_install")
class TestSmallDoors(DoorsCase):
    """Item 8: the portal rule, a deleted grant, the context and the searches."""

    def test_portal_rule_on_relations_is_read_only(self):
        rule = self.env.ref("care_network.care_relation_rule_portal")
        self.assertEqual(
            (rule.perm_read, rule.perm_write, rule.perm_create, rule.perm_unlink),
            (True, False, False, False),
        )
        relation = self.wardship.with_user(self.guardian_user)
        self.assertTrue(relation.read(["can_view_profile"])[0]["can_view_profile"])
        with self.assertRaises(AccessError):
            relation.write({"can_view_profile": False, "date_end": self.today})
        with self.assertRaises(AccessError):
            relation.unlink()
        self.assertTrue(self.wardship.can_view_profile)

    def test_deleting_the_last_granting_relation_ends_the_portal_login(self):
        self.wardship.with_user(self.care_user).unlink()
        user = self.guardian_user.with_context(active_test=False)
        self.assertFalse(user.active, "the login is archived, as Revoke Access does")
        self.assertFalse(user.has_group("base.group_portal"))
        self.assertEqual(self.dina._care_portal_state(), "revoked")
        with self.assertRaises(AccessDenied):
            self.env["res.users"].authenticate(
                self.env.cr.dbname,
                {
                    "login": "door_guardian",
                    "password": "door_guardian",
                    "type": "password",
                },
                {"interactive": False},
            )
        self.assertTrue(
            self.adult.message_ids.filtered(
                lambda m: "Portal login of Dina Door removed" in m.body
            ),
            "the client's chatter says why",
        )

    def test_deleting_one_of_two_grants_keeps_the_portal_login(self):
        other = self.relate(self.minor, self.dina, self.type_responsible)
        self.wardship.with_user(self.care_user).unlink()
        self.assertTrue(self.guardian_user.active)
        self.assertEqual(self.dina._care_portal_state(), "portal")
        other.with_user(self.care_user).unlink()
        self.assertFalse(self.guardian_user.with_context(active_test=False).active)

    def test_deleting_the_client_deletes_what_the_addon_kept_of_it(self):
        """Its relations, goals, consents and forms go through the ORM, not
        their columns' SQL cascade: their messages and files go too (none is
        left for a document that no longer exists), and a guardian whose last
        grant it was loses the portal login."""
        goal = self.env["care.goal"].create(
            {"name": "Walk again", "seeker_id": self.adult.id}
        )
        consent = self.env["care.consent"].create(
            {
                "client_id": self.adult.id,
                "scope": "sms_reminders",
                "given_by_id": self.adult.id,
            }
        )
        answer = self.env["survey.user_input"].create(
            {
                "survey_id": self.env["survey.survey"].create({"title": "Intake"}).id,
                "care_client_id": self.adult.id,
            }
        )
        records = (self.wardship, goal, consent, answer)
        for record in records:
            record.message_post(
                body="Hip surgery in March",
                message_type="comment",
                attachment_ids=self.env["ir.attachment"]
                .create(
                    {
                        "name": "hip.pdf",
                        "raw": b"x-ray",
                        "res_model": record._name,
                        "res_id": record.id,
                    }
                )
                .ids,
            )
        kept = [(record._name, record.id) for record in (*records, self.adult)]
        self.adult.unlink()
        for model, res_id in kept:
            where = [("model", "=", model), ("res_id", "=", res_id)]
            self.assertFalse(self.env["mail.message"].search(where), model)
            self.assertFalse(
                self.env["ir.attachment"].search(
                    [("res_model", "=", model), ("res_id", "=", res_id)]
                ),
                model,
            )
        self.assertFalse(
            self.env["mail.message"].search([("body", "ilike", "Hip surgery")])
        )
        self.assertFalse(self.guardian_user.with_context(active_test=False).active)

    def test_a_contact_with_a_login_is_refused_by_odoos_own_message(self):
        """Odoo's refusals come before the care records go: deleting the
        guardian's relation (her last grant) first would archive the login that
        Odoo's check looks for, and the delete would end in a database error."""
        with self.assertRaisesRegex(RedirectWarning, "linked to an active user"):
            self.dina.unlink()
        with self.assertRaises(AccessError):
            self.adult.with_user(self.internal_user).unlink()

    def test_a_deleter_deletes_no_care_record_their_rules_keep(self):
        """Deleting a contact deletes its care records as superuser once the
        deleting user's own rules allow it: company B's care user may not
        delete company A's relation of a shared client, a care user may not
        delete consents (managers may). The refusal names no care record."""
        self.wardship.company_id = self.env.company
        self.env["care.goal"].create(
            {"name": "Leave Hidden Street", "seeker_id": self.adult.id}
        )
        staff_b = company_b_care_user(self.env, "deleter_b")
        with self.assertRaisesRegex(AccessError, "Archive them instead") as refusal:
            self.adult.with_user(staff_b).unlink()
        self.assertNotIn("Hidden Street", str(refusal.exception))
        client = self.Partner.create({"name": "Cleo Consenting"})
        self.relate(client, self.newcomer, self.type_sibling)
        consent = self.env["care.consent"].create(
            {"client_id": client.id, "scope": "sms_reminders", "given_by_id": client.id}
        )
        with self.assertRaisesRegex(AccessError, "Cleo Consenting cannot be deleted"):
            client.with_user(self.care_user).unlink()
        consent.unlink()
        client.with_user(self.care_user).unlink()
        self.assertFalse(client.exists(), "its relation was the care user's to delete")

    def test_contact_users_without_the_addon_still_delete_and_merge_contacts(self):
        """Only the care records found are checked: a user of Odoo's contacts
        without the addon's groups deletes a contact with none, and a care user
        merges a duplicate into a client (its records have moved by then)."""
        contacts_user = new_test_user(
            self.env, login="contacts_only", groups="base.group_partner_manager"
        )
        stranger = self.Partner.create({"name": "Stan Stranger"})
        stranger.with_user(contacts_user).unlink()
        self.assertFalse(stranger.exists())
        duplicate = self.Partner.create(
            {"name": "Ada Adult", "email": "ada@example.com"}
        )
        self.relate(duplicate, self.newcomer, self.type_sibling)
        partners = self.adult | duplicate
        designer = self.env.ref(
            "website.group_website_designer", raise_if_not_found=False
        )
        if designer:  # beside website, Odoo's merge reads the contacts' visitors
            self.care_user.groups_id |= designer
        self.env["base.partner.merge.automatic.wizard"].with_user(
            self.care_user
        ).with_context(active_model="res.partner", active_ids=partners.ids).create(
            {
                "dst_partner_id": self.adult.id,
                "partner_ids": [Command.set(partners.ids)],
            }
        ).action_merge()
        self.assertFalse(duplicate.exists())
        self.assertIn(self.newcomer, self.adult.care_relation_ids.related_partner_id)

    def test_odoos_uninstall_key_skips_no_deletion_rule(self):
        """Odoo skips the ondelete rules under MODULE_UNINSTALL_FLAG, a context
        key any caller may send: the addon's rules step aside only for an
        administrator's uninstall."""
        flag = {MODULE_UNINSTALL_FLAG: True}
        self.wardship.company_id = self.env.company
        staff_b = company_b_care_user(self.env, "flag_deleter_b")
        with self.assertRaisesRegex(AccessError, "Archive them instead"):
            self.adult.with_user(staff_b).with_context(**flag).unlink()
        appointment = new_appointment(self.env, "Speech therapy", self.adult)
        reminder = self.env["care.reminder"].create(
            {
                "event_id": appointment.id,
                "event_start": appointment.start,
                "member_id": self.dina.id,
                "client_ids": [Command.set(self.adult.ids)],
            }
        )
        kept_copy = self.env["mail.message"].create(
            {
                "model": "care.reminder",
                "res_id": reminder.id,
                "body": "Reminder: Speech therapy at 12 Harbour Street",
                "message_type": "user_notification",
                "reply_to": "care@example.com",
            }
        )
        appointment.with_user(self.care_user).with_context(**flag).unlink()
        self.assertFalse(reminder.exists(), "through the ORM")
        self.assertFalse(kept_copy.exists(), "with its copies, deleted as superuser")

    def test_merging_needs_the_right_to_change_the_merged_care_records(self):
        """Odoo's merge moves the care records in SQL, then deletes the merged
        contact: company B's care user may not move company A's relation of a
        shared client into another contact."""
        duplicate = self.Partner.create({"name": "Ada A.", "email": "ada@example.com"})
        relation = self.relate(duplicate, self.newcomer, self.type_sibling)
        relation.company_id = self.env.company
        staff_b = company_b_care_user(self.env, "merger_b")
        partners = self.adult | duplicate
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(staff_b)
            .with_context(active_model="res.partner", active_ids=partners.ids)
            .create(
                {
                    "dst_partner_id": self.adult.id,
                    "partner_ids": [Command.set(partners.ids)],
                }
            )
        )
        with self.assertRaisesRegex(AccessError, "cannot be merged"):
            wizard.action_merge()
        relation.company_id = False
        self.relate(
            self.adult, self.newcomer, self.type_emergency
        ).company_id = self.env.company
        with self.assertRaisesRegex(AccessError, "cannot be merged"):
            wizard.action_merge()  # the kept contact's relations are folded too

    def test_a_context_key_already_set_does_not_break_create(self):
        relation = (
            self.Relation.with_user(self.care_user)
            .with_context(mail_create_nolog=False, mail_create_nosubscribe=False)
            .create(
                {
                    "partner_id": self.adult.id,
                    "related_partner_id": self.newcomer.id,
                    "type_id": self.type_sibling.id,
                }
            )
        )
        self.assertEqual(relation.partner_id, self.adult)

    def test_unsupported_operators_on_the_helping_searches_are_user_errors(self):
        Partner = self.Partner.with_user(self.care_user)
        for fname in ("care_helped_by_me", "care_referral_attention"):
            with self.assertRaises(UserError, msg=fname):
                Partner.search([(fname, "in", [1, 2])])
            Partner.search([(fname, "=", True)])


@tagged("post_install", "-at_install")
class TestDoorsOverRpc(HttpCase, DoorsCase):
    """API clients: call_kw as a care user, or as the guardian."""

    def test_rpc_create_with_send_invite_sends_it_at_once(self):
        self.authenticate("care_user", "care_user")
        [relation_id] = self.call_kw(
            "care.relation",
            "create",
            [
                [
                    {
                        "partner_id": self.adult.id,
                        "related_partner_id": self.newcomer.id,
                        "type_id": self.type_parent.id,
                        "send_portal_invitation": True,
                    }
                ]
            ],
        )
        relation = self.Relation.browse(relation_id)
        self.assertFalse(relation.pending_portal_invitation, "nothing left pending")
        self.assertEqual(relation.related_portal_state, "portal")
        user = self.newcomer.user_ids
        self.assertTrue(user.has_group("base.group_portal"), "the login is given")
        self.assertTrue(
            relation.message_ids.filtered(
                lambda m: "Portal invitation sent to Nell Newcomer" in m.body
            )
        )

    def test_the_web_clients_form_defers_to_the_dialog(self):
        relation = (
            self.Relation.with_user(self.care_user)
            .with_context(care_invitation_dialog=True)
            .create(
                {
                    "partner_id": self.adult.id,
                    "related_partner_id": self.newcomer.id,
                    "type_id": self.type_parent.id,
                    "send_portal_invitation": True,
                }
            )
        )
        self.assertTrue(relation.pending_portal_invitation)
        self.assertEqual(relation.related_portal_state, "invitable", "nothing granted")
        action = relation.with_user(self.care_user).care_pending_invitation_action()
        self.assertEqual(action["context"]["care_relation_ids"], relation.ids)

    def test_rpc_search_with_an_unsupported_operator_is_a_clear_error(self):
        self.authenticate("care_user", "care_user")
        with self.assertRaises(JsonRpcException) as refused:
            self.call_kw("res.partner", "search", [[("care_helped_by_me", "in", [1])]])
        self.assertEqual(str(refused.exception), "odoo.exceptions.UserError")

    def test_guardian_cannot_write_a_relation_over_rpc(self):
        self.authenticate("door_guardian", "door_guardian")
        with self.assertRaises(JsonRpcException) as refused:
            self.call_kw(
                "care.relation",
                "write",
                [self.wardship.ids, {"note": "Dina wrote this"}],
            )
        self.assertIn("AccessError", str(refused.exception))
        self.assertFalse(self.wardship.note)

    def test_the_guardian_reads_no_team_note_over_rpc(self):
        self.wardship.note = "Team only: father under investigation"
        self.authenticate("door_guardian", "door_guardian")
        rows = self.call_kw("care.relation", "search_read", [[]], {"fields": []})
        self.assertIn(self.wardship.id, [row["id"] for row in rows])
        self.assertNotIn("note", rows[0])
        self.assertNotIn("father under investigation", str(rows))
        with self.assertRaises(JsonRpcException) as refused:
            self.call_kw("care.relation", "search_read", [[]], {"fields": ["note"]})
        self.assertIn("AccessError", str(refused.exception))


@tagged("post_install", "-at_install")
class TestFeaturesMeet(DoorsCase):
    """Integrity where features meet: the circle list and a minor, the emergency
    type, the invitation dialog."""

    def guardian_row(self, **values):
        return Command.create(
            {
                "related_partner_id": self.guardian.id,
                "type_id": self.type_guardian.id,
                **values,
            }
        )

    # --- I1: a minor and her guardian saved together -----------------------------
    def test_minor_and_guardian_in_one_create_through_relations(self):
        minor = self.Partner.with_user(self.care_user).create(
            {
                "name": "Rosa Relations",
                "birthdate": self.ten_years_ago,
                "is_care_client": True,
                "care_relation_ids": [self.guardian_row()],
            }
        )
        self.assertEqual(minor.care_relation_ids.related_partner_id, self.guardian)

    def test_minor_and_guardian_in_one_save_of_a_new_contacts_form(self):
        form = Form(self.Partner.with_user(self.care_user))
        form.name = "Carla Circle"
        form.care_role_ids.add(self.role_client)
        form.birthdate = self.ten_years_ago
        self.assertTrue(form.care_missing_guardian_now)
        with form.care_first_relation_ids.new() as row:
            row.type_id = self.type_guardian
            row.related_partner_id = self.guardian
        self.assertFalse(form.care_missing_guardian_now, "the form sees the guardian")
        minor = form.save()
        self.assertEqual(minor.care_relation_ids.related_partner_id, self.guardian)
        self.assertFalse(minor.care_missing_guardian_now)

    def test_minor_and_guardian_in_one_write_through_relations(self):
        contact = self.Partner.create({"name": "Wendy Write"})
        contact.with_user(self.care_user).write(
            {
                "birthdate": self.ten_years_ago,
                "is_care_client": True,
                "care_relation_ids": [self.guardian_row()],
            }
        )
        self.assertTrue(contact.is_minor and contact.is_care_client)
        self.assertEqual(contact.care_relation_ids.related_partner_id, self.guardian)

    def test_first_relations_read_back_nothing(self):
        """The new contact's list reads nothing back, whoever asks and however:
        a saved contact's relations are in its circle only."""
        sparse = self.Partner.create({"name": "Sparse Sam"})
        self.relate(sparse, self.guardian, self.type_guardian)
        for user in (self.care_user, self.env.user):
            client = sparse.with_user(user)
            client.invalidate_recordset()
            self.assertFalse(client.care_first_relation_ids, user.login)
            [values] = client.web_read(
                {"care_first_relation_ids": {"fields": {"type_id": {}}}}
            )
            self.assertEqual(values["care_first_relation_ids"], [])
            self.assertEqual(len(client.care_circle_ids), 1)

    def test_first_relations_are_written_as_relations(self):
        """Writing through the list is writing relations: their own rules hold."""
        staff_b = company_b_care_user(self.env, "doors_b")
        theirs = self.Partner.create(
            {"name": "Bo B-Client", "company_id": staff_b.company_id.id}
        )
        ours = self.relate(self.adult, self.guardian, self.type_sibling)
        with self.assertRaises(AccessError):
            theirs.with_user(staff_b).write(
                {"care_first_relation_ids": [Command.link(ours.id)]}
            )
        self.assertEqual(ours.partner_id, self.adult, "nothing moved")
        with self.assertRaises(AccessError):
            self.adult.with_user(self.guardian_user).write(
                {
                    "care_first_relation_ids": [
                        Command.create(
                            {
                                "related_partner_id": self.dina.id,
                                "type_id": self.type_guardian.id,
                            }
                        )
                    ]
                }
            )

    def test_a_minor_without_guardian_is_still_refused(self):
        with self.assertRaisesRegex(ValidationError, "is a minor"):
            self.Partner.with_user(self.care_user).create(
                {
                    "name": "Lena Lonely",
                    "birthdate": self.ten_years_ago,
                    "is_care_client": True,
                    "care_relation_ids": [
                        Command.create(
                            {
                                "related_partner_id": self.other_parent.id,
                                "type_id": self.type_sibling.id,
                            }
                        )
                    ],
                }
            )

    def test_minor_and_guardian_in_the_partner_form(self):
        # A contact becomes a minor client, her guardian added first (the
        # contact wizard), then her role and birthdate in the form.
        contact = self.Partner.create({"name": "Fiona Form"})
        self.add_contact(
            contact,
            self.type_guardian,
            user=self.care_user,
            related_partner_id=self.guardian.id,
        )
        form = Form(contact.with_user(self.care_user))
        form.care_role_ids.add(self.role_client)
        form.birthdate = self.ten_years_ago
        minor = form.save()
        self.assertTrue(minor.is_minor and minor.is_care_client)
        self.assertEqual(minor.care_relation_ids.related_partner_id, self.guardian)
        self.assertEqual(minor.care_relation_ids.type_id, self.type_guardian)

    # --- I2: the emergency type ticks the emergency flag ---------------------------
    def test_emergency_type_ticks_the_flag_in_the_form(self):
        form = Form(
            self.Relation.with_user(self.care_user).with_context(
                default_partner_id=self.adult.id
            )
        )
        self.assertFalse(form.is_emergency_contact)
        form.type_id = self.type_emergency
        self.assertTrue(form.is_emergency_contact)
        form.related_partner_id = self.newcomer
        self.assertTrue(form.save().is_emergency_contact)

    def test_emergency_type_ticks_the_flag_in_create(self):
        emergency, sibling = self.Relation.with_user(self.care_user).create(
            [
                {
                    "partner_id": self.adult.id,
                    "related_partner_id": self.newcomer.id,
                    "type_id": self.type_emergency.id,
                },
                {
                    "partner_id": self.adult.id,
                    "related_partner_id": self.other_parent.id,
                    "type_id": self.type_sibling.id,
                },
            ]
        )
        self.assertTrue(emergency.is_emergency_contact)
        self.assertFalse(sibling.is_emergency_contact)
        sibling.type_id = self.type_emergency
        self.assertTrue(sibling.is_emergency_contact, "choosing the type later too")

    # --- I3: the invitation dialog -----------------------------------------------
    def invitation(self, client, **context):
        action = client.with_user(self.care_user).action_open_care_portal_invitation()
        return (
            self.env["care.portal.invitation"]
            .with_user(self.care_user)
            .with_context(action["context"], **context)
            .create({})
        )

    def test_the_notice_names_who_was_skipped_for_lack_of_an_email(self):
        no_mail = self.Partner.create({"name": "Pia Nomail"})
        relation = self.relate(self.adult, no_mail, self.type_guardian)
        dialog = self.invitation(self.adult, care_relation_ids=relation.ids)
        line = dialog.line_ids.filtered(lambda line: line.partner_id == no_mail)
        self.assertFalse(line.invite, "no e-mail: unticked")
        message = dialog.action_skip()["params"]["message"]
        self.assertIn("Skipped, no e-mail address: Pia Nomail.", message)

    def test_invite_to_portal_pre_ticks_only_who_asks_for_an_invitation(self):
        parent = self.relate(
            self.adult, self.newcomer, self.type_parent, can_view_profile=True
        )
        guardian = self.relate(self.adult, self.other_parent, self.type_guardian)
        dialog = self.invitation(self.adult)
        ticked = dialog.line_ids.filtered("invite").partner_id
        self.assertIn(self.adult, ticked, "the client")
        self.assertIn(guardian.related_partner_id, ticked, "a type that invites")
        self.assertIn(parent.related_partner_id, dialog.line_ids.partner_id)
        self.assertNotIn(
            parent.related_partner_id, ticked, "access granted, no invitation asked"
        )
        dialog.action_skip()
        self.assertEqual(self.newcomer._care_portal_state(), "invitable")

    def test_after_saving_with_send_invite_that_relation_is_ticked(self):
        relation = (
            self.Relation.with_user(self.care_user)
            .with_context(care_invitation_dialog=True)
            .create(
                {
                    "partner_id": self.adult.id,
                    "related_partner_id": self.newcomer.id,
                    "type_id": self.type_parent.id,
                    "send_portal_invitation": True,
                }
            )
        )
        action = self.adult.with_user(self.care_user).care_pending_invitation_action()
        dialog = (
            self.env["care.portal.invitation"]
            .with_user(self.care_user)
            .with_context(**action["context"])
            .create({})
        )
        line = dialog.line_ids.filtered(lambda line: line.relation_id == relation)
        self.assertTrue(line.invite, "saved with Send invite: ticked")
