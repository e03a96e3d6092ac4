"""Trust rules through the FHIR API: a resource never includes a field of a
record the API key's user may not read (issue #37).

Each test is the attack: a persona who reaches a resource (their relation, a
referral or consent they may read) but not the records it links to (the client
without the profile grant, other people of the circle, the helper, a grantee, a
partner of another company), the request with their API key, and the unique
values planted on those records, which must not be in the response's body. A
persona who may read those records still gets them. Every response is valid FHIR.
"""

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import company_b_care_user
from .fhir_validation import validate
from .test_fhir import FhirCase

PHONE = "+1 555 0199 777"
STREET = "Marker Street 42"
EMAIL = "carla.marker@example.com"
CLIENT = "Carla Markerclient"
RELATIVE = "Rex Markerrelative"
RELATIVE_PHONE = "+1 555 0199 888"
RELATIVE_STREET = "Marker Street 43"
HELPER = "Hugo Markerhelper"
MINOR = "Milo Markerminor"
CO_GUARDIAN = "Gwen Markerguardian"
GRANTEE = "Grace Markergrantee"
ORGANISATION = "Marker Org Inc"
DOCUMENT = "marker-signed-form.pdf"


class TrustFhirCase(FhirCase):
    def body(self, path, key, status=200):
        """The response's body (text), after checking its status and that it
        is valid FHIR."""
        response = self.call("GET", path, key)
        self.assertEqual(response.status_code, status, response.text[:500])
        self.assertEqual(response.headers["Content-Type"], "application/fhir+json")
        validate(response.json())
        return response.text

    def assertNoneIn(self, markers, text):
        for marker in markers:
            self.assertNotIn(marker, text)

    def assertAllIn(self, markers, text):
        for marker in markers:
            self.assertIn(marker, text)


@tagged("post_install", "-at_install")
class TestTrustFhirCircle(TrustFhirCase):
    """Pete is in Carla's circle without the profile grant (he may see her
    referrals); Tess has the profile grant; Carla reads her own circle."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.carla_client = cls.Partner.create(
            {
                "name": CLIENT,
                "is_care_client": True,
                "phone": PHONE,
                "street": STREET,
                "email": EMAIL,
                "zip": "11215",
            }
        )
        cls.carla_user = new_test_user(
            cls.env,
            login="carla_trust_fhir",
            name=CLIENT,
            email=EMAIL,
            groups="base.group_portal",
            partner_id=cls.carla_client.id,
        )
        cls.pete_user, cls.tess_user = (
            new_test_user(cls.env, login=login, name=name, groups="base.group_portal")
            for login, name in (
                ("pete_trust_fhir", "Pete Parent"),
                ("tess_trust_fhir", "Tess Trusted"),
            )
        )
        cls.relative = cls.Partner.create(
            {
                "name": RELATIVE,
                "phone": RELATIVE_PHONE,
                "street": RELATIVE_STREET,
            }
        )
        cls.pete_relation = cls.relate(
            cls.carla_client,
            cls.pete_user.partner_id,
            cls.type_parent,
            can_view_profile=False,
            can_view_referrals=True,
        )
        cls.tess_relation = cls.relate(
            cls.carla_client,
            cls.tess_user.partner_id,
            cls.type_parent,
            can_view_profile=True,
        )
        cls.relative_relation = cls.relate(
            cls.carla_client, cls.relative, cls.type_parent
        )
        cls.helper.partner_id.name = HELPER
        cls.carla_referral = cls.make_referral(
            seeker=cls.carla_client, comment="Needs a food box."
        )
        cls.carla_referral.with_user(cls.helper).sudo(False).set_state("sent")
        cls.keys.update(
            {
                "pete": cls.api_key(cls.pete_user),
                "tess": cls.api_key(cls.tess_user),
                "carla": cls.api_key(cls.carla_user),
            }
        )

    def test_patient_of_a_client_without_the_profile_grant(self):
        """Guard: the Patient is the client the search found, so a contact
        without the grant gets no Patient of her at all."""
        client = self.carla_client
        markers = (CLIENT, PHONE, STREET, EMAIL)
        self.assertNoneIn(markers, self.body(f"/Patient/{client.id}", "pete", 404))
        for query in ("", f"?identifier={client.id}", "?name=Markerclient"):
            self.assertNoneIn(markers, self.body(f"/Patient{query}", "pete"))
        self.assertAllIn(markers, self.body(f"/Patient/{client.id}", "tess"))
        self.assertAllIn(markers, self.body("/Patient?name=Markerclient", "tess"))

    def test_inverse_related_person_hides_the_client(self):
        """Pete as Carla's parent: the inverse side is Carla as his child. He
        may read the relation, not Carla."""
        markers = (CLIENT, PHONE, STREET, EMAIL)
        inverse = f"/RelatedPerson/{self.pete_relation.id}-inverse"
        body = self.body(inverse, "pete")
        self.assertNoneIn(markers, body)
        resource = self.fhir("GET", inverse, "pete")
        self.assertEqual(resource["relationship"][0]["coding"][0]["code"], "CHILD")
        self.assertEqual(
            resource["patient"]["reference"], f"Patient/{self.pete_user.partner_id.id}"
        )
        self.assertNotIn("name", resource)
        searches = (
            "/RelatedPerson",
            f"/RelatedPerson?patient=Patient/{self.pete_user.partner_id.id}",
            "/RelatedPerson?relationship=CHILD",
        )
        for path in searches:
            body = self.body(path, "pete")
            self.assertIn(f"{self.pete_relation.id}-inverse", body)
            self.assertNoneIn(markers, body)
        # Who may read Carla still gets her: Tess (the grant), her care user.
        tess_inverse = f"/RelatedPerson/{self.tess_relation.id}-inverse"
        self.assertAllIn(markers, self.body(tess_inverse, "tess"))
        self.assertAllIn(markers, self.body("/RelatedPerson", "tess"))
        self.assertAllIn(markers, self.body(inverse, "helper"))

    def test_related_person_hides_the_client_and_the_others(self):
        """Pete's own side names Carla as its patient; Carla's own circle
        names the relatives she may not read."""
        forward = f"/RelatedPerson/{self.pete_relation.id}"
        body = self.body(forward, "pete")
        self.assertNoneIn((CLIENT,), body)
        self.assertIn("Pete Parent", body)
        resource = self.fhir("GET", forward, "pete")
        self.assertEqual(
            resource["patient"], {"reference": f"Patient/{self.carla_client.id}"}
        )
        self.assertNoneIn((CLIENT,), self.body("/RelatedPerson?active=true", "pete"))
        self.assertIn(
            CLIENT, self.body(f"/RelatedPerson/{self.tess_relation.id}", "tess")
        )
        # Carla reads her circle: not the contact details of a relative she may
        # not read, nor the names of the other portal users.
        relative = f"/RelatedPerson/{self.relative_relation.id}"
        relative_markers = (RELATIVE, RELATIVE_PHONE, RELATIVE_STREET)
        self.assertNoneIn(relative_markers, self.body(relative, "carla"))
        circle = self.body(
            f"/RelatedPerson?patient=Patient/{self.carla_client.id}", "carla"
        )
        self.assertIn(str(self.relative_relation.id), circle)
        self.assertNoneIn((*relative_markers, "Pete Parent", "Tess Trusted"), circle)
        self.assertAllIn(relative_markers, self.body(relative, "helper"))
        self.assertAllIn(
            (*relative_markers, "Pete Parent"),
            self.body(
                f"/RelatedPerson?patient=Patient/{self.carla_client.id}", "helper"
            ),
        )

    def test_service_request_and_task_hide_client_and_helper(self):
        """Pete may see Carla's referrals, not Carla nor the helper's partner."""
        referral = self.carla_referral
        markers = (CLIENT, PHONE, STREET, HELPER)
        paths = (
            f"/ServiceRequest/{referral.id}",
            f"/Task/{referral.id}",
            "/ServiceRequest",
            "/Task",
            f"/ServiceRequest?patient=Patient/{self.carla_client.id}",
            f"/Task?subject=Patient/{self.carla_client.id}&status=requested",
        )
        for path in paths:
            body = self.body(path, "pete")
            self.assertIn(f'"{referral.id}"', body)
            self.assertNoneIn(markers, body)
            # The referral's own fields and the program (which he may read) stay.
            self.assertIn("Weekly Groceries", body)
        request = self.fhir("GET", f"/ServiceRequest/{referral.id}", "pete")
        self.assertEqual(
            request["subject"], {"reference": f"Patient/{self.carla_client.id}"}
        )
        self.assertEqual(request["note"][0]["text"], "Needs a food box.")
        task = self.fhir("GET", f"/Task/{referral.id}", "pete")
        self.assertEqual(task["for"], {"reference": f"Patient/{self.carla_client.id}"})
        self.assertNotIn(HELPER, task.get("requester", {}).get("display", ""))
        # The helper reads the client and himself.
        for path in paths[:2]:
            self.assertAllIn((CLIENT, HELPER), self.body(path, "helper"))

    def test_task_update_answers_as_the_user(self):
        """Pete may close Carla's referral as she would: the Task the PATCH
        answers with is his view of it."""
        self.pete_relation.can_update_referrals = True
        response = self.call(
            "PATCH",
            f"/Task/{self.carla_referral.id}",
            key="pete",
            body=[{"op": "replace", "path": "/status", "value": "cancelled"}],
            content_type="application/json-patch+json",
        )
        self.assertEqual(response.status_code, 200, response.text[:500])
        task = validate(response.json())
        self.assertEqual(task["status"], "cancelled")
        self.assertEqual(self.carla_referral.state, "cancelled")
        self.assertNoneIn((CLIENT, PHONE, HELPER), response.text)
        self.assertEqual(task["for"], {"reference": f"Patient/{self.carla_client.id}"})


@tagged("post_install", "-at_install")
class TestTrustFhirGuardianWithoutProfile(TrustFhirCase):
    """Gabe is a legal guardian of the minor Milo without the profile grant: he
    reads Milo's consents and access log (he speaks for him), not Milo, his
    co-guardian, the grantee, the organisation nor the signed form."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gabe_user = new_test_user(
            cls.env,
            login="gabe_trust_fhir",
            name="Gabe Guardian",
            groups="base.group_portal",
        )
        cls.co_guardian = cls.Partner.create(
            {"name": CO_GUARDIAN, "phone": "+1 555 0199 666"}
        )
        since = cls.today - relativedelta(years=2)
        cls.milo = cls.Partner.create(
            {
                "name": MINOR,
                "phone": PHONE,
                "street": STREET,
                "birthdate": cls.today - relativedelta(years=9),
                "is_care_client": True,
                "care_relation_ids": [
                    Command.create(
                        {
                            "related_partner_id": cls.gabe_user.partner_id.id,
                            "type_id": cls.type_guardian.id,
                            "date_start": since,
                            "can_view_profile": False,
                        }
                    ),
                    Command.create(
                        {
                            "related_partner_id": cls.co_guardian.id,
                            "type_id": cls.type_guardian.id,
                            "date_start": since,
                        }
                    ),
                ],
            }
        )
        cls.grantee = cls.Partner.create({"name": GRANTEE, "phone": "+1 555 0199 555"})
        cls.organisation = cls.Partner.create(
            {"name": ORGANISATION, "is_company": True}
        )
        Consent = cls.env["care.consent"]
        cls.portal_consent = Consent.create(
            {
                "client_id": cls.milo.id,
                "scope": "portal",
                "grantee_partner_id": cls.grantee.id,
                "given_by_id": cls.co_guardian.id,
            }
        )
        # The signed form, uploaded on the consent (as the form's widget does).
        cls.portal_consent.attachment_ids = [
            Command.create(
                {
                    "name": DOCUMENT,
                    "raw": b"%PDF-1.4 signed",
                    "res_model": "care.consent",
                    "res_id": cls.portal_consent.id,
                }
            )
        ]
        cls.organisation_consent = Consent.create(
            {
                "client_id": cls.milo.id,
                "scope": "organization",
                "organization_id": cls.organisation.id,
                "given_by_id": cls.milo.id,
            }
        )
        Log = cls.env["care.access.log"]
        Log.with_user(cls.gabe_user)._log_read(cls.milo, "profile")
        cls.milo_row = Log.search([("client_id", "=", cls.milo.id)])
        cls.keys["gabe"] = cls.api_key(cls.gabe_user)

    def test_patient_of_the_ward(self):
        """Guard: Gabe may not read Milo, so there is no Patient of him."""
        markers = (MINOR, PHONE, STREET)
        self.assertNoneIn(markers, self.body(f"/Patient/{self.milo.id}", "gabe", 404))
        self.assertNoneIn(markers, self.body("/Patient", "gabe"))
        self.assertAllIn(markers, self.body(f"/Patient/{self.milo.id}", "helper"))

    def test_consent_hides_what_the_guardian_may_not_read(self):
        markers = (MINOR, CO_GUARDIAN, GRANTEE, ORGANISATION, DOCUMENT)
        consents = self.portal_consent | self.organisation_consent
        paths = [f"/Consent/{consent.id}" for consent in consents] + [
            "/Consent",
            f"/Consent?patient=Patient/{self.milo.id}",
            f"/Consent?patient=Patient/{self.milo.id}&status=active",
        ]
        for path in paths:
            self.assertNoneIn(markers, self.body(path, "gabe"))
        found = self.fhir("GET", "/Consent?_count=100", "gabe")
        self.assertEqual(set(self.ids(found)), {str(c.id) for c in consents})
        consent = self.fhir("GET", f"/Consent/{self.portal_consent.id}", "gabe")
        self.assertEqual(consent["patient"], {"reference": f"Patient/{self.milo.id}"})
        self.assertNotIn("sourceAttachment", consent)
        [actor] = consent["provision"]["actor"]
        self.assertEqual(
            actor["reference"]["identifier"]["value"], str(self.grantee.id)
        )
        self.assertEqual(
            consent["performer"][0]["identifier"]["value"], str(self.co_guardian.id)
        )
        # Care staff of the agency may read all of them.
        for key in ("helper", "manager"):
            self.assertAllIn(
                markers, self.body(f"/Consent?patient=Patient/{self.milo.id}", key)
            )

    def test_audit_event_hides_the_ward(self):
        row = self.milo_row
        paths = (
            f"/AuditEvent/{row.id}",
            "/AuditEvent",
            f"/AuditEvent?patient=Patient/{self.milo.id}",
        )
        for path in paths:
            body = self.body(path, "gabe")
            self.assertIn(f'"{row.id}"', body)
            self.assertNoneIn((MINOR, PHONE), body)
        event = self.fhir("GET", f"/AuditEvent/{row.id}", "gabe")
        patient = event["entity"][0]["what"]
        self.assertEqual(patient, {"reference": f"Patient/{self.milo.id}"})
        # The row's own copy of who read it is the row's, which he may read.
        self.assertEqual(event["agent"][0]["name"], "Gabe Guardian")
        for path in paths:
            self.assertIn(MINOR, self.body(path, "manager"))


@tagged("post_install", "-at_install")
class TestTrustFhirOtherCompany(TrustFhirCase):
    """A care user of company B reads company B's relation and consent, whose
    contact and co-guardian have since moved to company A."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Company = cls.env["res.company"]
        cls.company_a = Company.create({"name": "Trust Agency A"})
        cls.staff_b = company_b_care_user(cls.env, "trust_staff_b", "Trust Agency B")
        cls.company_b = cls.staff_b.company_id
        cls.staff_both = new_test_user(
            cls.env,
            login="trust_staff_ab",
            groups="care_network.group_care_user",
            company_id=cls.company_b.id,
            company_ids=[Command.set((cls.company_a | cls.company_b).ids)],
        )
        cls.moved = cls.Partner.create(
            {"name": RELATIVE, "phone": RELATIVE_PHONE, "street": RELATIVE_STREET}
        )
        cls.co_guardian = cls.Partner.create({"name": CO_GUARDIAN})
        cls.client_b = cls.Partner.create(
            {
                "name": "Bo B-Client",
                "is_care_client": True,
                "company_id": cls.company_b.id,
                "birthdate": cls.today - relativedelta(years=8),
                "care_relation_ids": [
                    Command.create(
                        {
                            "related_partner_id": cls.co_guardian.id,
                            "type_id": cls.type_guardian.id,
                            "date_start": cls.today - relativedelta(years=1),
                        }
                    )
                ],
            }
        )
        cls.relation_b = cls.relate(cls.client_b, cls.moved, cls.type_parent)
        cls.consent_b = (
            cls.env["care.consent"]
            .with_company(cls.company_b)
            .create(
                {
                    "client_id": cls.client_b.id,
                    "scope": "sms_reminders",
                    "given_by_id": cls.co_guardian.id,
                }
            )
        )
        (cls.moved | cls.co_guardian).company_id = cls.company_a
        cls.keys.update(
            {"staff_b": cls.api_key(cls.staff_b), "both": cls.api_key(cls.staff_both)}
        )

    def test_related_person_of_a_contact_of_another_company(self):
        self.assertEqual(self.relation_b.company_id, self.company_b)
        markers = (RELATIVE, RELATIVE_PHONE, RELATIVE_STREET)
        paths = (
            f"/RelatedPerson/{self.relation_b.id}",
            f"/RelatedPerson?patient=Patient/{self.client_b.id}",
            f"/RelatedPerson/{self.relation_b.id}-inverse",
        )
        for path in paths:
            body = self.body(path, "staff_b")
            self.assertIn(str(self.relation_b.id), body)
            self.assertNoneIn(markers, body)
        self.assertIn("Bo B-Client", self.body(paths[0], "staff_b"))
        for path in paths[:2]:
            self.assertAllIn(markers, self.body(path, "both"))

    def test_consent_given_by_a_guardian_of_another_company(self):
        paths = (
            f"/Consent/{self.consent_b.id}",
            f"/Consent?patient=Patient/{self.client_b.id}",
        )
        for path in paths:
            body = self.body(path, "staff_b")
            self.assertIn(f'"{self.consent_b.id}"', body)
            self.assertNotIn(CO_GUARDIAN, body)
            self.assertIn("Bo B-Client", body)
            self.assertIn(CO_GUARDIAN, self.body(path, "both"))
