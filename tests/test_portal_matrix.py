"""Every portal route x persona x kind of id: 200, 303 (login), 400, 403 or 404,
never 500, and no refused response naming a client other than the visitor."""

import logging

from odoo import http
from odoo.tests import tagged

from .test_portal import HUGE_ID, PortalCase

_logger = logging.getLogger(__name__)

HTTP_PERSONAS = {
    "mgr": "care_manager",
    "helper": "helper",
    "mate_on": "teammate",
    "mate_off": "loner",
    "claimer": "claimer",
    "other": "other_user",
    "internal": "plain_internal",
    "guardian": "guardian_portal",
    "responsible": "responsible_portal",
    "seeker": "seeker",
    "stranger": "stranger_portal",
    "public": None,
}
IDS = ("own", "another", "missing", "text", "huge")
# Everyone who is not care staff (the "another" record of staff pages).
NOT_STAFF = dict.fromkeys(
    ("internal", "guardian", "responsible", "seeker", "stranger"), 403
)

# Every internal user, care staff or not.
STAFF = dict.fromkeys(
    ("mgr", "helper", "mate_on", "mate_off", "claimer", "other", "internal"), 403
)
# route -> id kind -> expected status per persona ("*" for everyone else).
EXPECTED = {
    # Sam reads his own record as his guardians do.
    "GET /my/care/{id}": {
        "own": {
            "guardian": 200,
            "responsible": 200,
            "seeker": 200,
            "public": 303,
            "*": 403,
        },
        "another": {"public": 303, "*": 403},
        "missing": {"public": 303, "*": 404},
        "text": {"*": 404},
        "huge": {"public": 303, "*": 404},
    },
    # The client's own record pages: only the client (Sam is an adult: his
    # guardian does not speak for him); posting no consent is a 400.
    "GET /my/care/{id}/viewers": {
        "own": {"seeker": 200, "public": 303, "*": 403},
        "another": {"public": 303, "*": 403},
        "missing": {"public": 303, "*": 404},
        "text": {"*": 404},
        "huge": {"public": 303, "*": 404},
    },
    "GET /my/care/{id}/consents": {
        "own": {"seeker": 200, "public": 303, "*": 403},
        "another": {"public": 303, "*": 403},
        "missing": {"public": 303, "*": 404},
        "text": {"*": 404},
        "huge": {"public": 303, "*": 404},
    },
    "POST /my/care/{id}/consents": {
        "own": {"seeker": 400, "public": 303, "*": 403},
        "another": {"public": 303, "*": 403},
        "missing": {"public": 303, "*": 404},
        "text": {"*": 404},
        "huge": {"public": 303, "*": 404},
    },
    "GET /my/referrals/{id}": {
        "own": {
            "mgr": 200,
            "helper": 200,
            "mate_on": 200,
            "claimer": 200,
            "guardian": 200,
            "seeker": 200,
            "*": 403,
        },
        "another": {"mgr": 200, "*": 403},
        "missing": {"*": 404},
        "text": {"*": 404},
        "huge": {"*": 404},
    },
    "POST /my/referrals/{id}/status": {
        # Completing needs the seeker's side; staff may not close it so (400).
        "own": {
            "guardian": 303,
            "seeker": 303,
            "mgr": 400,
            "helper": 400,
            "mate_on": 400,
            "claimer": 400,
            "*": 403,
        },
        "another": {"mgr": 400, "*": 403},
        "missing": {"*": 404},
        "text": {"*": 404},
        "huge": {"*": 404},
    },
    # A completed form about Sam sent to his guardian (shared): the recipient,
    # the holders of Sam's profile grant and Sam read it; so does staff.
    "GET /my/forms/{id}": {
        "own": {
            "internal": 403,
            "stranger": 403,
            "public": 303,
            "*": 200,
        },
        "another": {**NOT_STAFF, "public": 303, "*": 200},
        "missing": {"public": 303, "*": 404},
        "text": {"*": 404},
        "huge": {"public": 303, "*": 404},
    },
    # A package Sam takes part in: Sam, and those who hold his profile grant;
    # staff. No login, no token: refused (the token link is tested elsewhere).
    "GET /my/packages/{id}": {
        "own": {"internal": 403, "stranger": 403, "public": 403, "*": 200},
        "another": {**NOT_STAFF, "public": 403, "*": 200},
        "missing": {"*": 404},
        "text": {"*": 404},
        "huge": {"*": 404},
    },
    # Booking its sessions: Sam, and those who hold his appointments grant (and
    # may read the package); staff book from the back office. Posting no time
    # is a 400.
    "GET /my/packages/{id}/book": {
        "own": {**STAFF, "stranger": 403, "public": 303, "*": 200},
        "another": {"public": 303, "*": 403},
        "missing": {**STAFF, "public": 303, "*": 404},
        "text": {"*": 404},
        "huge": {**STAFF, "public": 303, "*": 404},
    },
    "POST /my/packages/{id}/book": {
        "own": {**STAFF, "stranger": 403, "public": 303, "*": 400},
        "another": {"public": 303, "*": 403},
        "missing": {**STAFF, "public": 303, "*": 404},
        "text": {"*": 404},
        "huge": {**STAFF, "public": 303, "*": 404},
    },
    # Staff preview a person's portal (Greg, the guardian; Stan, a stranger with a
    # login); nobody else may.
    "GET /care/preview/{id}/my/care": {
        "own": {**NOT_STAFF, "public": 303, "*": 200},
        "another": {**NOT_STAFF, "public": 303, "*": 200},
        "missing": {**NOT_STAFF, "public": 303, "*": 404},
        "text": {"*": 404},
        "huge": {**NOT_STAFF, "public": 303, "*": 404},
    },
    # A program's link without its token opens nothing, for anyone (no login
    # decides here: the token does; tested with tokens in test_provider_link).
    "GET /care/provider/referral/{id}": {
        "own": {"*": 403},
        "another": {"*": 403},
        "missing": {"*": 403},
        "text": {"*": 404},
        "huge": {"*": 403},
    },
    "POST /care/provider/referral/{id}": {
        "own": {"*": 403},
        "another": {"*": 403},
        "missing": {"*": 403},
        "text": {"*": 404},
        "huge": {"*": 403},
    },
}
LISTS = {
    "/my": {"public": 303, "*": 200},
    "/my/care": {"public": 303, "*": 200},
    "/my/care/page/2": {"public": 303, "*": 200},
    "/my/referrals": {"public": 303, "internal": 403, "*": 200},
    "/my/referrals/page/2": {"public": 303, "internal": 403, "*": 200},
    "/my/forms": {"public": 303, "internal": 403, "*": 200},
    "/my/packages": {"public": 303, "internal": 403, "*": 200},
}


@tagged("post_install", "-at_install")
class TestPortalRouteMatrix(PortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.private_program = cls.env["care.program"].create(
            {"name": "Quiet Program", "provider_id": cls.provider.id}
        )
        cls.other_referral = (
            cls.env["care.referral"]
            .with_user(cls.care_manager)
            .create(
                {
                    "seeker_id": cls.adult.id,
                    "program_id": cls.private_program.id,
                    "consent": True,
                    "team_id": False,
                }
            )
        )

        form = cls.env["survey.survey"].create(
            {
                "title": "Matrix intake",
                "care_form_kind": "client",
                "access_mode": "token",
            }
        )
        Answer = cls.env["survey.user_input"]
        cls.seeker_form = Answer.create(
            {
                "survey_id": form.id,
                "partner_id": cls.guardian_partner.id,
                "care_client_id": cls.seeker.id,
                "care_shared": True,
                "state": "done",
            }
        )
        cls.adult_form = Answer.create(
            {
                "survey_id": form.id,
                "partner_id": cls.adult.id,
                "care_client_id": cls.adult.id,
                "care_shared": True,
                "state": "done",
            }
        )

        Package = cls.env["care.package"]
        cls.seeker_package = Package.create(
            {"name": "Sam's coaching", "holder_id": cls.seeker.id}
        )
        cls.adult_package = Package.create(
            {"name": "Ada's coaching", "holder_id": cls.adult.id}
        )

    def fresh_sent_referral(self):
        referral = self.make_referral()
        referral.with_user(self.helper).sudo(False).set_state("sent")
        return referral

    def id_for(self, route, kind):
        if kind == "missing":
            return 987654321
        if kind == "text":
            return "abc"
        if kind == "huge":
            return HUGE_ID
        if route.startswith("GET /care/preview/"):
            person = self.guardian_partner if kind == "own" else self.stranger_user
            return person.id if kind == "own" else person.partner_id.id
        if "/my/packages/" in route:
            return self.seeker_package.id if kind == "own" else self.adult_package.id
        if "/my/forms/" in route:
            return self.seeker_form.id if kind == "own" else self.adult_form.id
        if "/my/care/" in route:
            return self.seeker.id if kind == "own" else self.adult.id
        if kind == "another":
            return self.other_referral.id
        if route.startswith("POST"):
            return self.fresh_sent_referral().id
        return self.referral.id

    def own_name(self, persona):
        login = HTTP_PERSONAS[persona]
        return login and self.env["res.users"].search([("login", "=", login)]).name

    def request(self, route, persona, record_id):
        method, pattern = route.split(" ")
        url = pattern.format(id=record_id)
        login = HTTP_PERSONAS[persona]
        self.authenticate(login, login)
        if method == "GET":
            return self.url_open(url, allow_redirects=False)
        data = {"state": "completed", "csrf_token": http.Request.csrf_token(self)}
        return self.url_open(url, data=data, allow_redirects=False)

    def test_route_matrix(self):
        rows, failures, statuses = 0, [], set()
        secret_names = ("Sam Seeker", "Ada Adult", self.other_referral.name)
        for route, by_kind in EXPECTED.items():
            for kind in IDS:
                expectations = by_kind[kind]
                for persona in HTTP_PERSONAS:
                    rows += 1
                    expected = expectations.get(persona, expectations["*"])
                    response = self.request(route, persona, self.id_for(route, kind))
                    statuses.add(response.status_code)
                    problem = None
                    if response.status_code != expected:
                        problem = f"status {response.status_code}, expected {expected}"
                    elif expected in (303, 403, 404) and any(
                        name in response.text
                        for name in secret_names
                        if name != self.own_name(persona)
                    ):
                        problem = "refused response names a client"
                    if problem:
                        failures.append(f"{route} {kind} as {persona}: {problem}")
        for url, expectations in LISTS.items():
            for persona, login in HTTP_PERSONAS.items():
                rows += 1
                self.authenticate(login, login)
                response = self.url_open(url, allow_redirects=False)
                statuses.add(response.status_code)
                expected = expectations.get(persona, expectations["*"])
                if response.status_code != expected:
                    failures.append(
                        f"{url} as {persona}: status {response.status_code}, "
                        f"expected {expected}"
                    )
        _logger.info(
            "Portal route matrix: %s rows, statuses seen %s, %s mismatches",
            rows,
            sorted(statuses),
            len(failures),
        )
        self.assertEqual(rows, len(EXPECTED) * 5 * 12 + len(LISTS) * 12)
        self.assertNotIn(500, statuses)
        self.assertFalse(failures, "\n" + "\n".join(failures))
