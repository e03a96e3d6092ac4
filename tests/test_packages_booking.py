from datetime import timedelta

from odoo import Command, fields, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .test_packages import PackageCase


class BookingCase(PackageCase):
    """An active package of four sessions for Ada and Mia (Mia's guardian Gina
    holds both grants), two open times; Oscar is also Mia's guardian but may not
    see her appointments; Lena takes part in another family's package; Stan has
    a login and no relation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        portal = "base.group_portal"
        cls.adult_user = new_test_user(
            cls.env,
            login="ada_book",
            name="Ada Adult",
            groups=portal,
            partner_id=cls.adult.id,
        )
        cls.guardian_user = new_test_user(
            cls.env,
            login="gina_book",
            name="Gina Guardian",
            groups=portal,
            partner_id=cls.guardian.id,
        )
        cls.relate(
            cls.minor,
            cls.other_parent,
            cls.type_guardian,
            can_view_profile=True,
            can_view_appointments=False,
        )
        cls.no_grant_user = new_test_user(
            cls.env,
            login="oscar_book",
            name="Oscar Other",
            groups=portal,
            partner_id=cls.other_parent.id,
        )
        cls.stranger_user = new_test_user(cls.env, login="stan_book", groups=portal)
        other_family = cls.Partner.create(
            {"name": "Other Family", "is_company": True, "care_group_kind": "family"}
        )
        cls.lena = cls.Partner.create({"name": "Lena Else", "is_care_client": True})
        cls.relate(cls.lena, other_family, cls.type_member)
        cls.other_client_user = new_test_user(
            cls.env,
            login="lena_book",
            name="Lena Else",
            groups=portal,
            partner_id=cls.lena.id,
        )
        cls.package = cls.make_package(
            session_count=4,
            participant_ids=[Command.set((cls.adult | cls.minor).ids)],
        )
        cls.package.action_activate()
        cls.other_package = cls.env["care.package"].create(
            {"name": "Other coaching", "holder_id": other_family.id}
        )
        cls.other_package.action_activate()
        cls.slot = cls.add_slot(cls.package, days=4)
        cls.slot_later = cls.add_slot(cls.package, days=6)
        cls.other_slot = cls.add_slot(cls.other_package, days=4)

    @classmethod
    def add_slot(cls, package, days, hour=10):
        start = fields.Datetime.now().replace(
            hour=hour, minute=0, second=0, microsecond=0
        ) + timedelta(days=days)
        return (
            cls.env["care.package.slot"]
            .with_user(cls.care_user)
            .create(
                {
                    "package_id": package.id,
                    "start": start,
                    "stop": start + timedelta(hours=1),
                }
            )
        )

    def fill_package(self, package):
        """Book the sessions left, as staff do."""
        for day in range(package.sessions_remaining):
            self.book(package, package.participant_ids, days=10 + day)


@tagged("post_install", "-at_install")
class TestPackageSlots(BookingCase):
    """The rules of booking, on the models."""

    def book_as(self, user, slot):
        slot.env["care.package.slot"].with_user(user)._check_bookable_by_user(
            slot.package_id
        )
        return slot.sudo()._book_by(user.partner_id)

    def test_booking_an_open_time_makes_the_session_of_the_participants(self):
        event = self.book_as(self.guardian_user, self.slot)
        self.assertEqual(event.care_package_id, self.package)
        self.assertEqual(event.partner_ids, self.adult | self.minor)
        self.assertEqual((event.start, event.stop), (self.slot.start, self.slot.stop))
        self.assertEqual(event.user_id, self.care_user)
        self.assertEqual(
            (self.slot.state, self.slot.requester_id, self.slot.event_id),
            ("booked", self.guardian, event),
        )
        self.assertEqual(
            (self.package.sessions_booked, self.package.sessions_remaining), (1, 3)
        )
        note = self.package.message_ids[:1]
        self.assertIn("Gina Guardian booked the session", note.body)
        self.assertEqual(note.author_id, self.guardian)
        self.assertIn(self.care_user.partner_id, note.partner_ids)
        # The guardian sees it as the appointment of her ward.
        self.assertTrue(event.with_user(self.guardian_user).has_access("read"))

    def test_a_time_is_booked_once(self):
        self.book_as(self.adult_user, self.slot)
        with self.assertRaisesRegex(UserError, "no longer open"):
            self.book_as(self.guardian_user, self.slot)
        self.assertEqual(len(self.package.event_ids), 1)
        self.assertEqual(self.slot.requester_id, self.adult)

    def test_past_the_sessions_included_nothing_is_booked(self):
        self.fill_package(self.package)
        with self.assertRaisesRegex(UserError, "All the 4 sessions included"):
            self.book_as(self.adult_user, self.slot)
        with self.assertRaisesRegex(UserError, "All the 4 sessions included"):
            self.package.sudo()._request_session_by(
                self.adult, self.slot_later.start, self.slot_later.stop
            )
        self.assertEqual(len(self.package.event_ids), 4)
        self.assertEqual(self.slot.state, "open")
        self.assertFalse(self.package.slot_ids.filtered(lambda s: s.state != "open"))

    def test_an_inactive_package_books_nothing(self):
        self.package.action_complete()
        with self.assertRaisesRegex(UserError, "is not active"):
            self.book_as(self.adult_user, self.slot)

    def test_a_request_is_confirmed_by_staff(self):
        start = self.slot.start + timedelta(days=1)
        request = (
            self.package.with_user(self.adult_user)
            .sudo()
            ._request_session_by(
                self.adult, start, start + timedelta(hours=1), "After school"
            )
        )
        self.assertEqual(
            (request.state, request.requester_id), ("requested", self.adult)
        )
        activity = request.request_activity_ids
        self.assertEqual(activity.user_id, self.care_user)
        self.assertEqual(activity.res_id, self.package.id)
        self.assertFalse(self.package.event_ids, "a request books nothing yet")
        self.assertEqual(self.package.slot_request_count, 1)
        request.with_user(self.care_user).action_confirm()
        self.assertEqual(request.state, "booked")
        self.assertEqual(request.event_id.partner_ids, self.adult | self.minor)
        self.assertEqual(request.event_id.start, start)
        self.assertFalse(activity.exists(), "the activity is done")
        self.assertIn("confirmed for Ada Adult", self.package.message_ids[:1].body)
        with self.assertRaisesRegex(UserError, "not a request waiting"):
            request.with_user(self.care_user).action_decline()

    def test_a_request_is_declined(self):
        start = self.slot.start + timedelta(days=2)
        request = self.package.sudo()._request_session_by(
            self.guardian, start, start + timedelta(hours=1)
        )
        request.with_user(self.care_user).action_decline()
        self.assertEqual(request.state, "declined")
        self.assertFalse(self.package.event_ids)

    def test_confirming_past_the_sessions_included_asks_for_an_extra_session(self):
        start = self.slot.start + timedelta(days=1)
        request = self.package.sudo()._request_session_by(
            self.adult, start, start + timedelta(hours=1)
        )
        self.fill_package(self.package)
        staff_request = request.with_user(self.care_user)
        with self.assertRaisesRegex(UserError, "Book an Extra Session"):
            staff_request.action_confirm()
        self.assertEqual(len(self.package.event_ids), 4)
        staff_request.with_context(care_extra_session=True).action_confirm()
        self.assertEqual(len(self.package.event_ids), 5)

    def test_odd_times_are_refused(self):
        Slot = self.env["care.package.slot"].with_user(self.care_user)
        start = fields.Datetime.now() + timedelta(days=1)
        with self.assertRaisesRegex(ValidationError, "ends after it starts"):
            Slot.create({"package_id": self.package.id, "start": start, "stop": start})
        with self.assertRaisesRegex(ValidationError, "has passed"):
            Slot.create(
                {
                    "package_id": self.package.id,
                    "start": start - timedelta(days=3),
                    "stop": start - timedelta(days=3, hours=-1),
                }
            )

    def test_who_may_book(self):
        Slot = self.env["care.package.slot"]
        for user in (self.adult_user, self.guardian_user):
            Slot.with_user(user)._check_bookable_by_user(self.package)
            self.assertEqual(
                Slot.with_user(user).search([("package_id", "=", self.package.id)]),
                self.slot | self.slot_later,
            )
        for user in (self.no_grant_user, self.stranger_user, self.other_client_user):
            with self.assertRaises(AccessError, msg=user.login):
                Slot.with_user(user)._check_bookable_by_user(self.package)
            self.assertFalse(
                Slot.with_user(user).search([("package_id", "=", self.package.id)])
            )
        # Oscar reads the package (his profile grant) but may not book it.
        self.assertTrue(self.package.with_user(self.no_grant_user).has_access("read"))
        with self.assertRaises(AccessError):
            Slot.with_user(self.internal_user)._check_bookable_by_user(self.package)

    def test_staff_cannot_book_or_close_activities_by_editing(self):
        """Over RPC a care user could set a slot's state, or link anyone's
        activities to it and have the Decline button mark them done."""
        foreign = self.env["mail.activity"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                "res_id": self.lena.id,
                "user_id": self.care_manager.id,
                "summary": "Someone else's task",
            }
        )
        Slot = self.env["care.package.slot"].with_user(self.care_user)
        start = self.slot.start + timedelta(days=3)
        forged = {
            "package_id": self.package.id,
            "start": start,
            "stop": start + timedelta(hours=1),
        }
        for protected in (
            {"state": "requested"},
            {"requester_id": self.adult.id},
            {"request_activity_ids": [Command.set(foreign.ids)]},
        ):
            with self.assertRaisesRegex(UserError, "with its buttons"):
                Slot.create({**forged, **protected})
            with self.assertRaisesRegex(UserError, "with its buttons"):
                self.slot.with_user(self.care_user).write(protected)
        request = self.package.sudo()._request_session_by(
            self.adult, start, start + timedelta(hours=1)
        )
        request.sudo().request_activity_ids |= foreign
        request.with_user(self.care_user).action_decline()
        self.assertTrue(foreign.exists(), "an activity of another record stays")
        self.assertEqual(self.slot.state, "open")

    def test_the_portal_writes_no_slot_itself(self):
        slot = self.slot.with_user(self.guardian_user)
        with self.assertRaises(AccessError):
            slot.write({"start": slot.start + timedelta(hours=1)})
        with self.assertRaises(AccessError):
            slot.env["care.package.slot"].create(
                {"package_id": self.package.id, "start": slot.start, "stop": slot.stop}
            )
        with self.assertRaises(AccessError):
            slot.action_confirm()


@tagged("post_install", "-at_install")
class TestPackagesBooking(HttpCase, BookingCase):
    """/my/packages/<id>/book as each portal persona."""

    def url(self, package=None):
        return f"/my/packages/{(package or self.package).id}/book"

    def get(self, url, login=None):
        self.authenticate(login, login)
        return self.url_open(url, allow_redirects=False)

    def post(self, data, login=None, package=None, csrf=True):
        self.authenticate(login, login)
        if csrf:
            data = {**data, "csrf_token": http.Request.csrf_token(self)}
        return self.url_open(self.url(package), data=data, allow_redirects=False)

    def assertNothingBooked(self):
        self.assertFalse(self.package.event_ids)
        self.assertEqual(set(self.package.slot_ids.mapped("state")), {"open"})

    def request_values(self, days=5, start="14:00", stop="15:00"):
        day = fields.Date.today() + timedelta(days=days)
        return {
            "request_date": day.isoformat(),
            "request_from": start,
            "request_until": stop,
            "note": "After school",
        }

    def test_participant_and_guardian_see_the_open_times(self):
        for login in ("ada_book", "gina_book"):
            page = self.get(f"/my/packages/{self.package.id}", login)
            self.assertIn(self.url(), page.text, login)
            response = self.get(self.url(), login)
            self.assertEqual(response.status_code, 200, login)
            self.assertEqual(response.text.count("o_care_portal_slot"), 2, login)
            self.assertIn('name="request_date"', response.text)
            self.assertIn('for="care_request_date"', response.text)

    def test_the_guardian_books_an_open_time(self):
        response = self.post({"slot_id": self.slot.id}, "gina_book")
        self.assertEqual(response.status_code, 303)
        self.assertTrue(
            response.headers["Location"].endswith(
                f"/my/packages/{self.package.id}?booked=1"
            )
        )
        event = self.package.event_ids
        self.assertEqual(event.partner_ids, self.adult | self.minor)
        self.assertEqual(self.slot.state, "booked")
        # Ada, who takes part too, sees the session; the time is no longer open.
        page = self.get(f"/my/packages/{self.package.id}", "ada_book")
        self.assertEqual(page.text.count("o_care_portal_session"), 1)
        self.assertEqual(
            self.get(self.url(), "ada_book").text.count("o_care_portal_slot"), 1
        )

    def test_a_time_booked_twice_books_once(self):
        self.assertEqual(
            self.post({"slot_id": self.slot.id}, "ada_book").status_code, 303
        )
        response = self.post({"slot_id": self.slot.id}, "gina_book")
        self.assertEqual(response.status_code, 409)
        self.assertIn("no longer open", response.text)
        self.assertEqual(len(self.package.event_ids), 1)
        self.assertEqual(self.slot.requester_id, self.adult)

    def test_past_the_sessions_included_the_page_says_so_and_books_nothing(self):
        self.fill_package(self.package)
        page = self.get(self.url(), "ada_book")
        self.assertEqual(page.status_code, 200)
        self.assertIn("All the 4 sessions included", page.text)
        self.assertNotIn("o_care_portal_slot", page.text)
        for data in ({"slot_id": self.slot.id}, self.request_values()):
            response = self.post(data, "ada_book")
            self.assertEqual(response.status_code, 409)
            self.assertIn("All the 4 sessions included", response.text)
        self.assertEqual(len(self.package.event_ids), 4)
        self.assertEqual(set(self.package.slot_ids.mapped("state")), {"open"})

    def test_a_participant_asks_for_another_time(self):
        response = self.post(self.request_values(), "ada_book")
        self.assertEqual(response.status_code, 303)
        request = self.package.slot_ids.filtered(lambda s: s.state == "requested")
        self.assertEqual(request.requester_id, self.adult)
        self.assertEqual(request.note, "After school")
        self.assertEqual(request.request_activity_ids.user_id, self.care_user)
        self.assertFalse(self.package.event_ids)
        page = self.get(self.url(), "ada_book")
        self.assertIn("o_care_portal_my_request", page.text)
        # Gina does not see Ada's request among hers.
        self.assertNotIn(
            "o_care_portal_my_request", self.get(self.url(), "gina_book").text
        )

    def test_the_others_are_refused_and_nothing_is_booked(self):
        for login in ("oscar_book", "stan_book", "lena_book"):
            self.assertEqual(self.get(self.url(), login).status_code, 403, login)
            for data in ({"slot_id": self.slot.id}, self.request_values()):
                self.assertEqual(self.post(data, login).status_code, 403, login)
        # Oscar sees the package (his profile grant), without the button.
        page = self.get(f"/my/packages/{self.package.id}", "oscar_book")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn(self.url(), page.text)
        self.assertEqual(self.get(self.url(), "care_user").status_code, 403)
        self.assertNothingBooked()

    def test_a_public_visitor_and_the_package_link_book_nothing(self):
        token = self.package.sudo()._portal_ensure_token()
        for url in (self.url(), f"{self.url()}?access_token={token}"):
            response = self.get(url)
            self.assertEqual(response.status_code, 303, url)
            self.assertIn("/web/login", response.headers["Location"])
        self.authenticate(None, None)
        response = self.url_open(
            f"{self.url()}?access_token={token}",
            data={"slot_id": self.slot.id, "csrf_token": http.Request.csrf_token(self)},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        page = self.get(f"/my/packages/{self.package.id}?access_token={token}")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn(self.url(), page.text)
        self.assertNothingBooked()

    def test_missing_csrf_is_refused(self):
        response = self.post({"slot_id": self.slot.id}, "gina_book", csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertNothingBooked()

    def test_bad_input_is_a_clear_4xx(self):
        self.guardian_user.tz = "Asia/Tokyo"  # year 1 east of UTC overflows
        cases = [
            ({"slot_id": self.other_slot.id}, 400, "not one of this package"),
            ({"slot_id": "abc"}, 400, "Choose one of the open times"),
            ({"slot_id": "99999999999999"}, 400, "not one of this package"),
            ({"slot_id": "987654321"}, 400, "not one of this package"),
            ({"request_date": "2030-13-45"}, 400, "Give the day"),
            (self.request_values(start="15:00", stop="14:00"), 400, "end after"),
            (self.request_values(days=-2), 400, "has passed"),
            (
                {
                    "request_date": "0001-01-01",
                    "request_from": "00:30",
                    "request_until": "01:00",
                },
                400,
                "years to come",
            ),
            ({}, 400, "Give the day"),
        ]
        for data, status, message in cases:
            response = self.post(data, "gina_book")
            self.assertEqual(response.status_code, status, data)
            self.assertIn(message, response.text, data)
        self.assertEqual(
            self.get("/my/packages/987654321/book", "gina_book").status_code, 404
        )
        self.assertEqual(
            self.get("/my/packages/abc/book", "gina_book").status_code, 404
        )
        self.assertNothingBooked()
        self.assertEqual(self.other_slot.state, "open")


@tagged("post_install", "-at_install")
class TestPackageBookingTour(HttpCase, BookingCase):
    def test_guardian_books_an_open_time_on_the_portal(self):
        self.slot_later.unlink()
        self.start_tour("/my", "care_network_package_booking", login="gina_book")
        self.assertEqual(self.slot.state, "booked")
        self.assertEqual(self.slot.requester_id, self.guardian)
        self.assertEqual(self.package.event_ids.partner_ids, self.adult | self.minor)
