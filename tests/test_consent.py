import json
from datetime import timedelta

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common_referral import ReferralCase
from .test_portal import PortalCase


class ConsentMixin:
    def consent(self, client=None, scope="sms_reminders", given_by=None, **values):
        client = client or self.seeker
        return self.env["care.consent"].create(
            {
                "client_id": client.id,
                "scope": scope,
                "given_by_id": (given_by or client).id,
                **values,
            }
        )


@tagged("post_install", "-at_install")
class TestConsentRecords(ConsentMixin, ReferralCase):
    def test_scope_needs_its_target(self):
        with self.assertRaisesRegex(ValidationError, "must say which program"):
            self.consent(scope="program")
        with self.assertRaisesRegex(ValidationError, "must say which person"):
            self.consent(scope="portal")
        self.assertTrue(self.consent(scope="program", program_id=self.program.id))

    def test_only_the_client_or_a_minors_guardian_gives_it(self):
        guardian = self.guardian_user.partner_id
        with self.assertRaisesRegex(ValidationError, "cannot consent for Sam Seeker"):
            self.consent(given_by=guardian)  # Sam is an adult
        consent = self.consent(client=self.minor, given_by=self.guardian)
        self.assertEqual(consent.given_by_id, self.guardian)
        with self.assertRaisesRegex(ValidationError, "cannot consent for Mia Minor"):
            self.consent(client=self.minor, given_by=self.other_parent)

    def test_current_until_expired_or_revoked(self):
        yesterday = self.today - timedelta(days=1)
        expired = self.consent(
            date_given=self.today - timedelta(days=30), date_expiry=yesterday
        )
        current = self.consent(date_expiry=self.today)
        revoked = self.consent()
        revoked.action_revoke()
        self.assertEqual(
            (expired.is_current, current.is_current, revoked.is_current),
            (False, True, False),
        )
        Consent = self.env["care.consent"]
        mine = [("client_id", "=", self.seeker.id)]
        self.assertEqual(Consent.search([*mine, ("is_current", "=", True)]), current)
        self.assertEqual(
            Consent.search([*mine, ("is_current", "=", False)]), expired | revoked
        )
        self.assertEqual(revoked.revoked_by_id, self.env.user.partner_id)
        with self.assertRaisesRegex(UserError, "already revoked"):
            revoked.action_revoke()
        with self.assertRaisesRegex(ValidationError, "expires before it was given"):
            self.consent(date_expiry=yesterday)


@tagged("post_install", "-at_install")
class TestWhatRestsOnConsent(ConsentMixin, ReferralCase):
    def draft(self, **values):
        return self.make_referral(consent=False, **values)

    def test_referral_needs_consent_flag_or_record(self):
        with self.assertRaisesRegex(UserError, "needs the seeker's consent"):
            self.draft()
        consent = self.consent(scope="program", program_id=self.program.id)
        referral = self.draft()
        self.assertEqual(referral.consent_id, consent)
        # An organisation's consent covers its programs.
        other = self.consent(scope="organization", organization_id=self.provider.id)
        self.assertEqual(self.draft(program_id=self.far_program.id).consent_id, other)

    def test_revoking_stops_the_referral_being_sent(self):
        consent = self.consent(scope="program", program_id=self.program.id)
        referral = self.draft()
        ticked = self.make_referral()
        consent.with_user(self.helper).action_revoke()
        self.assertIn("cannot be sent", referral.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "needs the seeker's consent"):
            referral.with_user(self.helper).action_send()
        self.assertEqual(referral.state, "draft")
        ticked.with_user(self.helper).action_send()  # live consent on it
        self.assertEqual(ticked.state, "sent")

    def test_revoking_portal_consent_unticks_the_grants(self):
        guardian = self.guardian_user.partner_id
        relation = self.seeker.care_relation_ids.filtered(
            lambda r: r.related_partner_id == guardian
        )
        self.assertTrue(relation.can_view_profile)
        consent = self.consent(scope="portal", grantee_partner_id=guardian.id)
        self.assertEqual(relation.portal_consent_id, consent)
        second = self.consent(scope="portal", grantee_partner_id=guardian.id)
        consent.action_revoke()
        self.assertTrue(relation.can_view_profile, "the second consent still holds")
        second.action_revoke()
        self.assertFalse(
            relation.can_view_profile
            or relation.can_view_appointments
            or relation.can_view_referrals
        )
        self.assertFalse(relation.portal_consent_id)
        self.assertIn("Consent revoked by", relation.message_ids[0].body)

    def test_revoking_sms_consent_stops_sms_reminders(self):
        relation = self.relate(
            self.seeker,
            self.other_parent,
            self.type_parent,
            reminder_opt_in=True,
            reminder_sms=True,
        )
        consent = self.consent()
        self.assertEqual(relation.sms_consent_id, consent)
        consent.action_revoke()
        self.assertFalse(relation.reminder_sms)
        self.assertTrue(relation.reminder_opt_in, "e-mail reminders go on")


@tagged("post_install", "-at_install")
class TestConsentPortal(ConsentMixin, PortalCase):
    def post(self, url, login, **data):
        self.authenticate(login, login)
        data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(url, data=data, allow_redirects=False)

    def test_guardian_gives_and_revokes_for_a_minor_ward(self):
        url = f"/my/care/{self.minor.id}/consents"
        page = self.get(url, "two_wards")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f'value="portal:{self.dora.id}"', page.text)
        response = self.post(url, "two_wards", offer="sms_reminders")
        self.assertEqual(response.status_code, 303)
        consent = self.minor.care_consent_ids
        self.assertEqual(
            (consent.scope, consent.channel, consent.given_by_id),
            ("sms_reminders", "portal", self.dora),
        )
        response = self.post(f"{url}/{consent.id}/revoke", "two_wards")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(consent.revoked_by_id, self.dora)
        self.assertFalse(consent.is_current)

    def test_a_guardian_without_the_referrals_grant_learns_no_program(self):
        teen_program = self.env["care.program"].create(
            {"name": "Teen Health Clinic", "provider_id": self.provider.id}
        )
        self.make_referral(seeker=self.minor, program_id=teen_program.id)
        url = f"/my/care/{self.minor.id}/consents"
        self.assertIn("Teen Health Clinic", self.get(url, "two_wards").text)
        self.minor.care_relation_ids.filtered(
            lambda r: r.related_partner_id == self.dora
        ).can_view_referrals = False
        page = self.get(url, "two_wards")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("Teen Health Clinic", page.text)
        offer = f"program:{teen_program.id}"
        self.assertEqual(self.post(url, "two_wards", offer=offer).status_code, 400)
        self.assertFalse(self.minor.care_consent_ids)

    def test_refused_offers_and_people(self):
        url = f"/my/care/{self.minor.id}/consents"
        response = self.post(url, "two_wards", offer=f"program:{self.program.id}")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Choose one of the consents offered", response.text)
        self.assertFalse(self.minor.care_consent_ids)
        # Ada is an adult: her guardian does not consent for her.
        adult_url = f"/my/care/{self.adult.id}/consents"
        self.assertEqual(self.get(adult_url, "two_wards").status_code, 403)
        self.assertEqual(
            self.post(adult_url, "two_wards", offer="sms_reminders").status_code, 403
        )
        consent = self.consent(client=self.minor, given_by=self.guardian)
        self.assertEqual(
            self.post(f"{url}/{consent.id}/revoke", "stranger_portal").status_code, 403
        )
        self.assertEqual(
            self.post(
                f"/my/care/{self.seeker.id}/consents/{consent.id}/revoke", "seeker"
            ).status_code,
            404,
        )
        self.assertTrue(consent.is_current)

    def test_the_staff_note_is_not_read_over_rpc_by_who_speaks_for_the_client(self):
        note = "Explained on the phone; mother hesitant about SMS"
        consent = self.consent(client=self.minor, given_by=self.guardian, note=note)
        self.authenticate("two_wards", "two_wards")

        # The raw answer, not make_jsonrpc_request's: the refusal's own text
        # must not hold the note either.
        def call(method, args):
            return self.url_open(
                f"/web/dataset/call_kw/care.consent/{method}",
                data=json.dumps(
                    {
                        "params": {
                            "model": "care.consent",
                            "method": method,
                            "args": args,
                            "kwargs": {},
                        }
                    }
                ),
                headers={"Content-Type": "application/json"},
            ).json()

        # Dora reads her ward's consent (the portal rule), not the staff's note.
        refused = call("read", [consent.ids, ["note"]])
        self.assertEqual(
            refused["error"]["data"]["name"], "odoo.exceptions.AccessError"
        )
        self.assertNotIn(note, json.dumps(refused))
        rows = call("search_read", [[("id", "=", consent.id)]])["result"]
        self.assertEqual([row["id"] for row in rows], consent.ids)
        self.assertNotIn("note", rows[0])
        self.assertNotIn(note, json.dumps(rows))
        page = self.get(f"/my/care/{self.minor.id}/consents", "two_wards")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn(note, page.text)

    def test_portal_rule_matches_who_speaks_for_the_client(self):
        mine = self.consent()
        ward = self.consent(client=self.minor, given_by=self.guardian)
        adult = self.consent(client=self.adult)
        Consent = self.env["care.consent"]
        every = [("id", "in", (mine | ward | adult).ids)]
        for user, expected in (
            (self.seeker_user, mine),
            (self.two_wards_user, ward),
            (self.guardian_user, Consent),
            (self.stranger_user, Consent),
        ):
            found = Consent.with_user(user).search(every)
            self.assertEqual(found, expected, user.login)
            for consent in mine | ward | adult:
                self.assertEqual(
                    consent in found,
                    consent.client_id._care_speaks_for(user.partner_id),
                    (user.login, consent.client_id.name),
                )
