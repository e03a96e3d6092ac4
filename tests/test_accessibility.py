"""Every page the addon serves to a person, and the ecomap, through axe-core's
WCAG 2.1 A and AA rules in Chromium, as each persona.

A violation counts as the addon's when its node is inside an element the
addon's templates mark with ``o_care_a11y_scope`` (the roots of what they
render); the rest (Odoo's layout, header, survey's pages) is listed in the log,
not counted. axe-core is installed by ``tools/setup.sh axe``; tools/odoo_tests.py
names its file in ``CARE_AXE_JS``: without it the test fails."""

import json
import logging
import os
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common_provider import ProviderCase
from .test_portal import PortalCase

_logger = logging.getLogger(__name__)

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The roots of what the addon's templates render, and, inside them, what an Odoo
# template they call renders (the chatter): Odoo's.
SCOPE = ".o_care_a11y_scope, [data-care-a11y]"
ODOO_ISLAND = ".o_care_a11y_odoo"
MARK = "care-a11y:"

# Opens each page (the first one is the browser's own, the others in a frame of
# it), waits for what it names, runs axe-core in it and logs the violations.
AXE_RUNNER = """
(async () => {
    const AXE = %(axe)s;
    const PAGES = %(pages)s;
    const OPTIONS = {
        runOnly: { type: "tag", values: %(tags)s },
        resultTypes: ["violations"],
    };
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    async function until(check, what) {
        for (let i = 0; i < 300; i++) {
            const value = check();
            if (value) {
                return value;
            }
            await sleep(50);
        }
        throw new Error("timed out waiting for " + what);
    }
    async function open(page) {
        if (!page.frame) {
            return window;
        }
        const frame = document.createElement("iframe");
        frame.style.cssText =
            "position:fixed;left:0;top:0;width:1366px;height:900px;border:0;" +
            "z-index:2147483647;background:#fff";
        const loaded = new Promise((resolve) =>
            frame.addEventListener("load", resolve, { once: true })
        );
        frame.src = page.url;
        document.body.appendChild(frame);
        await loaded;
        return frame.contentWindow;
    }
    function isOurs(element) {
        const scope = element && element.closest("%(scope)s");
        const island = scope && element.closest("%(island)s");
        return Boolean(scope && !(island && scope.contains(island)));
    }
    const report = [];
    for (const page of PAGES) {
        const win = await open(page);
        const doc = win.document;
        if (page.click) {
            (await until(() => doc.querySelector(page.click), page.click)).click();
        }
        if (page.ready) {
            await until(() => doc.querySelector(page.ready), page.ready);
        }
        if (page.gone) {
            await until(() => !doc.querySelector(page.gone), "no " + page.gone);
        }
        if (!win.axe) {
            win.eval(AXE);
        }
        const result = await win.axe.run(doc, OPTIONS);
        const found = [];
        for (const rule of result.violations) {
            for (const node of rule.nodes) {
                const selector = node.target[node.target.length - 1];
                const element =
                    typeof selector === "string" && doc.querySelector(selector);
                found.push({
                    rule: rule.id,
                    ours: isOurs(element),
                    target: node.target.join(" "),
                    html: node.html.slice(0, 200),
                    why: (node.failureSummary || "")
                        .replace(/\\s+/g, " ")
                        .slice(0, 300),
                });
            }
        }
        report.push({
            page: page.name,
            odoo: Boolean(page.odoo),
            url: doc.location.pathname + doc.location.search,
            scoped: Boolean(doc.querySelector("%(scope)s")),
            violations: found,
        });
        if (page.frame) {
            win.frameElement.remove();
        }
    }
    console.log("%(mark)s" + JSON.stringify(report));
    console.log("test successful");
})().catch((error) =>
    console.error("accessibility run failed: " + error + "\\n" + error.stack)
);
"""


class _Capture(logging.Filter):
    """Keeps the runner's report out of the log (and in ``reports``), and
    shortens the logged test code (it holds axe-core's source)."""

    def __init__(self):
        super().__init__()
        self.reports = []

    def filter(self, record):
        message = record.getMessage()
        if message.startswith(MARK):
            self.reports.append(json.loads(message[len(MARK) :]))
            return False
        if message.startswith("Evaluate test code") and len(message) > 500:
            record.msg, record.args = "Evaluate test code (the axe-core runner)", ()
        return True


@tagged("post_install", "-at_install")
class TestAccessibility(PortalCase, ProviderCase):
    """The addon's pages, as guardian, client, responsible party, staff (the
    preview, the ecomap and its report), claimer (the e-mail's move page) and
    nobody (a program's link): no WCAG 2.1 A/AA violation in the addon's
    markup."""

    # The preview writes its access log row after a read-only request's
    # transaction (tested in test_access_log); here, on the request's cursor.
    readonly_enabled = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.relate(cls.seeker, cls.employer, cls.type_employer)
        # A referral in each status, for each badge's contrast.
        for state in ("accepted", "in_progress", "completed", "rejected", "cancelled"):
            cls.force_state(cls.make_referral(), state)
        cls.env["care.goal"].create(
            {
                "name": "Sam finds work",
                "seeker_id": cls.seeker.id,
                "target_date": fields.Date.today() + timedelta(days=60),
            }
        )
        cls.env["care.consent"].create(
            {
                "client_id": cls.seeker.id,
                "scope": "portal",
                "grantee_partner_id": cls.guardian_partner.id,
                "given_by_id": cls.seeker.id,
            }
        )
        cls.env["care.consent"].create(
            [
                {
                    "client_id": cls.seeker.id,
                    "scope": "sms_reminders",
                    "given_by_id": cls.seeker.id,
                    "date_given": fields.Date.today() - timedelta(days=90),
                    "date_expiry": fields.Date.today() - timedelta(days=1),
                },
                {
                    "client_id": cls.seeker.id,
                    "scope": "sms_reminders",
                    "given_by_id": cls.seeker.id,
                },
            ]
        )[1].action_revoke()
        survey = cls.env["survey.survey"].create(
            {
                "title": "Accessible intake",
                "care_form_kind": "client",
                "access_mode": "token",
                "questions_layout": "one_page",
                "question_and_page_ids": [
                    Command.create(
                        {"title": "What helps you most?", "question_type": "char_box"}
                    )
                ],
            }
        )
        Answer = cls.env["survey.user_input"]
        cls.done_form = Answer.create(
            {
                "survey_id": survey.id,
                "partner_id": cls.guardian_partner.id,
                "care_client_id": cls.seeker.id,
                "care_shared": True,
                "state": "done",
            }
        )
        cls.new_form, _started = Answer.create(
            [
                {
                    "survey_id": survey.id,
                    "partner_id": cls.guardian_partner.id,
                    "care_client_id": cls.seeker.id,
                },
                {
                    "survey_id": survey.id,
                    "partner_id": cls.guardian_partner.id,
                    "care_client_id": cls.seeker.id,
                    "state": "in_progress",
                },
            ]
        )
        cls.package = cls.env["care.package"].create(
            {"name": "Sam's coaching", "holder_id": cls.seeker.id, "session_count": 4}
        )
        cls.package.action_activate()
        soon = fields.Datetime.now() + timedelta(days=3)
        later = soon + timedelta(days=7)
        cls.env["care.package.slot"].create(
            {
                "package_id": cls.package.id,
                "start": later,
                "stop": later + timedelta(hours=1),
            }
        )
        cls.env["calendar.event"].with_context(no_mail_to_attendees=True).create(
            {
                "name": "Coaching session",
                "start": soon,
                "stop": soon + timedelta(hours=1),
                "care_package_id": cls.package.id,
                "partner_ids": [Command.set(cls.seeker.ids)],
            }
        )
        cls.food_referral = cls.send_to_food_bank(cls)

    def personas(self):
        """(persona, login, pages): each page a dict with its name, url, and
        what to wait for (ready: a selector, gone: a selector to disappear,
        click: a selector to click first)."""
        seeker, guardian = self.seeker.id, self.guardian_partner.id
        home = {"name": "/my", "url": "/my", "gone": ".o_portal_doc_spinner"}
        referral = f"/my/referrals/{self.referral.id}"
        package = f"/my/packages/{self.package.id}"
        preview = f"/care/preview/{guardian}"
        return [
            (
                "guardian",
                "guardian_portal",
                [
                    home,
                    *self.plain(
                        "/my/care",
                        f"/my/care/{seeker}",
                        "/my/referrals",
                        referral,
                        "/my/forms",
                        "/my/packages",
                        package,
                    ),
                    # Survey's own pages, which the addon links to or wraps.
                    *self.plain(
                        f"/my/forms/{self.done_form.id}",
                        self.new_form.get_start_url(),
                        odoo=True,
                    ),
                ],
            ),
            (
                "client",
                "seeker",
                [
                    home,
                    *self.plain(
                        "/my/care",
                        f"/my/care/{seeker}/viewers",
                        f"/my/care/{seeker}/consents",
                        referral,
                        package,
                        f"{package}/book",
                    ),
                ],
            ),
            (
                "responsible party",
                "responsible_portal",
                [home, *self.plain("/my/care", f"/my/care/{seeker}")],
            ),
            (
                "staff",
                "helper",
                [
                    {
                        "name": "ecomap",
                        "url": f"/odoo/res.partner/{seeker}",
                        "click": "button[name=action_open_care_ecomap]",
                        "ready": ".o_care_ecomap_node",
                    },
                    *self.plain(
                        f"/report/html/care_network.report_care_ecomap/{seeker}",
                        f"{preview}/my/care",
                        f"{preview}/my/care/{seeker}",
                        f"{preview}/my/referrals/{self.referral.id}",
                        f"{preview}/my/forms",
                        f"{preview}/my/packages/{self.package.id}",
                        f"/care/preview/{self.stranger_user.partner_id.id}/my/care",
                        f"/care/preview/{self.adult.id}/my/care",
                    ),
                ],
            ),
            (
                "claimer",
                "claimer",
                [
                    {
                        "name": "move",
                        "url": f"/care/referral/{self.referral.id}/move/accepted",
                    },
                    *self.plain(f"/care/referral/{self.referral.id}/move/rejected"),
                ],
            ),
            (
                "nobody",
                None,
                [
                    {
                        "name": "provider",
                        "url": f"/care/provider/referral/{self.food_referral.id}"
                        f"?access_token={self.token(self.food_referral)}",
                    },
                    *self.plain(
                        f"/care/provider/referral/{self.food_referral.id}"
                        "?access_token=wrong"
                    ),
                ],
            ),
        ]

    @staticmethod
    def plain(*urls, odoo=False):
        """Pages opened in a frame; ``odoo``: pages Odoo renders whole (no
        markup of the addon's templates to check)."""
        return [{"name": url, "url": url, "frame": True, "odoo": odoo} for url in urls]

    def axe_source(self):
        path = os.environ.get("CARE_AXE_JS")
        self.assertTrue(
            path and os.path.isfile(path),
            f"axe-core not found (CARE_AXE_JS={path!r}): run `tools/setup.sh axe`",
        )
        with open(path, encoding="utf-8") as source:
            return source.read()

    def audit(self, login, pages, axe):
        code = AXE_RUNNER % {
            "axe": json.dumps(axe),
            "pages": json.dumps(pages),
            "tags": json.dumps(AXE_TAGS),
            "scope": SCOPE,
            "island": ODOO_ISLAND,
            "mark": MARK,
        }
        capture = self.capture()
        try:
            self.browser_js(pages[0]["url"], code, login=login, timeout=180)
        except AssertionError as error:
            message = str(error).replace(code, "(the axe-core runner)")
            raise AssertionError(message) from None
        self.assertEqual(len(capture.reports), 1, "the runner's report")
        return capture.reports.pop()

    def capture(self):
        """The filter that collects the runner's reports, on this test's
        loggers (the browser's console and the test code) until it ends."""
        if not hasattr(self, "_capture"):
            self._capture = _Capture()
            loggers = [self._logger, self._logger.getChild("browser")]
            for logger in loggers:
                logger.addFilter(self._capture)
                self.addCleanup(logger.removeFilter, self._capture)
            self.addCleanup(loggers[1].setLevel, loggers[1].level)
            loggers[1].setLevel(logging.INFO)
        return self._capture

    def test_pages_have_no_violation_in_the_addons_markup(self):
        axe = self.axe_source()
        ours, theirs, unscoped, pages = [], [], [], 0
        personas = self.personas()
        for persona, login, page_list in personas:
            for page in self.audit(login, page_list, axe):
                pages += 1
                if not page["scoped"] and not page["odoo"]:
                    unscoped.append(f"{page['page']} as {persona}")
                for violation in page["violations"]:
                    line = (
                        f"{page['page']} as {persona}: {violation['rule']} at "
                        f"{violation['target']} ({violation['html']}) "
                        f"{violation['why']}"
                    )
                    (ours if violation["ours"] else theirs).append(line)
        for line in theirs:
            _logger.info("accessibility, in Odoo's markup: %s", line)
        for line in ours:
            _logger.info("accessibility, in the addon's markup: %s", line)
        _logger.info(
            "accessibility: %s pages as %s personas, %s violations in the addon's "
            "markup (%s in Odoo's, listed above)",
            pages,
            len(personas),
            len(ours),
            len(theirs),
        )
        self.assertFalse(
            unscoped, "pages without the addon's markup (o_care_a11y_scope)"
        )
        self.assertFalse(ours, "\n" + "\n".join(ours))
