"""FHIR that any client can read: resources built from records with every
optional field empty or set validate with both model libraries; every malformed
request answers an OperationOutcome with a 4xx."""

from datetime import date, timedelta
from urllib.parse import quote, urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo import Command
from odoo.tests import new_test_user, tagged

from .fhir_validation import validate
from .test_fhir import FhirCase

EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    database=None,  # nothing written next to the checkout
    suppress_health_check=list(HealthCheck),
)
WORDS = st.from_regex(r"[A-Za-zÀ-ÿ0-9][A-Za-zÀ-ÿ0-9 .,'@+-]{0,24}", fullmatch=True)
OPTIONAL_TEXT = st.one_of(st.none(), WORDS)
OPTIONAL_DATE = st.one_of(
    st.none(), st.dates(min_value=date(1900, 1, 1), max_value=date(2040, 12, 31))
)
# Clients drawn here are adults: a minor client needs a legal guardian first.
ADULT_BIRTHDATE = st.one_of(
    st.none(),
    st.dates(
        min_value=date(1900, 1, 1), max_value=date.today() - timedelta(days=20 * 366)
    ),
)
SERVED = ("Patient", "RelatedPerson", "ServiceRequest", "Task", "Consent", "AuditEvent")


def values(**fields):
    """Odoo values for the fields drawn: an absent one is an empty field."""
    return {name: value or False for name, value in fields.items()}


@tagged("post_install", "-at_install")
class TestFhirResourcesForAnyData(FhirCase):
    def get(self, path, key="manager", status=200):
        response = self.call("GET", path, key)
        self.assertEqual(response.status_code, status, response.text[:300])
        return validate(response.json())

    @EXAMPLES
    @given(
        name=WORDS,
        birthdate=ADULT_BIRTHDATE,
        email=OPTIONAL_TEXT,
        phone=OPTIONAL_TEXT,
        mobile=OPTIONAL_TEXT,
        street=OPTIONAL_TEXT,
        city=OPTIONAL_TEXT,
        zip_code=OPTIONAL_TEXT,
        ref=OPTIONAL_TEXT,
    )
    def test_patients(self, name, zip_code, **optional):
        partner = self.Partner.create(
            {"name": name, "is_care_client": True, "zip": zip_code or False}
            | values(**optional)
        )
        patient = self.get(f"/Patient/{partner.id}")
        self.assertEqual(patient["id"], str(partner.id))
        if not optional["birthdate"]:
            self.assertNotIn("birthDate", patient)
        bundle = self.get(f"/Patient?identifier={partner.id}")
        self.assertEqual(bundle["total"], 1)

    def test_a_patient_with_only_a_name(self):
        partner = self.Partner.create({"name": "Bare Client", "is_care_client": True})
        patient = self.get(f"/Patient/{partner.id}")
        self.assertEqual(
            set(patient), {"resourceType", "id", "meta", "identifier", "active", "name"}
        )
        self.get(f"/Patient?name={quote('Bare Client')}")
        partner.active = False
        self.assertEqual(
            self.call("GET", f"/Patient/{partner.id}", "manager").status_code, 404
        )

    @EXAMPLES
    @given(
        date_start=OPTIONAL_DATE,
        days=st.one_of(st.none(), st.integers(min_value=0, max_value=4000)),
        email=OPTIONAL_TEXT,
        phone=OPTIONAL_TEXT,
        inverse=st.booleans(),
    )
    def test_related_people(self, date_start, days, email, phone, inverse):
        person = self.Partner.create(
            {"name": "Rel Person"} | values(email=email, phone=phone)
        )
        relation = self.relate(
            self.seeker,
            person,
            self.type_parent,
            date_start=date_start or False,
            date_end=(date_start + timedelta(days=days))
            if date_start and days is not None
            else False,
        )
        suffix = "-inverse" if inverse else ""
        self.get(f"/RelatedPerson/{relation.id}{suffix}")
        self.get(f"/RelatedPerson?patient=Patient/{self.seeker.id}&_count=100")

    @EXAMPLES
    @given(
        comment=OPTIONAL_TEXT,
        with_goal=st.booleans(),
        with_team=st.booleans(),
        with_tags=st.booleans(),
        moves=st.sampled_from(
            [
                (),
                (("sent", False),),
                (("sent", False), ("accepted", False)),
                (("sent", False), ("rejected", "not_eligible")),
                (("sent", False), ("cancelled", False)),
            ]
        ),
    )
    def test_referrals(self, comment, with_goal, with_team, with_tags, moves):
        program = self.env["care.program"].create(
            {
                "name": "Any Program",
                "provider_id": self.provider.id,
                "service_tag_ids": [
                    Command.set(self.tag_food.ids if with_tags else [])
                ],
                "claimer_user_ids": [Command.set(self.claimer.ids)],
            }
        )
        goal = self.env["care.goal"].create(
            {"name": "A goal", "seeker_id": self.seeker.id}
        )
        referral = self.env["care.referral"].create(
            {
                "seeker_id": self.seeker.id,
                "program_id": program.id,
                "consent": True,
                "comment": comment or False,
                "goal_id": goal.id if with_goal else False,
                "team_id": self.sharing_team.id if with_team else False,
            }
        )
        for state, outcome in moves:
            referral.set_state(state, outcome=outcome)
        for kind in ("ServiceRequest", "Task"):
            resource = self.get(f"/{kind}/{referral.id}")
            self.assertIn(
                resource["meta"]["profile"][0].rsplit("/", 1)[1],
                ("SDOHCC-ServiceRequest", "SDOHCC-TaskForReferralManagement"),
            )
            self.assertTrue(resource["requester"]["display"])
        self.get(f"/Task?patient=Patient/{self.seeker.id}&_count=100")

    @EXAMPLES
    @given(
        scope=st.sampled_from(["sms_reminders", "portal", "program", "organization"]),
        expiry_days=st.one_of(st.none(), st.integers(min_value=-29, max_value=400)),
        revoked=st.booleans(),
        attached=st.booleans(),
        note=OPTIONAL_TEXT,
    )
    def test_consents(self, scope, expiry_days, revoked, attached, note):
        targets = {
            "portal": {"grantee_partner_id": self.guardian_user.partner_id.id},
            "program": {"program_id": self.program.id},
            "organization": {"organization_id": self.provider.id},
        }
        consent = self.env["care.consent"].create(
            {
                "client_id": self.seeker.id,
                "scope": scope,
                "given_by_id": self.seeker.id,
                "date_given": date.today() - timedelta(days=30),
                "date_expiry": (date.today() + timedelta(days=expiry_days))
                if expiry_days is not None
                else False,
                "note": note or False,
                **targets.get(scope, {}),
            }
        )
        if attached:
            consent.attachment_ids = [
                Command.create({"name": "signed.pdf", "raw": b"%PDF-1.4 signed"})
            ]
        if revoked and consent.is_current:
            consent.action_revoke(revoked_by=self.seeker)
        resource = self.get(f"/Consent/{consent.id}")
        expected = (
            "rejected"
            if consent.date_revoked
            else "active"
            if consent.is_current
            else "inactive"
        )
        self.assertEqual(resource["status"], expected)
        self.get(f"/Consent?patient=Patient/{self.seeker.id}&_count=100")

    @EXAMPLES
    @given(
        what=st.sampled_from(["profile", "appointments", "referral", "goal", "fhir"]),
        through_relation=st.booleans(),
    )
    def test_audit_events(self, what, through_relation):
        Log = self.env["care.access.log"].with_user(self.guardian_user)
        relation = (
            self.seeker.care_relation_ids.filtered(
                lambda r: r.related_partner_id == self.guardian_user.partner_id
            )
            if through_relation
            else None
        )
        Log._log_reads([(self.seeker, what, None, relation)])
        self.get(f"/AuditEvent?patient=Patient/{self.seeker.id}&_count=100")


@tagged("post_install", "-at_install")
class TestFhirConsentAndAuditEventPerPersona(FhirCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gina_user = new_test_user(
            cls.env,
            login="gina_fhir",
            name="Gina Guardian",
            groups="base.group_portal",
            partner_id=cls.guardian.id,
        )
        cls.keys["gina"] = cls.api_key(cls.gina_user)
        Consent = cls.env["care.consent"]
        cls.minor_consent = Consent.create(
            {
                "client_id": cls.minor.id,
                "scope": "sms_reminders",
                "given_by_id": cls.guardian.id,
            }
        )
        cls.seeker_consent = Consent.create(
            {
                "client_id": cls.seeker.id,
                "scope": "sms_reminders",
                "given_by_id": cls.seeker.id,
            }
        )
        Log = cls.env["care.access.log"]
        Log.with_user(cls.gina_user)._log_read(cls.minor, "profile")
        Log.with_user(cls.guardian_user)._log_read(cls.seeker, "profile")
        cls.minor_row = Log.search([("client_id", "=", cls.minor.id)])
        cls.seeker_row = Log.search([("client_id", "=", cls.seeker.id)])

    def found(self, kind, key):
        bundle = self.fhir("GET", f"/{kind}?_count=100", key)
        return set(self.ids(bundle))

    def test_consents(self):
        both = {str(self.minor_consent.id), str(self.seeker_consent.id)}
        self.assertTrue(both <= self.found("Consent", "helper"))
        self.assertTrue(both <= self.found("Consent", "manager"))
        self.assertEqual(self.found("Consent", "gina"), {str(self.minor_consent.id)})
        self.assertEqual(self.found("Consent", "stranger"), set())
        self.fhir("GET", f"/Consent/{self.minor_consent.id}", "gina")
        self.fhir("GET", f"/Consent/{self.seeker_consent.id}", "gina", status=404)
        consent = self.fhir("GET", f"/Consent/{self.minor_consent.id}", "helper")
        self.assertEqual(consent["scope"]["coding"][0]["code"], "patient-privacy")
        self.assertEqual(consent["patient"]["reference"], f"Patient/{self.minor.id}")
        self.assertEqual(consent["status"], "active")
        active = self.fhir(
            "GET", f"/Consent?patient=Patient/{self.minor.id}&status=active", "helper"
        )
        self.assertEqual(self.ids(active), [str(self.minor_consent.id)])
        self.minor_consent.action_revoke(revoked_by=self.guardian)
        rejected = self.fhir(
            "GET", f"/Consent?patient=Patient/{self.minor.id}&status=rejected", "helper"
        )
        self.assertEqual(self.ids(rejected), [str(self.minor_consent.id)])
        today = date.today().isoformat()
        dated = self.fhir(
            "GET", f"/Consent?date=le{today}&patient=Patient/{self.minor.id}", "helper"
        )
        self.assertEqual(dated["total"], 1)

    def test_audit_events(self):
        both = {str(self.minor_row.id), str(self.seeker_row.id)}
        self.assertTrue(both <= self.found("AuditEvent", "manager"))
        self.assertEqual(self.found("AuditEvent", "gina"), {str(self.minor_row.id)})
        self.assertEqual(self.found("AuditEvent", "stranger"), set())
        refused = self.fhir("GET", "/AuditEvent", "helper", status=403)
        self.assertEqual(refused["issue"][0]["code"], "forbidden")
        event = self.fhir("GET", f"/AuditEvent/{self.seeker_row.id}", "manager")
        self.assertEqual(event["type"]["code"], "rest")
        self.assertEqual(event["subtype"][0]["code"], "read")
        self.assertEqual(event["agent"][0]["name"], "Greg Guardian")
        self.assertTrue(
            event["agent"][0]["who"]["reference"].startswith("RelatedPerson/")
        )
        agent = self.guardian_user.partner_id.id
        by_agent = self.fhir("GET", f"/AuditEvent?agent={agent}", "manager")
        self.assertEqual(self.ids(by_agent), [str(self.seeker_row.id)])
        by_patient = self.fhir(
            "GET", f"/AuditEvent?patient=Patient/{self.minor.id}", "manager"
        )
        self.assertEqual(self.ids(by_patient), [str(self.minor_row.id)])
        self.fhir("GET", "/AuditEvent?date=ge2000-01-01", "manager")
        self.fhir("GET", f"/AuditEvent/{self.seeker_row.id}", "gina", status=404)


def operation_outcome_4xx(test, response):
    test.assertTrue(
        400 <= response.status_code < 500, (response.status_code, response.text[:300])
    )
    test.assertEqual(response.json()["resourceType"], "OperationOutcome")
    validate(response.json())


NOT_DATES = st.from_regex(r"(ge|le|gt|lt)?[A-Za-z][A-Za-z0-9:-]{0,10}", fullmatch=True)
NOT_IDS = st.text(min_size=1, max_size=12).filter(
    lambda text: (
        not (text.isascii() and text.isdigit())
        and text.strip(".")
        and "/" not in text
        and "|" not in text
    )
)
WITH_NUL = st.text(max_size=8).map(lambda text: text + "\x00")
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
# Bodies that look like the resources but with any value in their elements.
SHAPED_BODIES = st.builds(
    lambda kind, extra: {"resourceType": kind, **extra},
    st.sampled_from(["ServiceRequest", "Task", "Bundle"]),
    st.dictionaries(
        st.sampled_from(
            [
                "status",
                "subject",
                "performer",
                "entry",
                "type",
                "note",
                "extension",
                "output",
                "statusReason",
            ]
        ),
        JSON_VALUES,
        max_size=4,
    ),
)


@tagged("post_install", "-at_install")
class TestFhirMalformedRequests(FhirCase):
    """Generated malformed requests: parameters, ids, bodies, patches, bundles."""

    @EXAMPLES
    @given(
        kind=st.sampled_from(SERVED),
        name=st.text(min_size=1, max_size=10).filter(
            lambda name: (
                name
                not in {
                    "_count",
                    "_offset",
                    "_format",
                    "patient",
                    "subject",
                    "status",
                    "name",
                    "identifier",
                    "birthdate",
                    "relationship",
                    "active",
                    "_lastUpdated",
                    "owner",
                    "date",
                    "agent",
                }
            )
        ),
        value=st.text(max_size=10),
    )
    def test_unknown_parameters(self, kind, name, value):
        operation_outcome_4xx(
            self, self.call("GET", f"/{kind}?{urlencode({name: value})}", "manager")
        )

    @EXAMPLES
    @given(
        case=st.one_of(
            st.tuples(st.sampled_from(["Patient"]), st.just("birthdate"), NOT_DATES),
            st.tuples(
                st.sampled_from(["ServiceRequest", "Task"]),
                st.just("_lastUpdated"),
                NOT_DATES,
            ),
            st.tuples(
                st.sampled_from(["Consent", "AuditEvent"]), st.just("date"), NOT_DATES
            ),
            st.tuples(
                st.sampled_from(["ServiceRequest", "Task", "Consent", "AuditEvent"]),
                st.just("patient"),
                NOT_IDS,
            ),
            st.tuples(st.sampled_from(["Task"]), st.just("owner"), NOT_IDS),
            st.tuples(st.sampled_from(["AuditEvent"]), st.just("agent"), NOT_IDS),
            st.tuples(
                st.sampled_from(SERVED),
                st.just("_count"),
                st.one_of(
                    NOT_IDS, st.just("0"), st.just("101"), st.just("99999999999")
                ),
            ),
            st.tuples(
                st.sampled_from(["Patient", "Consent"]),
                st.sampled_from(["name", "status"]),
                WITH_NUL,
            ),
        )
    )
    def test_invalid_parameter_values(self, case):
        kind, name, value = case
        if name == "name" and kind == "Consent":
            name = "status"
        if name == "status" and kind == "Patient":
            name = "name"
        operation_outcome_4xx(
            self, self.call("GET", f"/{kind}?{urlencode({name: value})}", "manager")
        )

    def test_a_nul_byte_in_a_search(self):
        operation_outcome_4xx(self, self.call("GET", "/Patient?name=%00", "manager"))

    @EXAMPLES
    @given(kind=st.sampled_from(SERVED), resource_id=st.one_of(NOT_IDS, WITH_NUL))
    def test_invalid_ids(self, kind, resource_id):
        response = self.call("GET", f"/{kind}/{quote(resource_id, safe='')}", "manager")
        operation_outcome_4xx(self, response)

    @EXAMPLES
    @given(
        route=st.sampled_from(
            [
                ("POST", "/ServiceRequest"),
                ("PUT", "/Task/{id}"),
                ("PATCH", "/Task/{id}"),
                ("POST", ""),
            ]
        ),
        body=st.one_of(JSON_VALUES, SHAPED_BODIES),
    )
    def test_malformed_bodies(self, route, body):
        method, path = route
        if method == "PATCH" and body == []:
            body = [None]  # an empty patch is a valid one
        response = self.call(
            method, path.format(id=self.referral.id), "helper", body=body
        )
        operation_outcome_4xx(self, response)
        self.assertEqual(self.referral.state, "sent", "nothing half-saved")
