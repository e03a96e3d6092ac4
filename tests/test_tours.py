import threading
import time
from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.bus.tests.common import WebsocketCase

from .common import tour_care_user


@tagged("post_install", "-at_install")
class TestTours(HttpCase):
    def test_care_user_opens_app(self):
        tour_care_user(self.env)
        self.start_tour("/odoo", "care_network_open_app", login="tour_care_user")

    def test_add_guardian_as_new_contact(self):
        tour_care_user(self.env)
        today = fields.Date.today()
        guardian = self.env["res.partner"].create({"name": "Former Guardian"})
        minor = self.env["res.partner"].create(
            {
                "name": "Tina Tour",
                "birthdate": today - relativedelta(years=9),
                "is_care_client": True,
                "care_relation_ids": [
                    (
                        0,
                        0,
                        {
                            "related_partner_id": guardian.id,
                            "type_id": self.env.ref(
                                "care_network.relation_type_guardian"
                            ).id,
                            "date_start": today - relativedelta(years=2),
                        },
                    )
                ],
            }
        )
        # The guardianship ended yesterday: the minor now needs a new legal guardian.
        minor.care_relation_ids.date_end = today - relativedelta(days=1)

        self.start_tour("/odoo", "care_network_add_guardian", login="tour_care_user")

        new_relation = minor.care_relation_ids.filtered("is_current")
        self.assertEqual(new_relation.related_partner_id.name, "Greta Tour")
        self.assertEqual(
            new_relation.related_partner_id.email, "greta.tour@example.com"
        )
        self.assertEqual(new_relation.related_partner_id.mobile, "+1 555 0142")
        self.assertEqual(new_relation.relationship_note, "maternal aunt")
        self.assertEqual(new_relation.contact_kind, "alternative")
        self.assertEqual(
            new_relation.type_id, self.env.ref("care_network.relation_type_guardian")
        )
        self.assertTrue(new_relation.can_view_referrals)
        # Legal guardians are invited to the portal by default.
        self.assertEqual(new_relation.related_portal_state, "portal")

    def test_clients_by_relation_from_the_guardian(self):
        tour_care_user(self.env)
        Partner = self.env["res.partner"]
        guardian = Partner.create({"name": "Gwen Guardian"})
        for name, xmlid in (
            ("Wanda Ward", "care_network.relation_type_guardian"),
            ("Eddie Emergency", "care_network.relation_type_emergency_contact"),
        ):
            Partner.create(
                {
                    "name": name,
                    "is_care_client": True,
                    "care_relation_ids": [
                        Command.create(
                            {
                                "related_partner_id": guardian.id,
                                "date_start": fields.Date.today()
                                - relativedelta(days=1),
                                "type_id": self.env.ref(xmlid).id,
                            }
                        )
                    ],
                }
            )
        self.start_tour(
            f"/odoo/res.partner/{guardian.id}",
            "care_network_clients_by_relation",
            login="tour_care_user",
        )

    def test_program_answers_from_its_link(self):
        referral = self._referral_to_food_bank()
        token = referral.sudo().provider_token
        self.start_tour(
            f"/care/provider/referral/{referral.id}?access_token={token}",
            "care_network_provider_link",
        )
        self.assertEqual((referral.state, referral.outcome), ("completed", "got_help"))
        log = referral.status_log_ids.sorted("id")[-1]
        self.assertEqual(log.author_name, "Food Bank (intake)")
        self.assertEqual(log.note, "Picked up a box on Friday.")
        self.start_tour(
            f"/odoo/care.referral/{referral.id}",
            "care_network_provider_history",
            login="tour_helper",
        )

    def _referral_to_food_bank(self):
        """A referral from the helper ``tour_helper`` to a program without a login."""
        env = self.env
        helper = new_test_user(
            env, login="tour_helper", groups="care_network.group_care_user"
        )
        Partner = env["res.partner"]
        seeker = Partner.create({"name": "Sam Seeker", "is_care_client": True})
        program = env["care.program"].create(
            {
                "name": "Food Bank",
                "provider_id": Partner.create(
                    {"name": "Harvest", "is_company": True}
                ).id,
                "intake_email": "intake@foodbank.org",
            }
        )
        referral = (
            env["care.referral"]
            .with_user(helper)
            .create(
                {
                    "seeker_id": seeker.id,
                    "program_id": program.id,
                    "consent": True,
                    "comment": "Needs groceries weekly.",
                }
            )
        )
        referral.set_state("sent")
        return referral.sudo()

    def test_start_referral_and_accept_it(self):
        helper = new_test_user(
            self.env, login="tour_helper", groups="care_network.group_care_user"
        )
        claimer = new_test_user(
            self.env, login="tour_claimer", groups="care_network.group_care_user"
        )
        provider = self.env["res.partner"].create(
            {"name": "Tour Pantry", "is_company": True}
        )
        program = self.env["care.program"].create(
            {
                "name": "Weekly Groceries",
                "provider_id": provider.id,
                "zip_codes": "10001",
                "claimer_user_ids": [(6, 0, claimer.ids)],
            }
        )
        seeker = self.env["res.partner"].create(
            {"name": "Sara Seeker", "zip": "10001", "is_care_client": True}
        )

        self.start_tour("/odoo", "care_network_start_referral", login="tour_helper")
        referral = self.env["care.referral"].search([("seeker_id", "=", seeker.id)])
        self.assertEqual(referral.program_id, program)
        self.assertEqual(referral.state, "sent")
        self.assertEqual(referral.helper_user_id, helper)

        self.start_tour("/odoo", "care_network_accept_referral", login="tour_claimer")
        self.assertEqual(referral.state, "accepted")
        self.assertEqual(
            referral.status_log_ids.mapped("state_to"), ["accepted", "sent"]
        )

    def test_family_with_members_and_billing_contact(self):
        tour_care_user(self.env)
        Partner = self.env["res.partner"]
        molly, max_member = Partner.create(
            [
                {"name": "Molly Member", "is_care_client": True},
                {"name": "Max Member", "is_care_client": True},
            ]
        )
        self.start_tour("/odoo", "care_network_family", login="tour_care_user")
        family = Partner.search([("name", "=", "Tour Family")])
        self.assertEqual(family.care_group_kind, "family")
        self.assertEqual(family.care_member_ids, molly | max_member)
        self.assertEqual(family.care_billing_contact_id.name, "Bella Billing")
        self.assertEqual(
            molly.address_get(["invoice"])["invoice"], family.care_billing_contact_id.id
        )

    def test_guardian_marks_referral_got_help_on_portal(self):
        guardian = new_test_user(
            self.env,
            login="tour_guardian",
            name="Gwen Guardian",
            email="gwen@example.com",
            groups="base.group_portal",
        )
        helper = new_test_user(
            self.env, login="tour_helper", groups="care_network.group_care_user"
        )
        today = fields.Date.today()
        ward = self.env["res.partner"].create(
            {
                "name": "Tom Thumb",
                "birthdate": today - relativedelta(years=8),
                "is_care_client": True,
                "care_relation_ids": [
                    (
                        0,
                        0,
                        {
                            "related_partner_id": guardian.partner_id.id,
                            "date_start": fields.Date.today() - relativedelta(days=1),
                            "type_id": self.env.ref(
                                "care_network.relation_type_guardian"
                            ).id,
                        },
                    )
                ],
            }
        )
        start = fields.Datetime.now() + relativedelta(days=3)
        self.env["calendar.event"].with_context(no_mail_to_attendees=True).create(
            {
                "name": "Speech therapy",
                "start": start,
                "stop": start + relativedelta(hours=1),
                "partner_ids": [(6, 0, ward.ids)],
            }
        )
        program = self.env["care.program"].create(
            {"name": "Reading Club", "provider_id": self.env.company.partner_id.id}
        )
        referral = (
            self.env["care.referral"]
            .with_user(helper)
            .create({"seeker_id": ward.id, "program_id": program.id, "consent": True})
        )
        referral.set_state("sent")

        self.start_tour("/my", "care_network_portal_got_help", login="tour_guardian")

        self.assertEqual(referral.state, "completed")
        self.assertEqual(referral.outcome, "got_help")
        self.assertEqual(referral.status_log_ids[0].partner_id, guardian.partner_id)

    def test_guardian_sees_who_viewed_and_revokes_a_consent(self):
        guardian = new_test_user(
            self.env,
            login="tour_consent_guardian",
            name="Gus Guardian",
            email="gus@example.com",
            groups="base.group_portal",
        )
        aunt = new_test_user(
            self.env,
            login="tour_aunt",
            name="Ava Aunt",
            email="ava@example.com",
            groups="base.group_portal",
        )
        guardian_type = self.env.ref("care_network.relation_type_guardian")
        ward = self.env["res.partner"].create(
            {
                "name": "Lily Pad",
                "birthdate": fields.Date.today() - relativedelta(years=9),
                "is_care_client": True,
                "care_relation_ids": [
                    (
                        0,
                        0,
                        {
                            "related_partner_id": guardian.partner_id.id,
                            "date_start": fields.Date.today() - relativedelta(days=1),
                            "type_id": guardian_type.id,
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "related_partner_id": aunt.partner_id.id,
                            "date_start": fields.Date.today() - relativedelta(days=1),
                            "type_id": self.env.ref(
                                "care_network.relation_type_responsible_party"
                            ).id,
                            "can_view_profile": True,
                        },
                    ),
                ],
            }
        )
        self.env["care.access.log"].with_user(aunt)._log_read(ward, "profile", ward)
        consent = self.env["care.consent"].create(
            {
                "client_id": ward.id,
                "scope": "sms_reminders",
                "given_by_id": guardian.partner_id.id,
                "date_given": fields.Date.today() - relativedelta(days=1),
            }
        )

        self.start_tour("/my", "care_network_portal_consent", login=guardian.login)

        self.assertEqual(consent.revoked_by_id, guardian.partner_id)
        self.assertFalse(consent.is_current)

    def test_staff_send_a_form_the_guardian_fills_it_staff_find_it(self):
        tour_care_user(self.env)
        Partner = self.env["res.partner"]
        guardian = Partner.create(
            {"name": "Gail Guardian", "email": "gail@example.com"}
        )
        client = Partner.create(
            {
                "name": "Tim Tour",
                "is_care_client": True,
                "care_relation_ids": [
                    Command.create(
                        {
                            "related_partner_id": guardian.id,
                            "date_start": fields.Date.today() - relativedelta(days=1),
                            "type_id": self.env.ref(
                                "care_network.relation_type_guardian"
                            ).id,
                        }
                    )
                ],
            }
        )
        survey = self.env["survey.survey"].create(
            {
                "title": "Tour intake",
                "care_form_kind": "client",
                "access_mode": "token",
                "questions_layout": "one_page",
                "question_and_page_ids": [
                    Command.create(
                        {"title": "What does Tim need?", "question_type": "text_box"}
                    )
                ],
            }
        )
        self.start_tour(
            f"/odoo/res.partner/{client.id}",
            "care_network_form_send",
            login="tour_care_user",
        )
        answer = self.env["survey.user_input"].search([("survey_id", "=", survey.id)])
        self.assertEqual(answer.care_client_id, client)
        self.assertEqual(answer.partner_id, guardian)
        self.start_tour(answer.get_start_url(), "care_network_form_fill")
        self.assertEqual(answer.state, "done")
        self.start_tour(
            f"/odoo/res.partner/{client.id}",
            "care_network_form_filed",
            login="tour_care_user",
        )

    def test_package_for_a_family_session_and_portal(self):
        tour_care_user(self.env)
        Partner = self.env["res.partner"]
        family = Partner.create(
            {"name": "Tour Family", "is_company": True, "care_group_kind": "family"}
        )
        member_type = self.env.ref("care_network.relation_type_member_of")
        tara, theo = Partner.create(
            [
                {"name": "Tara Tour", "is_care_client": True},
                {"name": "Theo Tour", "is_care_client": True},
            ]
        )
        for member in (tara, theo):
            self.env["care.relation"].create(
                {
                    "partner_id": member.id,
                    "related_partner_id": family.id,
                    "date_start": fields.Date.today() - relativedelta(days=1),
                    "type_id": member_type.id,
                }
            )
        new_test_user(
            self.env,
            login="tara_portal",
            name="Tara Tour",
            groups="base.group_portal",
            partner_id=tara.id,
        )
        self.start_tour("/odoo", "care_network_package_book", login="tour_care_user")
        package = self.env["care.package"].search([("holder_id", "=", family.id)])
        self.assertEqual(package.state, "active")
        self.assertEqual(package.event_ids.partner_ids, tara | theo)
        package.message_post(
            body="Bring your reading plan",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.start_tour("/my", "care_network_package_portal", login="tara_portal")

    def test_invite_a_client_and_two_relations_then_preview(self):
        tour_care_user(self.env)
        Partner = self.env["res.partner"]
        guardian, responsible = Partner.create(
            [
                {"name": "Gwen Guard", "email": "gwen@example.com"},
                {"name": "Rory Resp", "email": "rory@example.com"},
            ]
        )
        client = Partner.create(
            {"name": "Ivan Invite", "email": "ivan@example.com", "is_care_client": True}
        )
        for person, xmlid in (
            (guardian, "care_network.relation_type_guardian"),
            (responsible, "care_network.relation_type_responsible_party"),
        ):
            self.env["care.relation"].create(
                {
                    "partner_id": client.id,
                    "related_partner_id": person.id,
                    "date_start": fields.Date.today() - relativedelta(days=1),
                    "type_id": self.env.ref(xmlid).id,
                }
            )
        self.start_tour(
            f"/odoo/res.partner/{client.id}",
            "care_network_invite_and_preview",
            login="tour_care_user",
        )
        for person in (client, guardian, responsible):
            self.assertEqual(person._care_portal_state(), "portal", person.name)

    def test_open_the_ecomap_and_a_relation_from_it(self):
        tour_care_user(self.env)
        Partner = self.env["res.partner"]
        guardian = Partner.create({"name": "Gus Guardian"})
        client = Partner.create({"name": "Elsa Eco", "is_care_client": True})
        self.env["care.relation"].create(
            [
                {
                    "partner_id": client.id,
                    "related_partner_id": guardian.id,
                    "date_start": fields.Date.today() - relativedelta(days=1),
                    "type_id": self.env.ref("care_network.relation_type_guardian").id,
                    "is_emergency_contact": True,
                },
                {
                    "partner_id": client.id,
                    "related_partner_id": Partner.create({"name": "Sid Sibling"}).id,
                    "date_start": fields.Date.today() - relativedelta(days=1),
                    "type_id": self.env.ref("care_network.relation_type_sibling").id,
                },
            ]
        )
        self.start_tour(
            f"/odoo/res.partner/{client.id}",
            "care_network_ecomap",
            login="tour_care_user",
        )


@tagged("post_install", "-at_install")
class TestReferralLinkTours(WebsocketCase):
    """#31: a claimer accepts from the link of their e-mail; the helper's open
    board shows a claimer's move without a reload (Odoo's bus: a websocket case,
    as Odoo refuses websockets to other tests)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.helper = new_test_user(
            cls.env,
            login="tour_link_helper",
            email="tlh@example.com",
            groups="care_network.group_care_user",
        )
        cls.claimer = new_test_user(
            cls.env,
            login="tour_link_claimer",
            email="tlc@example.com",
            groups="care_network.group_care_user",
        )
        provider = cls.env["res.partner"].create(
            {"name": "Link Pantry", "is_company": True}
        )
        cls.program = cls.env["care.program"].create(
            {
                "name": "Link Groceries",
                "provider_id": provider.id,
                "claimer_user_ids": [(6, 0, cls.claimer.ids)],
            }
        )

    def referral_for(self, name):
        seeker = self.env["res.partner"].create({"name": name, "is_care_client": True})
        referral = (
            self.env["care.referral"]
            .with_user(self.helper)
            .create(
                {"seeker_id": seeker.id, "program_id": self.program.id, "consent": True}
            )
        )
        referral.set_state("sent")
        return referral.sudo()

    def test_claimer_accepts_from_the_email_link(self):
        referral = self.referral_for("Emma Email")
        mail = self.env["mail.mail"].search(
            [
                ("recipient_ids", "in", self.claimer.partner_id.ids),
                ("res_id", "=", referral.id),
            ]
        )
        self.assertIn(referral._care_move_url("accepted"), mail.body_html)
        url = referral._care_move_url("accepted").replace(referral.get_base_url(), "")
        self.start_tour(url, "care_network_accept_from_email")
        self.assertEqual(referral.state, "accepted")
        log = referral.status_log_ids.sorted("id")[-1:]
        self.assertEqual(log.note, "We can take her on Tuesday")
        self.assertTrue(log.who.endswith("(Link Groceries)"), log.who)

    def test_the_helpers_board_follows_a_claimers_move(self):
        referral = self.referral_for("Lina Live")
        board_open = threading.Event()
        Referral = type(self.env["care.referral"])
        originals = {name: getattr(Referral, name) for name in ("web_read_group",)}

        @api.model
        def spy(self, *args, **kwargs):
            if self.env.uid == helper_id:
                board_open.set()
            return originals["web_read_group"](self, *args, **kwargs)

        helper_id, claimer_id, referral_id = (
            self.helper.id,
            self.claimer.id,
            referral.id,
        )

        def claimer_moves():
            if not board_open.wait(timeout=60):
                return
            time.sleep(2)  # the board renders its columns
            with self.registry.cursor() as cr:
                env = api.Environment(cr, claimer_id, {})
                env["care.referral"].browse(referral_id).set_state("accepted")
                env.flush_all()
                # A test cursor never commits: send the bus notification as the
                # commit would.
                cr.precommit.run()
                cr.postcommit.run()

        mover = threading.Thread(target=claimer_moves)
        with patch.object(Referral, "web_read_group", spy):
            mover.start()
            self.start_tour(
                "/odoo", "care_network_live_board", login="tour_link_helper"
            )
        mover.join(timeout=60)
        self.assertEqual(referral.state, "accepted")
