from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import company_b_care_user
from .common_forms import FormCase


@tagged("post_install", "-at_install")
class TestFormSending(FormCase):
    def wizard(self, **values):
        return (
            self.env["care.form.send"]
            .with_user(self.helper)
            .create(
                {"client_id": self.seeker.id, "survey_id": self.intake.id, **values}
            )
        )

    def answers_of(self, client):
        return self.env["survey.user_input"].search(
            [("care_client_id", "=", client.id)]
        )

    def test_recipients_are_the_client_and_current_circle_with_email(self):
        no_mail = self.Partner.create({"name": "Nell Nomail"})
        former = self.Partner.create(
            {"name": "Fran Former", "email": "fran@example.com"}
        )
        self.relate(self.seeker, no_mail, self.type_friend())
        self.relate(
            self.seeker,
            former,
            self.type_emergency,
            date_start="2020-01-01",
            date_end="2021-01-01",
        )
        allowed = self.wizard().allowed_recipient_ids
        self.assertEqual(
            allowed,
            self.seeker | self.guardian_partner | self.responsible_user.partner_id,
        )

    def test_send_ties_the_answer_to_the_client_and_relation(self):
        self.env["mail.mail"].search([]).unlink()
        answer = self.send_form(self.intake, self.guardian_partner)
        self.assertEqual(answer.care_client_id, self.seeker)
        self.assertEqual(answer.care_relation_id, self.guardian_relation)
        self.assertEqual(answer.partner_id, self.guardian_partner)
        self.assertEqual(answer.state, "new")
        self.assertTrue(answer.care_shared, "the form's default: shared")
        self.assertEqual(answer.care_recipient_role, "Greg Guardian (Legal Guardian)")
        mail = self.env["mail.mail"].search([("model", "=", "survey.user_input")])
        self.assertEqual(mail.recipient_ids, self.guardian_partner)
        self.assertIn(answer.access_token, mail.body_html)
        self.assertIn("about", mail.body_html)
        self.assertIn("Sam Seeker", mail.subject)
        notes = self.seeker.message_ids.mapped("body")
        self.assertTrue(
            any("Test intake" in body and "sent to" in body for body in notes)
        )

    def test_one_send_is_one_answer_for_one_recipient(self):
        before = self.answers_of(self.seeker)
        self.send_form(self.intake, self.seeker)
        created = self.answers_of(self.seeker) - before
        self.assertEqual(len(created), 1)
        self.assertEqual(created.partner_id, self.seeker)
        self.assertFalse(created.care_relation_id, "the client receives it directly")

    def test_someone_outside_the_circle_is_refused(self):
        before = self.answers_of(self.seeker)
        with self.assertRaisesRegex(UserError, "not a current member of the circle"):
            self.wizard(recipient_id=self.stranger_user.partner_id.id).action_confirm()
        self.assertEqual(self.answers_of(self.seeker), before)

    def test_a_member_without_email_is_refused(self):
        no_mail = self.Partner.create({"name": "Nell Nomail"})
        self.relate(self.seeker, no_mail, self.type_friend())
        with self.assertRaisesRegex(UserError, "Nell Nomail has no e-mail address"):
            self.wizard(recipient_id=no_mail.id).action_confirm()

    def test_an_ended_relation_no_longer_receives_forms(self):
        self.guardian_relation.write(
            {
                "date_start": self.today.replace(year=self.today.year - 2),
                "date_end": self.today.replace(year=self.today.year - 1),
            }
        )
        with self.assertRaisesRegex(UserError, "not a current member"):
            self.wizard(recipient_id=self.guardian_partner.id).action_confirm()

    def test_an_internal_form_is_not_sent_to_the_portal(self):
        with self.assertRaisesRegex(UserError, "not an active client-facing care form"):
            self.wizard(
                survey_id=self.visit.id, recipient_id=self.seeker.id
            ).action_confirm()

    def test_dont_reach_out_sends_nothing(self):
        self.seeker.care_contact_preference = "none"
        with self.assertRaisesRegex(UserError, "asked not to be contacted"):
            self.wizard(recipient_id=self.guardian_partner.id).action_confirm()

    def test_send_from_a_relation_row(self):
        action = self.guardian_relation.with_user(self.helper).action_send_care_form()
        wizard = (
            self.env["care.form.send"]
            .with_user(self.helper)
            .with_context(**action["context"])
            .create({"survey_id": self.intake.id})
        )
        self.assertEqual(wizard.client_id, self.seeker)
        self.assertEqual(wizard.recipient_id, self.guardian_partner)
        self.assertEqual(wizard.relation_id, self.guardian_relation)

    def test_completion_is_posted_on_the_client(self):
        answer = self.send_form(self.intake, self.guardian_partner)
        self.fill(answer)
        self.assertEqual(answer.state, "done")
        body = self.seeker.message_ids[:1].body
        self.assertIn("Test intake", body)
        self.assertIn("completed by Greg Guardian", body)

    def test_staff_fill_an_internal_form(self):
        wizard = (
            self.env["care.form.send"]
            .with_user(self.helper)
            .create(
                {
                    "client_id": self.seeker.id,
                    "survey_id": self.visit.id,
                    "mode": "fill",
                }
            )
        )
        action = wizard.action_confirm()
        answer = self.answers_of(self.seeker)
        self.assertEqual(answer.care_form_kind, "internal")
        self.assertEqual(answer.partner_id, self.helper.partner_id)
        self.assertFalse(answer.care_shared)
        self.assertEqual(action["url"], answer.get_start_url())

    def test_client_organisation_gathers_its_members_forms(self):
        family = self.Partner.create(
            {"name": "Seeker Family", "is_company": True, "care_group_kind": "family"}
        )
        self.relate(self.seeker, family, self.type_member)
        answer = self.send_form(self.intake, self.guardian_partner)
        family.invalidate_recordset()
        self.assertEqual(family.care_form_count, 1)
        domain = family.action_view_care_forms()["domain"]
        self.assertEqual(self.env["survey.user_input"].search(domain), answer)

    def test_export_and_erasure_of_the_forms(self):
        answer = self.fill(self.send_form(self.intake, self.guardian_partner), "Secret")
        data = self.seeker._care_data()
        self.assertEqual(data["forms"][0]["form"], "Test intake")
        self.assertEqual(data["forms"][0]["state"], "done")
        self.assertIn(
            {"question": "What do you need?", "answer": "Secret"},
            data["forms"][0]["answers"],
        )
        self.seeker.with_user(self.care_manager).action_erase_care_data()
        values = answer.user_input_line_ids.mapped(
            lambda line: line.value_char_box or line.value_text_box
        )
        self.assertEqual(set(values), {"[erased]"})

    @classmethod
    def type_friend(cls):
        return cls.env.ref("care_network.relation_type_friend")


@tagged("post_install", "-at_install")
class TestFormAccess(FormCase):
    """Who reads which answer, by the ORM (record rules)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.responsible_partner = cls.responsible_user.partner_id
        cls.to_guardian = cls.send_form(cls.intake, cls.guardian_partner)
        cls.private = cls.send_form(cls.intake, cls.guardian_partner, care_shared=False)
        cls.internal = cls.env["survey.user_input"].create(
            {
                "survey_id": cls.visit.id,
                "partner_id": cls.helper.partner_id.id,
                "care_client_id": cls.seeker.id,
                "care_shared": True,
            }
        )
        cls.all_answers = cls.to_guardian | cls.private | cls.internal

    def visible_to(self, user):
        Answer = self.env["survey.user_input"]
        if user._is_portal():
            # Portal users have no ACL on answers (issue #37): the portal serves them
            # the answers of _care_portal_answers.
            return Answer._care_portal_answers(
                user.partner_id, [("id", "in", self.all_answers.ids)]
            )
        return (
            Answer.with_user(user).search([("id", "in", self.all_answers.ids)]).sudo()
        )

    def test_recipient_reads_the_forms_sent_to_them(self):
        self.assertEqual(
            self.visible_to(self.guardian_user), self.to_guardian | self.private
        )

    def test_profile_grant_holder_reads_the_shared_forms_only(self):
        self.assertEqual(self.visible_to(self.responsible_user), self.to_guardian)
        relation = self.seeker.care_relation_ids.filtered(
            lambda r: r.related_partner_id == self.responsible_partner
        )
        relation.can_view_profile = False
        self.assertFalse(self.visible_to(self.responsible_user))

    def test_client_reads_the_shared_forms_of_their_own_file(self):
        self.assertEqual(self.visible_to(self.seeker_user), self.to_guardian)

    def test_recipient_loses_the_forms_when_the_relation_ends(self):
        relation = self.guardian_relation
        relation.write(
            {
                "date_start": self.today.replace(year=self.today.year - 2),
                "date_end": self.today.replace(year=self.today.year - 1),
            }
        )
        self.assertFalse(self.visible_to(self.guardian_user))

    def test_stranger_and_internal_users_read_nothing(self):
        self.assertFalse(self.visible_to(self.stranger_user))
        with self.assertRaises(AccessError):
            self.env["survey.user_input"].with_user(self.internal_user).search([])

    def test_internal_forms_never_reach_the_portal(self):
        for user in (self.guardian_user, self.responsible_user, self.seeker_user):
            self.assertNotIn(self.internal, self.visible_to(user))
        with self.assertRaises(AccessError):
            self.internal.with_user(self.seeker_user).read(["state"])

    def test_portal_users_cannot_change_an_answer(self):
        with self.assertRaises(AccessError):
            self.to_guardian.with_user(self.guardian_user).write({"care_shared": False})
        with self.assertRaises(AccessError):
            self.to_guardian.with_user(self.guardian_user).unlink()

    def test_care_users_read_and_send_managers_also_delete(self):
        self.assertEqual(self.visible_to(self.other_user), self.all_answers)
        self.private.with_user(self.other_user).write({"care_shared": True})
        with self.assertRaises(AccessError):
            self.private.with_user(self.other_user).unlink()
        self.private.with_user(self.care_manager).unlink()
        self.assertFalse(self.private.exists())

    def test_care_users_of_another_company_read_nothing(self):
        self.seeker.company_id = self.env.company
        user_b = company_b_care_user(self.env, "care_user_b")
        self.assertFalse(self.visible_to(user_b))

    def test_care_users_read_care_forms_only(self):
        other_survey = self.env["survey.survey"].create({"title": "Marketing poll"})
        Survey = self.env["survey.survey"].with_user(self.helper)
        self.assertIn(self.intake, Survey.search([]))
        self.assertNotIn(other_survey, Survey.search([]))
