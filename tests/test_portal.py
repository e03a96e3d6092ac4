from datetime import timedelta

from odoo import Command, fields, http
from odoo.exceptions import AccessDenied, AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .common_referral import ReferralCase

HUGE_ID = 2**31 + 7


class PortalCase(HttpCase, ReferralCase):
    """Referral personas, plus a guardian of two wards and some appointments."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.two_wards_user = new_test_user(
            cls.env,
            login="two_wards",
            name="Dora Double",
            email="dora@example.com",
            groups="base.group_portal",
        )
        cls.dora = cls.two_wards_user.partner_id
        cls.relate(cls.minor, cls.dora, cls.type_guardian)
        cls.relate(cls.adult, cls.dora, cls.type_guardian)
        cls.guardian_partner = cls.guardian_user.partner_id
        cls.referral = cls.make_referral()
        cls.referral.with_user(cls.helper).sudo(False).set_state("sent")
        cls.adult_referral = cls.make_referral(seeker=cls.adult)
        soon = fields.Datetime.now() + timedelta(days=2)
        Event = cls.env["calendar.event"].with_context(no_mail_to_attendees=True)
        cls.seeker_event = Event.create(
            {
                "name": "Dentist for Sam",
                "start": soon,
                "stop": soon + timedelta(hours=1),
                "partner_ids": [Command.set(cls.seeker.ids)],
            }
        )
        cls.adult_event = Event.create(
            {
                "name": "Physio for Ada",
                "start": soon,
                "stop": soon + timedelta(hours=1),
                "partner_ids": [Command.set(cls.adult.ids)],
            }
        )

    def guardian_relation(self):
        return self.seeker.care_relation_ids.filtered(
            lambda r: r.related_partner_id == self.guardian_partner
        )

    def get(self, url, login=None):
        self.authenticate(login, login)
        return self.url_open(url, allow_redirects=False)

    def post_status(self, referral, state, login=None, token=None):
        self.authenticate(login, login)
        data = {"state": state, "csrf_token": http.Request.csrf_token(self)}
        if token:
            data["access_token"] = token
        return self.url_open(
            f"/my/referrals/{referral.id}/status", data=data, allow_redirects=False
        )


@tagged("post_install", "-at_install")
class TestPortalRecordRules(PortalCase):
    def test_guardian_reads_ward_and_nobody_else(self):
        Partner = self.env["res.partner"].with_user(self.guardian_user)
        self.assertEqual(
            Partner.browse(self.seeker.id).read(["name"])[0]["name"], "Sam Seeker"
        )
        with self.assertRaises(AccessError):
            Partner.browse(self.adult.id).read(["name"])
        with self.assertRaises(AccessError):
            Partner.browse(self.minor.id).read(["name"])

    def test_rpc_read_as_guardian(self):
        self.authenticate("guardian_portal", "guardian_portal")
        result = self.make_jsonrpc_request(
            "/web/dataset/call_kw/res.partner/read",
            {
                "model": "res.partner",
                "method": "read",
                "args": [[self.seeker.id], ["name"]],
                "kwargs": {},
            },
        )
        self.assertEqual(result[0]["name"], "Sam Seeker")
        with self.assertRaises(Exception) as refused:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/res.partner/read",
                {
                    "model": "res.partner",
                    "method": "read",
                    "args": [[self.adult.id], ["name"]],
                    "kwargs": {},
                },
            )
        self.assertIn("AccessError", str(refused.exception))

    def test_no_portal_reader_gets_the_clients_internal_notes_over_rpc(self):
        self.seeker.comment = "<p>Staff only: difficult family history</p>"

        def read(field_names):
            return self.make_jsonrpc_request(
                "/web/dataset/call_kw/res.partner/read",
                {
                    "model": "res.partner",
                    "method": "read",
                    "args": [self.seeker.ids, field_names],
                    "kwargs": {},
                },
            )

        for login in ("guardian_portal", "seeker"):
            self.authenticate(login, login)
            self.assertEqual(read(["name"])[0]["name"], "Sam Seeker", login)
            with self.assertRaisesRegex(JsonRpcException, "AccessError"):
                read(["name", "comment"])

    def test_responsible_party_reads_profile_and_appointments_not_referrals(self):
        user = self.responsible_user
        self.env["res.partner"].with_user(user).browse(self.seeker.id).read(["name"])
        events = self.env["calendar.event"].with_user(user).search([])
        self.assertIn(self.seeker_event, events)
        self.assertNotIn(self.adult_event, events)
        self.assertFalse(
            self.env["care.referral"]
            .with_user(user)
            .search([("id", "=", self.referral.id)])
        )

    def test_portal_searches_narrowed_to_the_rules_seekers(self):
        self.env["care.goal"].create(
            [
                {"name": "Sam gets a job", "seeker_id": self.seeker.id},
                {"name": "Ada walks again", "seeker_id": self.adult.id},
                {"name": "Leo reads", "seeker_id": self.minor.id},
            ]
        )
        personas = (
            self.guardian_user,
            self.two_wards_user,
            self.responsible_user,
            self.seeker_user,
            self.stranger_user,
        )
        for model in ("care.referral", "care.goal"):
            every = self.env[model].sudo().search([])
            for user in personas:
                records = self.env[model].with_user(user)
                # The rule alone, checked record by record, is the oracle.
                allowed = every.filtered(
                    lambda r, u=user: r.with_user(u).has_access("read")
                )
                self.assertEqual(records.search([]), allowed, (model, user.login))
                self.assertEqual(records.search_count([]), len(allowed))
                self.assertIn('"seeker_id" IN', records._search([]).select().code)
        Referral = self.env["care.referral"]
        as_dora = Referral.with_user(self.two_wards_user)
        self.assertEqual(
            as_dora._care_portal_seekers(), self.dora | self.minor | self.adult
        )
        self.assertIn(self.adult_referral, as_dora.search([]))
        adult_relation = self.adult.care_relation_ids.filtered(
            lambda r: r.related_partner_id == self.dora
        )
        adult_relation.can_view_referrals = False
        self.assertEqual(as_dora._care_portal_seekers(), self.dora | self.minor)
        self.assertNotIn(self.adult_referral, as_dora.search([]))
        # Staff are not narrowed: their rules are indexed already.
        self.assertIsNone(Referral.with_user(self.helper)._care_portal_seekers())

    def test_stranger_reads_nothing(self):
        user = self.stranger_user
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(user).browse(self.seeker.id).read(
                ["name"]
            )
        self.assertFalse(
            self.env["calendar.event"]
            .with_user(user)
            .search([("id", "in", (self.seeker_event | self.adult_event).ids)])
        )
        self.assertFalse(self.env["care.referral"].with_user(user).search([]))
        self.assertFalse(self.env["care.goal"].with_user(user).search([]))

    def test_end_date_yesterday_removes_access_without_cron(self):
        relation = self.guardian_relation()
        relation.date_start = self.today - timedelta(days=30)
        Partner = self.env["res.partner"].with_user(self.guardian_user)
        Partner.browse(self.seeker.id).read(["name"])
        relation.date_end = self.today - timedelta(days=1)
        with self.assertRaises(AccessError):
            Partner.browse(self.seeker.id).read(["name"])
        self.assertEqual(
            self.get(f"/my/care/{self.seeker.id}", "guardian_portal").status_code, 403
        )

    def test_unticked_grant_takes_effect_on_next_request(self):
        url = f"/my/care/{self.seeker.id}"
        page = self.get(url, "guardian_portal")
        self.assertIn(self.referral.name, page.text)
        self.guardian_relation().can_view_referrals = False
        page = self.get(url, "guardian_portal")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn(self.referral.name, page.text)
        self.assertEqual(
            self.get(
                f"/my/referrals/{self.referral.id}", "guardian_portal"
            ).status_code,
            403,
        )

    def test_deleted_relation_removes_access(self):
        self.guardian_relation().unlink()
        # It was their last grant: their portal login ends too (test_trust_doors).
        with self.assertRaises(AccessDenied):
            self.get(f"/my/care/{self.seeker.id}", "guardian_portal")
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.guardian_user).browse(
                self.seeker.id
            ).read(["name"])


@tagged("post_install", "-at_install")
class TestPortalPages(PortalCase):
    def test_people_in_my_care(self):
        sam, mia, ada = self.seeker, self.minor, self.adult
        cases = {
            "guardian_portal": sam,
            "responsible_portal": sam,
            "two_wards": mia | ada,
            "seeker": sam,  # his own record, under My care
            "stranger_portal": self.Partner,
        }
        for login, clients in cases.items():
            with self.subTest(login=login):
                page = self.get("/my/care", login)
                self.assertEqual(page.status_code, 200)
                for client in sam | mia | ada:
                    link = f'href="/my/care/{client.id}"'
                    if client in clients:
                        self.assertIn(link, page.text)
                        self.assertIn(client.name, page.text)
                    else:
                        self.assertNotIn(link, page.text)
        self.assertIn("Legal Guardian", self.get("/my/care", "guardian_portal").text)
        public = self.get("/my/care")
        self.assertEqual(public.status_code, 303)
        self.assertIn("/web/login", public.headers["Location"])

    def test_client_page_per_grant(self):
        url = f"/my/care/{self.seeker.id}"
        guardian_page = self.get(url, "guardian_portal").text
        self.assertIn("sam@example.com", guardian_page)
        self.assertIn("Dentist for Sam", guardian_page)
        self.assertIn(self.referral.name, guardian_page)
        responsible_page = self.get(url, "responsible_portal").text
        self.assertIn("sam@example.com", responsible_page)
        self.assertIn("Dentist for Sam", responsible_page)
        self.assertNotIn(self.referral.name, responsible_page)
        self.assertNotIn("Goals", responsible_page)

    def test_client_page_refuses_what_is_not_granted(self):
        cases = [
            ("stranger_portal", self.seeker.id, 403),
            ("guardian_portal", self.adult.id, 403),
            ("two_wards", self.seeker.id, 403),
            ("seeker", self.adult.id, 403),
            ("guardian_portal", 987654321, 404),
            ("guardian_portal", HUGE_ID, 404),
            ("guardian_portal", "abc", 404),
            ("guardian_portal", -3, 404),
        ]
        for login, client_id, status in cases:
            with self.subTest(login=login, client_id=client_id):
                page = self.get(f"/my/care/{client_id}", login)
                self.assertEqual(page.status_code, status)
                self.assertNotIn("Ada Adult", page.text if login != "two_wards" else "")

    def test_referral_list_per_persona(self):
        cases = {
            "guardian_portal": {self.referral.name},
            "seeker": {self.referral.name},
            "two_wards": {self.adult_referral.name},
            "responsible_portal": set(),
            "stranger_portal": set(),
        }
        every = {self.referral.name, self.adult_referral.name}
        for login, visible in cases.items():
            with self.subTest(login=login):
                page = self.get("/my/referrals", login)
                self.assertEqual(page.status_code, 200)
                for name in visible:
                    self.assertIn(name, page.text)
                for name in every - visible:
                    self.assertNotIn(name, page.text)

    def test_referral_page_per_persona(self):
        url = f"/my/referrals/{self.referral.id}"
        for login, status in (
            ("guardian_portal", 200),
            ("seeker", 200),
            ("responsible_portal", 403),
            ("two_wards", 403),
            ("stranger_portal", 403),
            (None, 403),
        ):
            with self.subTest(login=login):
                page = self.get(url, login)
                self.assertEqual(page.status_code, status)
                if status == 200:
                    self.assertIn("Weekly Groceries", page.text)
                    self.assertIn("Hana H.", page.text)
                else:
                    self.assertNotIn("Sam Seeker", page.text)
        for bad in (987654321, HUGE_ID, "abc", 0):
            with self.subTest(bad=bad):
                self.assertEqual(
                    self.get(f"/my/referrals/{bad}", "guardian_portal").status_code, 404
                )

    def test_access_token_link_works_without_login(self):
        self.referral._portal_ensure_token()
        token = self.referral.access_token
        page = self.get(f"/my/referrals/{self.referral.id}?access_token={token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Got help", page.text)
        wrong = self.get(f"/my/referrals/{self.referral.id}?access_token=nope")
        self.assertEqual(wrong.status_code, 403)
        other = self.get(f"/my/referrals/{self.adult_referral.id}?access_token={token}")
        self.assertEqual(other.status_code, 403)

    def test_home_counters(self):
        self.authenticate("two_wards", "two_wards")
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["care_client_count", "care_referral_count"]}
        )
        self.assertEqual(counters, {"care_client_count": 2, "care_referral_count": 1})
        home = self.get("/my", "two_wards")
        self.assertIn("People in my care", home.text)


@tagged("post_install", "-at_install")
class TestPortalStatusButtons(PortalCase):
    def test_guardian_marks_got_help(self):
        response = self.post_status(self.referral, "completed", "guardian_portal")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.referral.state, "completed")
        self.assertEqual(self.referral.outcome, "got_help")
        log = self.referral.status_log_ids[:1]
        self.assertEqual(log.partner_id, self.guardian_partner)
        self.assertEqual(log.author_name, "Greg G.")

    def test_seeker_says_no_longer_interested(self):
        self.post_status(self.referral, "cancelled", "seeker")
        self.assertEqual(self.referral.state, "cancelled")
        self.assertEqual(self.referral.outcome, "no_longer_interested")

    def test_token_holder_moves_as_the_seeker(self):
        self.referral._portal_ensure_token()
        token = self.referral.access_token
        # The token makes its holder the seeker, nothing more.
        claimer_move = self.post_status(self.referral, "accepted", token=token)
        self.assertEqual(claimer_move.status_code, 400)
        # Outside a sudo'd controller, the context key grants nothing.
        with self.assertRaises(AccessError):
            self.referral.with_user(self.stranger_user).with_context(
                care_access_token=token
            ).set_state("completed")
        response = self.post_status(
            self.referral, "completed", token=self.referral.access_token
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn("access_token=", response.headers["Location"])
        log = self.referral.status_log_ids[:1]
        self.assertEqual(log.partner_id, self.seeker)
        self.assertFalse(log.user_id)
        self.assertEqual(self.referral.outcome, "got_help")

    def test_refused_moves(self):
        # Without can_update_referrals: read, but no button and no move.
        relation = self.guardian_relation()
        relation.can_update_referrals = False
        page = self.get(f"/my/referrals/{self.referral.id}", "guardian_portal")
        self.assertNotIn("o_care_move_completed", page.text)
        refused = self.post_status(self.referral, "completed", "guardian_portal")
        self.assertEqual(refused.status_code, 400)
        self.assertIn("You cannot move referral", refused.text)
        # A forged state the seeker may never reach.
        forged = self.post_status(self.referral, "accepted", "seeker")
        self.assertEqual(forged.status_code, 400)
        unknown = self.post_status(self.referral, "teleported", "seeker")
        self.assertEqual(unknown.status_code, 400)
        self.assertIn("Unknown referral status", unknown.text)
        # No read right: 403, whatever is posted.
        self.assertEqual(
            self.post_status(self.referral, "completed", "stranger_portal").status_code,
            403,
        )
        self.assertEqual(self.referral.state, "sent")
        self.assertEqual(len(self.referral.status_log_ids), 1)

    def test_post_without_csrf_token_is_refused(self):
        self.authenticate("seeker", "seeker")
        response = self.url_open(
            f"/my/referrals/{self.referral.id}/status",
            data={"state": "cancelled"},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.referral.state, "sent")

    def test_portal_note_by_guardian(self):
        self.authenticate("guardian_portal", "guardian_portal")
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "care.referral",
                "thread_id": self.referral.id,
                "post_data": {"body": "He went on Monday.", "message_type": "comment"},
            },
        )
        message = self.referral.message_ids.filtered(
            lambda m: "He went on Monday" in (m.body or "")
        )
        self.assertEqual(message.author_id, self.guardian_partner)
        self.assertEqual(self.referral.state, "sent")
