from unittest.mock import patch

from lxml import html
from markupsafe import Markup

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common_referral import ReferralCase


@tagged("post_install", "-at_install")
class TestPeopleImHelping(ReferralCase):
    """Referrals > People I'm Helping, per persona."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own = cls.make_referral()  # Hana's, in her sharing team
        cls.private = cls.make_referral(seeker=cls.adult, team_id=cls.private_team.id)
        cls.managed = cls.Partner.create({"name": "Mo Managed", "is_care_client": True})
        cls.managed.care_manager_user_ids = cls.loner
        cls.own.set_state("sent")

    def helped(self, user):
        return self.Partner.with_user(user).search([("care_helped_by_me", "=", True)])

    def test_seekers_per_persona(self):
        self.assertEqual(self.helped(self.helper), self.seeker | self.adult)
        self.assertEqual(
            self.helped(self.teammate), self.seeker, "the sharing team's referral"
        )
        self.assertEqual(
            self.helped(self.loner), self.managed, "not the private team's referral"
        )
        self.assertFalse(self.helped(self.other_user))
        self.assertEqual(
            self.helped(self.claimer),
            self.seeker,
            "a claimer helps the seekers of the referrals their programs received",
        )

    def test_open_referrals_last_move_and_attention(self):
        self.make_referral()  # a draft, open too
        seeker = self.seeker.with_user(self.helper)
        self.assertEqual(seeker.care_open_referral_count, 2)
        self.assertEqual(seeker.care_last_referral_move, self.own.last_move_date)
        self.assertFalse(seeker.care_referral_attention)
        self.own.sudo().needs_attention = True
        seeker.invalidate_recordset()
        self.assertTrue(seeker.care_referral_attention)
        attention = self.Partner.with_user(self.helper).search(
            [("care_helped_by_me", "=", True), ("care_referral_attention", "=", True)]
        )
        self.assertEqual(attention, self.seeker)

    def test_menu_opens_the_dashboard(self):
        menu = self.env.ref("care_network.menu_people_helping").with_user(self.helper)
        action = menu.action.sudo()
        self.assertEqual(action.res_model, "res.partner")
        self.assertIn("care_helped_by_me", action.domain)

    def test_profile_shows_outbound_and_inbound_apart(self):
        seeker = self.seeker.with_user(self.claimer)
        inbound = seeker.action_view_care_inbound()
        Referral = self.env["care.referral"].with_user(self.claimer)
        self.assertEqual(Referral.search(inbound["domain"]), self.own)
        outbound = seeker.action_view_care_outbound()
        self.assertFalse(Referral.search(outbound["domain"]))
        as_helper = self.seeker.with_user(self.helper).action_view_care_outbound()
        self.assertEqual(
            self.env["care.referral"]
            .with_user(self.helper)
            .search(as_helper["domain"]),
            self.own,
        )


@tagged("post_install", "-at_install")
class TestHelperOutcomes(ReferralCase):
    """The helper records what the seeker reports; the history says so."""

    def setUp(self):
        super().setUp()
        self.referral = self.make_referral()
        self.referral.with_user(self.helper).set_state("sent")
        self.force_state(self.referral, "accepted")

    def test_helper_records_got_help_for_the_seeker(self):
        self.referral.with_user(self.helper).sudo(False).set_state(
            "completed", outcome="got_help"
        )
        self.assertEqual(
            (self.referral.state, self.referral.outcome), ("completed", "got_help")
        )
        log = self.referral.status_log_ids.sorted("id")[-1:]
        self.assertTrue(log.on_behalf_of_seeker)
        company = self.helper.company_id.name
        self.assertEqual(log.who, f"Hana H. ({company}), for the seeker")

    def test_teammate_records_no_longer_interested(self):
        self.referral.with_user(self.teammate).sudo(False).set_state(
            "cancelled", outcome="no_longer_interested"
        )
        self.assertEqual(self.referral.outcome, "no_longer_interested")
        self.assertIn(
            "for the seeker", self.referral.status_log_ids.sorted("id")[-1:].who
        )

    def test_helper_cannot_give_the_programs_outcomes(self):
        as_helper = self.referral.with_user(self.helper).sudo(False)
        for state, outcome in (
            ("cancelled", "not_eligible"),
            ("completed", "no_capacity"),
        ):
            with (
                self.subTest(outcome=outcome),
                self.assertRaisesRegex(UserError, "record what the seeker reports"),
            ):
                as_helper.set_state(state, outcome=outcome)
        with self.assertRaisesRegex(UserError, "cannot move"):
            as_helper.set_state("in_progress")
        with self.assertRaisesRegex(UserError, "cannot move"):
            as_helper.set_state("rejected", outcome="no_capacity")
        self.assertEqual(self.referral.state, "accepted")

    def test_helper_cancel_of_their_own_says_nothing_for_the_seeker(self):
        self.referral.with_user(self.helper).sudo(False).set_state("cancelled")
        self.assertFalse(
            self.referral.status_log_ids.sorted("id")[-1:].on_behalf_of_seeker
        )


@tagged("post_install", "-at_install")
class TestHistoryNaming(ReferralCase):
    """Every row of the history reads "First L. (Organisation)"."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site = cls.Partner.create({"name": "Harbour Home Care", "is_company": True})
        cls.sharing_team.site_id = cls.site

    def setUp(self):
        super().setUp()
        self.referral = self.make_referral()

    def last(self):
        return self.referral.history_ids.sorted("id")[-1:]

    def test_staff_show_their_teams_site(self):
        self.referral.with_user(self.helper).set_state("sent")
        self.assertEqual(self.last().who, "Hana H. (Harbour Home Care)")

    def test_staff_without_a_site_show_their_company(self):
        self.sharing_team.site_id = False
        self.private_team.site_id = False
        self.referral.with_user(self.helper).set_state("sent")
        company = self.helper.company_id.name
        self.assertEqual(self.last().who, f"Hana H. ({company})")

    def test_claimer_shows_the_programs_name(self):
        self.referral.with_user(self.helper).set_state("sent")
        self.referral.with_user(self.claimer).sudo(False).set_state("accepted")
        self.assertEqual(self.last().who, "Clara C. (Weekly Groceries)")

    def test_both_claimer_and_staff(self):
        self.program.claimer_user_ids |= self.teammate
        self.referral.with_user(self.helper).set_state("sent")
        as_both = self.referral.with_user(self.teammate).sudo(False)
        as_both.set_state("accepted")
        self.assertEqual(
            self.last().who, "Tom T. (Weekly Groceries)", "the program's move"
        )
        as_both.message_post(body="Called the seeker", message_type="comment")
        self.assertEqual(self.last().who, "Tom T. (Harbour Home Care)", "as staff")

    def test_portal_user_without_an_organisation_shows_none(self):
        self.referral.with_user(self.helper).set_state("sent")
        self.referral.with_user(self.seeker_user).sudo(False).set_state("completed")
        self.assertEqual(self.last().who, "Sam S.")

    def test_notes_are_in_the_history(self):
        self.referral.with_user(self.helper).set_state("sent")
        # As the portal chatter posts it: the logged-in guardian, sudo.
        self.referral.with_user(self.guardian_user).sudo().message_post(
            body=Markup("<p>Léo starts on Monday</p>"),
            message_type="comment",
            author_id=self.guardian_user.partner_id.id,
        )
        note = self.last()
        self.assertEqual(note.kind, "note")
        self.assertEqual(note.note, "Léo starts on Monday")
        self.assertEqual(note.who, "Greg G.")
        self.assertEqual((note.state_from, note.state_to), ("sent", "sent"))
        self.assertEqual(len(self.referral.status_log_ids), 1, "notes are not moves")

    def test_provider_note_in_the_history(self):
        self.referral.with_user(self.helper).set_state("sent")
        program = self.program
        with patch.object(
            type(self.referral), "_care_provider_program", return_value=program
        ):
            self.referral._care_provider_note("We will call her")
        note = self.last()
        self.assertEqual(note.kind, "note")
        self.assertEqual(note.who, "Weekly Groceries (intake) (Harvest Food Bank)")

    def test_status_lines_are_not_notes(self):
        self.referral.with_user(self.helper).set_state("sent")
        self.assertEqual(self.referral.history_ids.mapped("kind"), ["move"])


@tagged("post_install", "-at_install")
class TestLiveBoards(ReferralCase):
    def test_a_move_is_sent_to_who_works_the_referral(self):
        referral = self.make_referral()
        # Care staff of the seeker who may not read the referral hear nothing.
        self.seeker.care_manager_user_ids = self.other_user
        sent = []
        Partner = type(self.env["res.partner"])
        original = Partner._bus_send

        def record(partners, notification_type, message, **kwargs):
            if notification_type == "care_referral_moved":
                sent.append((partners, message))
            return original(partners, notification_type, message, **kwargs)

        with patch.object(Partner, "_bus_send", record):
            referral.with_user(self.helper).set_state("sent")
        [(partners, message)] = sent
        for user in (self.helper, self.teammate, self.claimer):
            self.assertIn(user.partner_id, partners)
        self.assertIn(self.care_manager.partner_id, partners)
        self.assertNotIn(self.loner.partner_id, partners)
        self.assertNotIn(self.other_user.partner_id, partners)
        self.assertNotIn(self.seeker, partners)
        self.assertEqual(message["state"], "sent")
        self.assertEqual(message["by"], f"Hana H. ({self.helper.company_id.name})")


@tagged("post_install", "-at_install")
class TestStartReferralPrefill(ReferralCase):
    def test_the_wizard_holds_what_the_profile_holds(self):
        state = self.env.ref("base.state_us_27")
        self.adult.write(
            {
                "birthdate": "1990-03-04",
                "street": "5 Dock Lane",
                "city": "Brooklyn",
                "state_id": state.id,
                "country_id": state.country_id.id,
                "phone": "+1 555 0103",
                "mobile": "+1 555 0104",
                "lang": "en_US",
                "care_contact_preference": "sms",
            }
        )
        action = self.adult.with_user(self.helper).action_start_referral()
        Wizard = self.env[action["res_model"]].with_user(self.helper)
        wizard = Wizard.with_context(**action["context"]).create({})
        self.assertEqual(
            (
                wizard.seeker_name,
                str(wizard.seeker_birthdate),
                wizard.seeker_street,
                wizard.seeker_city,
                wizard.seeker_state_id,
                wizard.seeker_zip,
                wizard.seeker_email,
                wizard.seeker_phone,
                wizard.seeker_mobile,
                wizard.seeker_lang,
                wizard.seeker_contact_preference,
            ),
            (
                "Ada Adult",
                "1990-03-04",
                "5 Dock Lane",
                "Brooklyn",
                state,
                "10001",
                "ada@example.com",
                "+1 555 0103",
                "+1 555 0104",
                "en_US",
                "sms",
            ),
        )
        wizard.seeker_mobile = "+1 555 0199"
        self.assertEqual(self.adult.mobile, "+1 555 0199", "corrected on the profile")


@tagged("post_install", "-at_install")
class TestEmailLinks(HttpCase, ReferralCase):
    """Accept/Decline in the claimer's e-mail, outcomes in the helper's: each link
    leads (after login) to the move ready to confirm; a GET never moves."""

    def mails_to(self, partner):
        return self.env["mail.mail"].search(
            [("recipient_ids", "in", partner.ids), ("model", "=", "care.referral")],
            order="id desc",
        )

    def links_in(self, mail):
        tree = html.fromstring(mail.body_html)
        return {
            a.text_content().strip(): a.get("href")
            for a in tree.xpath("//a[hasclass('o_care_email_move')]")
        }

    def path_of(self, url):
        return url.replace(self.referral.get_base_url(), "")

    def setUp(self):
        super().setUp()
        self.referral = self.make_referral()
        self.referral.with_user(self.helper).set_state("sent")

    def test_claimer_email_accept_and_decline(self):
        links = self.links_in(self.mails_to(self.claimer.partner_id)[:1])
        self.assertEqual(set(links), {"Accept", "Decline"})
        accept = self.path_of(links["Accept"])
        self.assertEqual(accept, f"/care/referral/{self.referral.id}/move/accepted")
        # Not logged in: the login page first.
        response = self.url_open(accept, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])
        self.authenticate("claimer", "claimer")
        page = self.url_open(accept)
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_care_move_confirm", page.text)
        self.assertEqual(self.referral.state, "sent", "a GET moves nothing")
        response = self.url_open(
            accept, data={"csrf_token": self.csrf_token()}, allow_redirects=False
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.referral.state, "accepted")
        stale = self.url_open(accept)
        self.assertEqual(stale.status_code, 409)
        self.assertIn("no longer possible", stale.text)

    def csrf_token(self, state="rejected"):
        """The token of the confirmation form, as the browser would post it."""
        page = self.url_open(self.path_of(self.referral._care_move_url(state)))
        marker = 'name="csrf_token" value="'
        self.assertIn(marker, page.text)
        return page.text.split(marker, 1)[1].split('"', 1)[0]

    def test_decline_needs_a_reason(self):
        self.authenticate("claimer", "claimer")
        decline = self.path_of(self.referral._care_move_url("rejected"))
        token = self.csrf_token()
        response = self.url_open(decline, data={"csrf_token": token})
        self.assertEqual(response.status_code, 400)
        self.assertIn("Say why the referral is rejected", response.text)
        self.assertEqual(self.referral.state, "sent")
        self.url_open(decline, data={"csrf_token": token, "outcome": "no_capacity"})
        self.assertEqual(
            (self.referral.state, self.referral.outcome), ("rejected", "no_capacity")
        )

    def test_helper_email_outcome_links(self):
        self.referral.with_user(self.claimer).sudo(False).set_state("accepted")
        links = self.links_in(self.mails_to(self.helper.partner_id)[:1])
        self.assertEqual(
            set(links), {"Got help", "Couldn't get help", "No longer interested"}
        )
        self.authenticate("helper", "helper")
        got_help = self.path_of(links["Got help"])
        page = self.url_open(got_help)
        self.assertRegex(page.text, r'value="got_help"\s+checked')
        self.assertEqual(self.referral.state, "accepted", "a GET moves nothing")
        token = self.csrf_token("completed")
        self.url_open(got_help, data={"csrf_token": token, "outcome": "got_help"})
        self.assertEqual(
            (self.referral.state, self.referral.outcome), ("completed", "got_help")
        )
        self.assertIn(
            "for the seeker", self.referral.status_log_ids.sorted("id")[-1:].who
        )

    def test_someone_else_gets_no_move(self):
        self.authenticate("other_user", "other_user")
        page = self.url_open(self.path_of(self.referral._care_move_url("accepted")))
        self.assertEqual(page.status_code, 403)
        self.assertEqual(self.referral.state, "sent")

    def test_post_without_csrf_is_refused(self):
        self.authenticate("claimer", "claimer")
        response = self.url_open(
            self.path_of(self.referral._care_move_url("accepted")),
            data={"note": "no token"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.referral.state, "sent")
