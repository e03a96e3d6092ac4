"""The sweep that finds the next leak: a unique marker in every staff-only place,
then every door the addon serves walked as every persona who must not see it.

A marker may appear only where its ``ALLOWED`` entry names the persona (a
door that must stay open to someone says who). Every hit elsewhere is a leak;
every door that answers a server error instead of a refusal is one too.
"""

import json
import logging
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from .common import company_b_care_user
from .test_portal import PortalCase

_logger = logging.getLogger(__name__)

# What a marker is, and the personas of the sweep who may read it.
MARKERS = {
    "referral_note": "Sweepmark internal referral note 7f3a",
    "partner_note": "Sweepmark log note on the client 91c2",
    "access_log": "Sweepmark Logviewer 55e0",
    "other_client": "Sweepmark Zed Otherclient",
    "other_package": "Sweepmark package of another family 2b8d",
    "internal_answer": "Sweepmark internal form answer c41f",
    "internal_form": "Sweepmark internal form 0d9e",
    "other_consent": "Sweepmark consent note of another client 6a17",
    "company_a_ward": "Sweepmark Wanda Companyaward",
    "hidden_referral": "Sweepmark private referral comment e3b9",
}
STAFF_A = ("plain_internal", "loner", "other_user")
CARE_STAFF = ("loner", "other_user", "sweep_staff_b")
ALLOWED = {
    # Only the referral's helper, team, claimers and managers: none of the sweep.
    "referral_note": (),
    # Internal users read contacts and their chatter; no portal user does.
    "partner_note": (*STAFF_A, "sweep_staff_b"),
    # The client reads who read their file; in the back office only managers.
    "access_log": ("seeker",),
    # A company-A client: company-A staff read contacts; nobody on the portal.
    "other_client": STAFF_A,
    # Care users of the package's company; no portal user outside it.
    "other_package": ("loner", "other_user"),
    # Internal forms are for care staff (any company: the client has none).
    "internal_answer": CARE_STAFF,
    # Its title is in the completion line on the client's chatter, which
    # internal users read with the contact.
    "internal_form": (*STAFF_A, "sweep_staff_b"),
    "other_consent": ("loner", "other_user"),
    # The ward's own guardian and company-A staff.
    "company_a_ward": (*STAFF_A, "sweep_guardian_a"),
    # A referral of a private team: its helper and managers in the back office;
    # on the portal Dora, guardian of its seeker (Ada), with her referral grant.
    "hidden_referral": ("two_wards",),
}
PORTAL_PERSONAS = (
    "guardian_portal",
    "responsible_portal",
    "seeker",
    "stranger_portal",
    "two_wards",
    "sweep_guardian_a",
)
STAFF_PERSONAS = (*STAFF_A, "sweep_staff_b")
PERSONAS = (*PORTAL_PERSONAS, *STAFF_PERSONAS)
FHIR_TYPES = (
    "Patient",
    "RelatedPerson",
    "ServiceRequest",
    "Task",
    "Consent",
    "AuditEvent",
)
PORTAL_PAGES = ("my/care", "my/referrals", "my/forms", "my/packages")


@tagged("post_install", "-at_install")
class TestTrustSweep(PortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Tracking on: tracking values are one more copy of what staff typed.
        cls.env = cls.env(context={})
        cls._plant_company_a_ward()
        cls._plant_referral_notes()
        cls._plant_other_family()
        cls._plant_forms()
        cls._plant_access_log()
        cls.seeker.message_post(
            body=MARKERS["partner_note"], subtype_xmlid="mail.mt_note"
        )
        # The manager's export of the seeker's file holds every marker above.
        cls.seeker.with_user(cls.care_manager).action_export_care_data()
        cls.fhir_keys = {
            login: cls.env["res.users.apikeys"]
            .with_user(cls.user_of(login))
            .sudo()
            ._generate(None, "sweep", None)
            for login in PERSONAS
        }

    @classmethod
    def user_of(cls, login):
        return cls.env["res.users"].search([("login", "=", login)])

    @classmethod
    def _plant_company_a_ward(cls):
        cls.company_a = cls.env.company
        cls.company_b = company_b_care_user(
            cls.env, "sweep_staff_b", "Sweep Agency B"
        ).company_id
        guardian_a = new_test_user(
            cls.env,
            login="sweep_guardian_a",
            name="Shared Sweepguardian",
            email="shared@example.com",
            groups="base.group_portal",
        ).partner_id
        guardian_a.company_id = False
        cls.ward_a = cls.Partner.create(
            {
                "name": MARKERS["company_a_ward"],
                "is_care_client": True,
                "company_id": cls.company_a.id,
                "birthdate": fields.Date.today() - timedelta(days=365 * 9),
                "care_relation_ids": [
                    Command.create(
                        {
                            "related_partner_id": guardian_a.id,
                            "date_start": fields.Date.today() - timedelta(days=1),
                            "type_id": cls.type_guardian.id,
                            "company_id": cls.company_a.id,
                        }
                    )
                ],
            }
        )

    @classmethod
    def _plant_referral_notes(cls):
        cls.referral.with_user(cls.helper).message_post(
            body=MARKERS["referral_note"],
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        cls.hidden_referral = (
            cls.env["care.referral"]
            .with_user(cls.helper)
            .create(
                {
                    "seeker_id": cls.adult.id,
                    "program_id": cls.far_program.id,
                    "team_id": cls.private_team.id,
                    "consent": True,
                    "comment": MARKERS["hidden_referral"],
                }
            )
        )

    @classmethod
    def _plant_other_family(cls):
        cls.zed = cls.Partner.create(
            {
                "name": MARKERS["other_client"],
                "is_care_client": True,
                "company_id": cls.company_a.id,
                "email": "zed@example.com",
            }
        )
        cls.relate(cls.zed, cls.other_parent, cls.type_parent)
        cls.env["care.package"].create(
            {"name": MARKERS["other_package"], "holder_id": cls.zed.id}
        )
        cls.env["care.consent"].create(
            {
                "client_id": cls.zed.id,
                "scope": "portal",
                "grantee_partner_id": cls.other_parent.id,
                "given_by_id": cls.zed.id,
                "note": MARKERS["other_consent"],
            }
        )

    @classmethod
    def _plant_forms(cls):
        survey = cls.env["survey.survey"].create(
            {
                "title": MARKERS["internal_form"],
                "care_form_kind": "internal",
                "access_mode": "token",
                "questions_layout": "one_page",
                "question_and_page_ids": [
                    Command.create(
                        {"title": "Observations", "question_type": "text_box"}
                    )
                ],
            }
        )
        answer = cls.env["survey.user_input"].create(
            {
                "survey_id": survey.id,
                "partner_id": cls.guardian_partner.id,
                "care_client_id": cls.seeker.id,
                "care_shared": True,
            }
        )
        answer._save_lines(survey.question_ids, MARKERS["internal_answer"])
        answer._mark_done()
        cls.internal_answer = answer

    @classmethod
    def _plant_access_log(cls):
        cls.env["care.access.log"].sudo().create(
            {
                "client_id": cls.seeker.id,
                "viewer_name": MARKERS["access_log"],
                "what": "profile",
            }
        )

    # --- the doors ---------------------------------------------------------------
    def http_doors(self):
        """(label, url) of every page, report and attachment the addon serves."""
        clients = self.seeker | self.adult | self.minor | self.zed | self.ward_a
        people = self.Partner.browse(
            [self.user_of(login).partner_id.id for login in PORTAL_PERSONAS]
        )
        doors = [("portal", "/my"), *(("portal", f"/{page}") for page in PORTAL_PAGES)]
        for client in clients:
            doors += [
                ("portal", f"/my/care/{client.id}"),
                ("portal", f"/my/care/{client.id}/viewers"),
                ("portal", f"/my/care/{client.id}/consents"),
            ]
        Referral = self.env["care.referral"]
        for referral in Referral.search([]):
            doors.append(("portal", f"/my/referrals/{referral.id}"))
        for answer in self.env["survey.user_input"].search([]):
            doors.append(("portal", f"/my/forms/{answer.id}"))
        for package in self.env["care.package"].search([]):
            doors.append(("portal", f"/my/packages/{package.id}"))
        for person in people:
            for page in PORTAL_PAGES:
                doors.append(("preview", f"/care/preview/{person.id}/{page}"))
            for client in clients:
                doors += [
                    ("preview", f"/care/preview/{person.id}/my/care/{client.id}"),
                    (
                        "preview",
                        f"/care/preview/{person.id}/my/care/{client.id}/viewers",
                    ),
                ]
        reports = self.env["ir.actions.report"].search(
            [("report_name", "=like", "care_network.%")]
        )
        for report in reports:
            for client in clients:
                doors.append(
                    ("report", f"/report/html/{report.report_name}/{client.id}")
                )
        for attachment in self.addon_attachments():
            doors.append(("attachment", f"/web/content/{attachment.id}?download=1"))
        return doors

    def addon_attachments(self):
        models = self.addon_models()
        return (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "in", models), ("res_field", "=", False)])
        )

    def addon_models(self):
        return [
            model.model
            for model in self.env["ir.model"].search([("transient", "=", False)])
            if "care_network" in (model.modules or "").split(", ")
            and not self.env[model.model]._abstract
        ]

    def fhir_doors(self):
        doors = [("fhir", f"/fhir/R4/{kind}") for kind in FHIR_TYPES]
        ids = {
            "Patient": (self.seeker | self.adult | self.zed | self.ward_a).ids,
            "RelatedPerson": [
                rid
                for relation in self.env["care.relation"].search([])
                for rid in (str(relation.id), f"{relation.id}-inverse")
            ],
            "ServiceRequest": self.env["care.referral"].search([]).ids,
            "Task": self.env["care.referral"].search([]).ids,
            "Consent": self.env["care.consent"].search([]).ids,
            "AuditEvent": self.env["care.access.log"].search([]).ids,
        }
        for kind, record_ids in ids.items():
            doors += [("fhir", f"/fhir/R4/{kind}/{rid}") for rid in record_ids]
        return doors

    # --- walking -----------------------------------------------------------------
    def leaks_in(self, text, persona):
        return [
            name
            for name, marker in MARKERS.items()
            if marker in text and persona not in ALLOWED[name]
        ]

    def walk_http(self, persona, doors, findings):
        self.authenticate(persona, persona)
        for kind, url in doors:
            response = self.url_open(url, allow_redirects=False, timeout=60)
            self.judge(
                persona, kind, url, response.status_code, response.text, findings
            )

    def walk_fhir(self, persona, doors, findings):
        headers = {"Authorization": f"Bearer {self.fhir_keys[persona]}"}
        for kind, url in doors:
            response = self.opener.get(
                self.base_url() + url, headers=headers, timeout=60
            )
            self.judge(
                persona, kind, url, response.status_code, response.text, findings
            )

    def walk_rpc(self, persona, findings):
        self.authenticate(persona, persona)
        models = self.addon_models()
        calls = [(model, []) for model in models]
        calls += [
            ("mail.message", [("model", "in", models)]),
            ("mail.tracking.value", [("mail_message_id.model", "in", models)]),
            ("ir.attachment", [("res_model", "in", models)]),
        ]
        for model, domain in calls:
            body = json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "model": model,
                        "method": "search_read",
                        "args": [domain],
                        "kwargs": {"context": {"active_test": False}},
                    },
                }
            )
            response = self.url_open(
                f"/web/dataset/call_kw/{model}/search_read",
                data=body,
                headers={"Content-Type": "application/json"},
                timeout=60,
            )
            text = response.text
            error = response.json().get("error") if response.ok else None
            status = response.status_code
            if error and error["data"]["name"] not in (
                "odoo.exceptions.AccessError",
                "odoo.exceptions.UserError",
            ):
                status = 500
            self.judge(persona, "rpc", f"search_read {model}", status, text, findings)

    def judge(self, persona, kind, door, status, text, findings):
        findings["rows"] += 1
        if status >= 500:
            findings["errors"].append(f"{persona} {kind} {door}: {status}")
        for name in self.leaks_in(text, persona):
            findings["leaks"].append(f"{persona} {kind} {door}: {name}")

    def test_no_marker_reaches_whom_it_must_not(self):
        findings = {"rows": 0, "leaks": [], "errors": []}
        http_doors, fhir_doors = self.http_doors(), self.fhir_doors()
        self.assertTrue(self.addon_attachments(), "the export is one of the doors")
        for persona in PERSONAS:
            self.walk_http(persona, http_doors, findings)
            self.walk_fhir(persona, fhir_doors, findings)
            self.walk_rpc(persona, findings)
        self.authenticate(None, None)
        for kind, url in http_doors:
            response = self.url_open(url, allow_redirects=False, timeout=60)
            self.judge(
                "public", kind, url, response.status_code, response.text, findings
            )
        _logger.info(
            "Trust sweep: %s rows (%s personas, %s doors), %s leaks, %s server errors",
            findings["rows"],
            len(PERSONAS) + 1,
            len(http_doors) + len(fhir_doors) + len(self.addon_models()) + 3,
            len(findings["leaks"]),
            len(findings["errors"]),
        )
        self.assertFalse(findings["leaks"], "\n" + "\n".join(findings["leaks"]))
        self.assertFalse(findings["errors"], "\n" + "\n".join(findings["errors"]))

    def test_markers_are_where_they_must_be(self):
        """The sweep proves something only if each marker is really planted and
        readable by who may read it."""
        history = self.referral.with_user(self.helper).history_ids
        self.assertIn(
            MARKERS["referral_note"], "".join(filter(None, history.mapped("note")))
        )
        self.authenticate("loner", "loner")
        answer_page = self.url_open(f"/my/forms/{self.internal_answer.id}")
        self.assertIn(MARKERS["internal_answer"], answer_page.text)
        self.authenticate("sweep_guardian_a", "sweep_guardian_a")
        ward_page = self.url_open(f"/my/care/{self.ward_a.id}").text
        self.assertIn(MARKERS["company_a_ward"], ward_page)
        self.authenticate("seeker", "seeker")
        viewers = self.url_open(f"/my/care/{self.seeker.id}/viewers").text
        self.assertIn(MARKERS["access_log"], viewers)
        export = self.addon_attachments().filtered(
            lambda a: a.mimetype == "application/json"
        )
        content = export.raw.decode()
        for name in ("referral_note", "internal_answer", "access_log"):
            self.assertIn(MARKERS[name], content, name)
