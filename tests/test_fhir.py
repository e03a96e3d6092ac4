import json

from odoo.tests import HttpCase, tagged

from .common_referral import ReferralCase
from .fhir_validation import validate

FHIR = "/fhir/R4"


class FhirCase(HttpCase, ReferralCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.keys = {
            name: cls.api_key(user)
            for name, user in (
                ("helper", cls.helper),
                ("claimer", cls.claimer),
                ("guardian", cls.guardian_user),
                ("stranger", cls.stranger_user),
                ("manager", cls.care_manager),
            )
        }
        cls.seeker.write({"birthdate": "2001-02-03", "email": "sam@example.com"})
        cls.parent_relation = cls.relate(cls.seeker, cls.other_parent, cls.type_parent)
        cls.referral = cls.make_referral(comment="Needs groceries.")
        cls.referral.with_user(cls.helper).sudo(False).set_state("sent")
        cls.adult_referral = cls.make_referral(seeker=cls.adult)

    @classmethod
    def api_key(cls, user):
        return (
            cls.env["res.users.apikeys"]
            .with_user(user)
            .sudo()
            ._generate(None, "fhir", None)
        )

    def call(
        self, method, path, key=None, body=None, content_type="application/fhir+json"
    ):
        headers = {"Content-Type": content_type}
        if key:
            headers["Authorization"] = f"Bearer {self.keys.get(key, key)}"
        return self.opener.request(
            method,
            self.base_url() + FHIR + path,
            data=json.dumps(body) if body is not None else None,
            headers=headers,
            timeout=30,
        )

    def fhir(self, method, path, key=None, body=None, status=200, **kwargs):
        """The response's resource, checked: status, content type, and valid FHIR
        (fhir.resources and fhirclient, both strict, and no empty value)."""
        response = self.call(method, path, key, body, **kwargs)
        self.assertEqual(response.status_code, status, response.text[:500])
        self.assertEqual(response.headers["Content-Type"], "application/fhir+json")
        return validate(response.json())

    def ids(self, bundle):
        return [entry["resource"]["id"] for entry in bundle.get("entry", [])]


@tagged("post_install", "-at_install")
class TestFhirRead(FhirCase):
    def test_metadata_lists_exactly_what_is_served(self):
        self.env["care.consent"].create(
            {
                "client_id": self.seeker.id,
                "scope": "sms_reminders",
                "given_by_id": self.seeker.id,
            }
        )
        self.env["care.access.log"].with_user(self.guardian_user)._log_read(
            self.seeker, "profile"
        )
        statement = self.fhir("GET", "/metadata")
        [rest] = statement["rest"]
        served = {entry["type"]: entry for entry in rest["resource"]}
        self.assertEqual(
            set(served),
            {
                "Patient",
                "RelatedPerson",
                "ServiceRequest",
                "Task",
                "Consent",
                "AuditEvent",
            },
        )
        samples = {
            "identifier": str(self.seeker.id),
            "name": "Sam",
            "birthdate": "2001-02-03",
            "patient": f"Patient/{self.seeker.id}",
            "subject": f"Patient/{self.seeker.id}",
            "relationship": "GUARD",
            "active": "true",
            "status": "active",
            "_lastUpdated": "ge2000-01-01",
            "owner": str(self.program.id),
            "date": "ge2000-01-01",
            "agent": str(self.guardian_user.partner_id.id),
        }
        for kind, entry in served.items():
            for param in entry["searchParam"]:
                value = samples[param["name"]]
                if kind == "Task" and param["name"] == "status":
                    value = "requested"
                key = "manager" if kind == "AuditEvent" else "helper"
                bundle = self.fhir("GET", f"/{kind}?{param['name']}={value}", key=key)
                self.assertGreater(bundle["total"], 0, (kind, param["name"]))
            self.assertTrue(
                {"read", "search-type"} <= {i["code"] for i in entry["interaction"]}
            )

    def test_no_bad_or_revoked_key_is_401(self):
        for key in (None, "not-a-key"):
            outcome = self.fhir(
                "GET", f"/Patient/{self.seeker.id}", key=key, status=401
            )
            self.assertEqual(outcome["issue"][0]["code"], "login")
        revoked = self.api_key(self.helper)
        self.fhir("GET", f"/Patient/{self.seeker.id}", key=revoked)
        self.env["res.users.apikeys"].sudo().search(
            [("user_id", "=", self.helper.id), ("name", "=", "fhir")]
        ).unlink()
        self.fhir("GET", f"/Patient/{self.seeker.id}", key=revoked, status=401)

    def test_patient_read_and_search(self):
        patient = self.fhir("GET", f"/Patient/{self.seeker.id}", key="helper")
        self.assertEqual(patient["name"][0]["text"], "Sam Seeker")
        self.assertEqual(patient["birthDate"], "2001-02-03")
        self.assertIn(
            {"system": "email", "value": "sam@example.com"}, patient["telecom"]
        )
        for query in (
            "name=sam%20seek",
            f"identifier=urn:care-network:partner|{self.seeker.id}",
            "birthdate=2001-02-03",
            "birthdate=ge2001-01-01",
        ):
            self.assertIn(
                str(self.seeker.id),
                self.ids(self.fhir("GET", f"/Patient?{query}", key="helper")),
            )
        self.assertNotIn(
            str(self.seeker.id),
            self.ids(self.fhir("GET", "/Patient?birthdate=lt2001-01-01", key="helper")),
        )
        not_a_client = self.env["res.partner"].create({"name": "Not A Client"})
        self.fhir("GET", f"/Patient/{not_a_client.id}", key="helper", status=404)
        for bad in ("/Patient/abc", "/Patient/99999999999", "/Patient/987654321"):
            self.fhir("GET", bad, key="helper", status=404)
        for query in (
            "birthdate=yesterday",
            "colour=blue",
            "_count=0",
            "_count=x",
            "_offset=-1",
        ):
            outcome = self.fhir("GET", f"/Patient?{query}", key="helper", status=400)
            self.assertEqual(outcome["resourceType"], "OperationOutcome")
        self.fhir("GET", "/Practitioner", key="helper", status=404)

    def test_related_person_both_directions(self):
        guardian_relation = self.seeker.care_relation_ids.filtered(
            lambda r: r.type_id == self.type_guardian
        )
        bundle = self.fhir(
            "GET", f"/RelatedPerson?patient=Patient/{self.seeker.id}", key="helper"
        )
        by_id = {
            entry["resource"]["id"]: entry["resource"] for entry in bundle["entry"]
        }
        guardian = by_id[str(guardian_relation.id)]
        self.assertEqual(
            guardian["relationship"][0]["coding"][0],
            {
                "system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode",
                "code": "GUARD",
                "display": "Legal Guardian",
            },
        )
        self.assertEqual(guardian["patient"]["reference"], f"Patient/{self.seeker.id}")
        self.assertEqual(guardian["name"][0]["text"], "Greg Guardian")
        self.assertTrue(guardian["active"])
        self.assertIn("start", guardian["period"])
        # The client as the parent's child: the inverse side, where the type has a code.
        inverse = self.fhir(
            "GET", f"/RelatedPerson?patient={self.other_parent.id}", key="helper"
        )
        [child] = [e["resource"] for e in inverse["entry"]]
        self.assertEqual(child["id"], f"{self.parent_relation.id}-inverse")
        self.assertEqual(child["relationship"][0]["coding"][0]["code"], "CHILD")
        self.assertEqual(child["name"][0]["text"], "Sam Seeker")
        self.fhir(
            "GET", f"/RelatedPerson/{self.parent_relation.id}-inverse", key="helper"
        )
        self.fhir(
            "GET",
            f"/RelatedPerson/{guardian_relation.id}-inverse",
            key="helper",
            status=404,
        )
        coded = self.fhir(
            "GET",
            f"/RelatedPerson?relationship=CHILD&patient={self.other_parent.id}",
            key="helper",
        )
        self.assertEqual(self.ids(coded), [child["id"]])
        self.parent_relation.write(
            {"date_start": "2019-01-01", "date_end": "2020-01-01"}
        )
        ended = self.fhir(
            "GET", f"/RelatedPerson?patient={self.seeker.id}&active=false", key="helper"
        )
        self.assertEqual(self.ids(ended), [str(self.parent_relation.id)])
        self.fhir("GET", "/RelatedPerson?active=maybe", key="helper", status=400)
        self.fhir("GET", "/RelatedPerson?patient=Group/1", key="helper", status=400)

    def test_service_request_and_task_follow_the_referral(self):
        referral = self.referral
        expected = {
            "sent": ("active", "requested"),
            "accepted": ("active", "accepted"),
            "in_progress": ("active", "in-progress"),
            "completed": ("completed", "completed"),
            "rejected": ("revoked", "rejected"),
            "cancelled": ("revoked", "cancelled"),
            "draft": ("draft", "draft"),
        }
        for state, (request_status, task_status) in expected.items():
            outcome = {"completed": "got_help", "rejected": "no_capacity"}.get(
                state, False
            )
            self.force_state(referral, state, outcome=outcome)
            request = self.fhir("GET", f"/ServiceRequest/{referral.id}", key="helper")
            task = self.fhir("GET", f"/Task/{referral.id}", key="helper")
            self.assertEqual(
                (request["status"], task["status"]), (request_status, task_status)
            )
            self.assertEqual(
                task["focus"]["reference"], f"ServiceRequest/{referral.id}"
            )
            self.assertEqual(task["for"]["reference"], f"Patient/{self.seeker.id}")
            self.assertEqual(
                request["subject"]["reference"], f"Patient/{self.seeker.id}"
            )
            if state == "completed":
                self.assertEqual(
                    task["output"][0]["valueCodeableConcept"]["coding"][0]["code"],
                    "got_help",
                )
            if state == "rejected":
                self.assertEqual(
                    task["statusReason"]["coding"][0]["code"], "no_capacity"
                )
        self.assertEqual(request["note"][0]["text"], "Needs groceries.")
        self.assertEqual(task["owner"]["identifier"]["value"], str(self.program.id))

    def test_referral_searches_and_paging(self):
        extra = self.make_referral()
        extra.with_user(self.helper).sudo(False).set_state("sent")
        another = self.make_referral()
        another.with_user(self.helper).sudo(False).set_state("sent")
        path = f"/Task?patient=Patient/{self.seeker.id}&status=requested&_count=2"
        first = self.fhir("GET", path, key="helper")
        self.assertEqual(first["total"], 3)
        self.assertEqual(len(first["entry"]), 2)
        [next_link] = [
            link["url"] for link in first["link"] if link["relation"] == "next"
        ]
        second = self.fhir("GET", next_link.split(FHIR, 1)[1], key="helper")
        self.assertEqual(len(second["entry"]), 1)
        self.assertFalse(
            [link for link in second["link"] if link["relation"] == "next"]
        )
        self.assertEqual(
            set(self.ids(first) + self.ids(second)),
            {str(r.id) for r in self.referral | extra | another},
        )
        self.assertEqual(
            self.fhir("GET", f"/Task?owner={self.program.id}&_count=100", key="helper")[
                "total"
            ],
            4,
        )
        self.assertEqual(
            self.fhir("GET", "/ServiceRequest?_lastUpdated=lt2000-01-01", key="helper")[
                "total"
            ],
            0,
        )
        for query in (
            "status=requested",
            "status=nonsense",
            "_lastUpdated=soon",
            "owner=abc",
        ):
            kind = "ServiceRequest" if query == "status=requested" else "Task"
            self.fhir("GET", f"/{kind}?{query}", key="helper", status=400)


@tagged("post_install", "-at_install")
class TestFhirAccess(FhirCase):
    def test_guardian_key_sees_only_granted_clients(self):
        self.fhir("GET", f"/Patient/{self.seeker.id}", key="guardian")
        self.fhir("GET", f"/Patient/{self.adult.id}", key="guardian", status=404)
        patients = self.fhir("GET", "/Patient", key="guardian")
        self.assertEqual(self.ids(patients), [str(self.seeker.id)])
        related = self.fhir("GET", "/RelatedPerson", key="guardian")
        relations = self.env["care.relation"].browse(
            [int(i.split("-")[0]) for i in self.ids(related)]
        )
        self.assertEqual(relations.related_partner_id, self.guardian_user.partner_id)
        self.assertNotIn(str(self.parent_relation.id), self.ids(related))
        for kind in ("ServiceRequest", "Task"):
            bundle = self.fhir("GET", f"/{kind}", key="guardian")
            self.assertEqual(self.ids(bundle), [str(self.referral.id)])
            self.fhir(
                "GET", f"/{kind}/{self.adult_referral.id}", key="guardian", status=404
            )
        # Unticking the grant takes effect on the next request.
        self.guardian_relation().can_view_referrals = False
        self.assertEqual(self.fhir("GET", "/Task", key="guardian")["total"], 0)

    def guardian_relation(self):
        return self.seeker.care_relation_ids.filtered(
            lambda r: r.related_partner_id == self.guardian_user.partner_id
        )

    def test_stranger_key_sees_nothing(self):
        for path in (
            f"/Patient/{self.seeker.id}",
            f"/ServiceRequest/{self.referral.id}",
            f"/Task/{self.referral.id}",
            f"/RelatedPerson/{self.parent_relation.id}",
        ):
            self.fhir("GET", path, key="stranger", status=404)
        for kind in ("Patient", "RelatedPerson", "ServiceRequest", "Task"):
            self.assertEqual(self.fhir("GET", f"/{kind}", key="stranger")["total"], 0)

    def test_claimer_sees_inbound_referrals_only(self):
        elsewhere = self.make_referral(program_id=self.far_program.id)
        tasks = self.ids(self.fhir("GET", "/Task", key="claimer"))
        self.assertIn(str(self.referral.id), tasks)
        self.assertNotIn(str(elsewhere.id), tasks)
        self.fhir("GET", f"/Task/{elsewhere.id}", key="claimer", status=404)


@tagged("post_install", "-at_install")
class TestFhirReferralExchange(FhirCase):
    def service_request(self, **values):
        return {
            "resourceType": "ServiceRequest",
            "status": "active",
            "intent": "order",
            "subject": {"reference": f"Patient/{self.seeker.id}"},
            "performer": [
                {
                    "identifier": {
                        "system": "urn:care-network:program",
                        "value": str(self.program.id),
                    }
                }
            ],
            "extension": [{"url": "urn:care-network:consent", "valueBoolean": True}],
            "note": [{"text": "Referred by the clinic."}],
            **values,
        }

    def test_round_trip_post_patch_history(self):
        created = self.call(
            "POST", "/ServiceRequest", key="helper", body=self.service_request()
        )
        self.assertEqual(created.status_code, 201, created.text)
        validate(created.json())
        referral_id = int(created.json()["id"])
        self.assertEqual(
            created.headers["Location"], f"{FHIR}/ServiceRequest/{referral_id}"
        )
        referral = self.env["care.referral"].browse(referral_id)
        self.assertEqual((referral.state, referral.seeker_id), ("sent", self.seeker))
        self.assertEqual(referral.comment, "Referred by the clinic.")
        self.assertEqual(referral.helper_user_id, self.helper)

        task = self.fhir(
            "PATCH",
            f"/Task/{referral_id}",
            key="claimer",
            body=[{"op": "replace", "path": "/status", "value": "accepted"}],
            content_type="application/json-patch+json",
        )
        self.assertEqual(task["status"], "accepted")
        done = dict(task, status="completed")
        done["output"] = [
            {
                "type": {"text": "outcome"},
                "valueCodeableConcept": {
                    "coding": [
                        {
                            "system": "urn:care-network:referral-outcome",
                            "code": "got_help",
                        }
                    ]
                },
            }
        ]
        done["note"] = [{"text": "Box delivered."}]
        task = self.fhir("PUT", f"/Task/{referral_id}", key="claimer", body=done)
        self.assertEqual(task["status"], "completed")
        self.assertEqual((referral.state, referral.outcome), ("completed", "got_help"))
        history = referral.status_log_ids.sorted("id")
        self.assertEqual(history.mapped("state_to"), ["sent", "accepted", "completed"])
        self.assertEqual(history.user_id, self.helper | self.claimer)
        self.assertEqual(history[-1].note, "Box delivered.")

    def test_disallowed_move_is_422_and_changes_nothing(self):
        outcome = self.fhir(
            "PATCH",
            f"/Task/{self.referral.id}",
            key="helper",
            body=[{"op": "replace", "path": "/status", "value": "accepted"}],
            status=422,
        )
        self.assertIn("cannot move referral", outcome["issue"][0]["diagnostics"])
        self.assertEqual(self.referral.state, "sent")
        self.assertEqual(len(self.referral.status_log_ids), 1)
        for body in (
            [{"op": "replace", "path": "/status", "value": "on-hold"}],
            [{"op": "remove", "path": "/status"}],
            {"status": "accepted"},
        ):
            self.fhir(
                "PATCH",
                f"/Task/{self.referral.id}",
                key="claimer",
                body=body,
                status=400,
            )
        self.fhir(
            "PATCH",
            f"/Task/{self.adult_referral.id}",
            key="guardian",
            body=[{"op": "replace", "path": "/status", "value": "cancelled"}],
            status=404,
        )
        self.fhir("DELETE", f"/Task/{self.referral.id}", key="claimer", status=405)

    def test_post_without_consent_or_client_saves_nothing(self):
        before = self.env["care.referral"].search_count([])
        no_consent = self.service_request(extension=[])
        outcome = self.fhir(
            "POST", "/ServiceRequest", key="helper", body=no_consent, status=422
        )
        self.assertIn("consent", outcome["issue"][0]["diagnostics"])
        for body in (
            self.service_request(subject={"reference": f"Patient/{self.guardian.id}"}),
            self.service_request(performer=[]),
            {"resourceType": "Patient"},
        ):
            self.assertIn(
                self.call(
                    "POST", "/ServiceRequest", key="helper", body=body
                ).status_code,
                (400, 422),
            )
        self.fhir(
            "POST",
            "/ServiceRequest",
            key="stranger",
            body=self.service_request(),
            status=403,
        )
        self.assertEqual(self.env["care.referral"].search_count([]), before)

    def test_transaction_bundle_creates_request_and_task(self):
        bundle = {
            "resourceType": "Bundle",
            "type": "transaction",
            "entry": [
                {
                    "fullUrl": "urn:uuid:sr-1",
                    "resource": self.service_request(status="draft"),
                    "request": {"method": "POST", "url": "ServiceRequest"},
                },
                {
                    "fullUrl": "urn:uuid:task-1",
                    "resource": {
                        "resourceType": "Task",
                        "status": "requested",
                        "intent": "order",
                        "focus": {"reference": "urn:uuid:sr-1"},
                    },
                    "request": {"method": "POST", "url": "Task"},
                },
            ],
        }
        response = self.fhir("POST", "", key="helper", body=bundle)
        self.assertEqual(response["type"], "transaction-response")
        location = response["entry"][0]["response"]["location"]
        referral = self.env["care.referral"].browse(int(location.split("/")[1]))
        self.assertEqual(referral.state, "sent")
        self.fhir(
            "POST",
            "",
            key="helper",
            body={"resourceType": "Bundle", "type": "batch"},
            status=400,
        )
