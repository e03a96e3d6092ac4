"""DESIGN.md's security model as one table, run as one test.

Each cell of ``MATRIX`` lists the operations a persona may perform on a model's
fixture record: R read, W write, C create, U unlink; ``-`` none. A cell expands to
four rows (persona, model, operation, expected), so the table below is
13 personas x 29 models x 4 operations. ``SEARCHES`` lists what each persona's
search returns among the fixture records.
"""

import logging
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common_referral import ReferralCase

_logger = logging.getLogger(__name__)

PERSONAS = [
    "su",
    "mgr",
    "helper",
    "mate_on",
    "mate_off",
    "claimer",
    "other",
    "internal",
    "guardian",
    "responsible",
    "seeker",
    "stranger",
    "public",
]

MATRIX = """
model                        su   mgr  helper mate_on mate_off claimer other internal guardian responsible seeker stranger public
care.partner.role            RWCU RWCU R      R       R        R       R     -        R        R           R      R        -
care.relation.type           RWCU RWCU R      R       R        R       R     -        R        R           R      R        -
care.service.tag             RWCU RWCU R      R       R        R       R     -        R        R           R      R        -
care.program                 RWCU RWCU R      R       R        R       R     -        R        R           R      R        -
care.team                    RWCU RWCU R      R       R        R       R     -        -        -           -      -        -
care.relation                RWCU RWCU RWCU   RWCU    RWCU     RWCU    RWCU  -        R        -           R      -        -
care.relation.side           R    R    R      R       R        R       R     -        -        -           -      -        -
care.goal                    RWCU RWCU RWCU   RWCU    RWCU     RWCU    RWCU  -        R        -           R      -        -
care.referral                RWCU RWCU RWC    RWC     C        RWC     C     -        R        -           R      -        -
care.referral.status.log     R    R    R      R       -        R       -     -        R        -           R      -        -
care.reminder                RWCU RU   R      R       R        R       R     -        -        -           -      -        -
care.referral.start          RWCU RWCU RWCU   RWCU    RWCU     RWCU    RWCU  -        -        -           -      -        -
care.referral.move           RWCU RWCU RWCU   RWCU    RWCU     RWCU    RWCU  -        -        -           -      -        -
res.partner                  RWCU RWCU RWCU   RWCU    RWCU     RWCU    RWCU  R        R        R           R      -        -
res.partner/care-fields      RWC  RWC  RWC    RWC     RWC      RWC     RWC   -        R        R           R      -        -
calendar.event               RWCU RWCU RWCU   RWCU    RWCU     RWCU    RWCU  RWCU     R        R           R      -        -
calendar.event/other         RWCU RWCU RWCU   RWCU    RWCU     RWCU    RWCU  RWCU     -        -           -      -        -
care.consent                 RWCU RWCU RWC    RWC     RWC      RWC     RWC   -        -        -           R      -        -
care.access.log              RC   R    -      -       -        -       -     -        -        -           R      -        -
survey.user_input            RWCU RWCU RWC    RWC     RWC      RWC     RWC   -        -        -           -      -        -
care.form.send               RWCU RWCU RWCU   RWCU    RWCU     RWCU    RWCU  -        -        -           -      -        -
care.portal.invitation       RWCU RWCU RWCU   RWCU    RWCU     RWCU    RWCU  -        -        -           -      -        -
care.relation.contact.wizard RWCU RWCU RWCU   RWCU    RWCU     RWCU    RWCU  -        -        -           -      -        -
care.package                 RWCU RWCU RWC    RWC     RWC      RWC     RWC   -        R        R           R      -        -
care.package.slot            RWCU RWCU RWCU   RWCU    RWCU     RWCU    RWCU  -        R        R           R      -        -
care.partner.phone           RWCU RWCU RWCU   RWCU    RWCU     RWCU    RWCU  -        -        -           -      -        -
care.relation.import         RWCU RWCU -      -       -        -       -     -        -        -           -      -        -
care.relation.import.job     RWCU R    -      -       -        -       -     -        -        -           -      -        -
care.data.export             RWCU RU   -      -       -        -       -     -        -        -           -      -        -
"""  # noqa: E501

# What a search returns among the fixture records, per persona.
SEARCHES = {
    "care.referral": {
        "shared_referral private_referral": "su mgr helper claimer guardian seeker",
        "shared_referral": "mate_on",
        "": "mate_off other internal responsible stranger public",
    },
    "care.relation": {
        "guardian_relation responsible_relation adult_relation": (
            "su mgr helper mate_on mate_off claimer other"
        ),
        "guardian_relation responsible_relation": "seeker",
        "guardian_relation": "guardian",
        "responsible_relation": "responsible",
        "": "internal stranger public",
    },
    "care.goal": {
        "seeker_goal adult_goal": "su mgr helper mate_on mate_off claimer other",
        "seeker_goal": "guardian seeker",
        "": "internal responsible stranger public",
    },
    "res.partner": {
        "seeker adult": "su mgr helper mate_on mate_off claimer other internal",
        "seeker": "guardian responsible seeker",
        "": "stranger public",
    },
    "care.consent": {
        "seeker_consent": "su mgr helper mate_on mate_off claimer other seeker",
        "": "internal guardian responsible stranger public",
    },
    "care.access.log": {
        "seeker_log": "su mgr seeker",
        "": (
            "helper mate_on mate_off claimer other internal guardian responsible "
            "stranger public"
        ),
    },
    "survey.user_input": {
        "seeker_form": "su mgr helper mate_on mate_off claimer other",
        "": "internal guardian responsible seeker stranger public",
    },
    "care.package": {
        "seeker_package": (
            "su mgr helper mate_on mate_off claimer other guardian responsible seeker"
        ),
        "": "internal stranger public",
    },
    "care.partner.phone": {
        "seeker_phone": "su mgr helper mate_on mate_off claimer other",
        "": "internal guardian responsible seeker stranger public",
    },
    "care.package.slot": {
        "seeker_slot": (
            "su mgr helper mate_on mate_off claimer other guardian responsible seeker"
        ),
        "": "internal stranger public",
    },
    "calendar.event": {
        "seeker_event adult_event": (
            "su mgr helper mate_on mate_off claimer other internal"
        ),
        "seeker_event": "guardian responsible seeker",
        "": "stranger public",
    },
}

REFUSED = (AccessError, UserError, ValidationError)


class _Rollback(Exception):
    """Raised to undo an operation that succeeded."""


def parse_matrix(text):
    lines = [line.split() for line in text.strip().splitlines()]
    header, rows = lines[0], lines[1:]
    assert header[1:] == PERSONAS, header
    table = []
    for model, *cells in rows:
        for persona, cell in zip(PERSONAS, cells, strict=True):
            for operation in "RWCU":
                table.append((persona, model, operation, operation in cell))
    return table


@tagged("post_install", "-at_install")
class TestAccessMatrix(ReferralCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.type_friend = cls.env.ref("care_network.relation_type_friend")
        cls.personas = {
            "su": None,
            "mgr": cls.care_manager,
            "helper": cls.helper,
            "mate_on": cls.teammate,
            "mate_off": cls.loner,
            "claimer": cls.claimer,
            "other": cls.other_user,
            "internal": cls.internal_user,
            "guardian": cls.guardian_user,
            "responsible": cls.responsible_user,
            "seeker": cls.seeker_user,
            "stranger": cls.stranger_user,
            "public": cls.env.ref("base.public_user"),
        }
        relations = cls.seeker.care_relation_ids
        cls.records = {
            "seeker": cls.seeker,
            "adult": cls.adult,
            "guardian_relation": relations.filtered(
                lambda r: r.related_partner_id == cls.guardian_user.partner_id
            ),
            "responsible_relation": relations.filtered(
                lambda r: r.related_partner_id == cls.responsible_user.partner_id
            ),
            "adult_relation": cls.relate(cls.adult, cls.other_parent, cls.type_parent),
        }
        Goal = cls.env["care.goal"]
        cls.records["seeker_goal"] = Goal.create(
            {"name": "Find work", "seeker_id": cls.seeker.id}
        )
        cls.records["adult_goal"] = Goal.create(
            {"name": "Move house", "seeker_id": cls.adult.id}
        )
        cls.records["shared_referral"] = cls.make_referral(
            goal_id=cls.records["seeker_goal"].id
        )
        cls.records["private_referral"] = cls.make_referral(team_id=cls.private_team.id)
        cls.records["shared_referral"].with_user(cls.helper).sudo(False).set_state(
            "sent"
        )
        start = fields.Datetime.now() + timedelta(days=3)
        Event = cls.env["calendar.event"].with_context(no_mail_to_attendees=True)
        cls.records["seeker_event"] = Event.create(
            {
                "name": "Sam's dentist",
                "start": start,
                "stop": start + timedelta(hours=1),
                "partner_ids": [(6, 0, cls.seeker.ids)],
            }
        )
        cls.records["adult_event"] = Event.create(
            {
                "name": "Ada's physio",
                "start": start,
                "stop": start + timedelta(hours=1),
                "partner_ids": [(6, 0, cls.adult.ids)],
            }
        )
        cls.records["seeker_consent"] = cls.env["care.consent"].create(
            cls.consent_vals(cls.seeker)
        )
        cls.env["care.access.log"].with_user(cls.guardian_user)._log_read(
            cls.seeker, "profile"
        )
        cls.records["seeker_log"] = cls.env["care.access.log"].search(
            [("client_id", "=", cls.seeker.id)]
        )
        cls.form = cls.env["survey.survey"].create(
            {
                "title": "Matrix intake",
                "care_form_kind": "client",
                "access_mode": "token",
            }
        )
        cls.records["seeker_form"] = cls.form_vals_answer()
        cls.records["seeker_package"] = cls.env["care.package"].create(
            {"name": "Sam's coaching", "holder_id": cls.seeker.id}
        )
        cls.records["seeker_slot"] = cls.env["care.package.slot"].create(
            cls.slot_vals(cls.records["seeker_package"])
        )
        cls.records["seeker_phone"] = cls.env["care.partner.phone"].create(
            {"partner_id": cls.seeker.id, "kind": "mobile", "number": "+32470123456"}
        )
        # Made by the manager: an export of a client without a company is its
        # author's only.
        cls.records["seeker_export"] = (
            cls.env["care.data.export"]
            .with_user(cls.care_manager)
            ._care_export(cls.seeker, b"{}")
        )
        cls.records["import_job"] = cls.env["care.relation.import.job"].create(
            {"user_id": cls.care_manager.id}
        )
        cls.records["reminder"] = cls.env["care.reminder"].create(
            {
                "event_id": cls.records["seeker_event"].id,
                "event_start": start,
                "member_id": cls.guardian_user.partner_id.id,
            }
        )

    @classmethod
    def form_vals_answer(cls):
        """A shared form about Sam, sent to his guardian Greg."""
        return cls.env["survey.user_input"].create(
            {
                "survey_id": cls.form.id,
                "partner_id": cls.guardian_user.partner_id.id,
                "care_client_id": cls.seeker.id,
                "care_shared": True,
            }
        )

    @staticmethod
    def slot_vals(package):
        start = fields.Datetime.now() + timedelta(days=4)
        return {
            "package_id": package.id,
            "start": start,
            "stop": start + timedelta(hours=1),
        }

    @staticmethod
    def consent_vals(client):
        return {
            "client_id": client.id,
            "scope": "sms_reminders",
            "given_by_id": client.id,
        }

    # --- running one operation ----------------------------------------------------
    def as_persona(self, persona, model):
        Model = self.env[model].with_context(tracking_disable=True)
        user = self.personas[persona]
        return Model.sudo() if user is None else Model.with_user(user)

    def attempt(self, action):
        """True when ``action`` succeeds (then undone), False when refused."""
        try:
            with self.env.cr.savepoint():
                action()
                self.env.flush_all()
                raise _Rollback()
        except _Rollback:
            return True
        except REFUSED:
            return False
        finally:
            self.env.invalidate_all()

    def new_partner(self, name="Throwaway Person", **values):
        return self.env["res.partner"].create({"name": name, **values})

    def specs(self):
        """model -> (target for R/W, write values, create values, unlink target)."""
        r = self.records

        def fresh_referral():
            return self.make_referral(goal_id=r["seeker_goal"].id)

        def relation_vals():
            return {
                "partner_id": self.new_partner("Client X").id,
                "related_partner_id": self.new_partner("Relative X").id,
                "type_id": self.type_parent.id,
            }

        def event_vals(*partners):
            start = fields.Datetime.now() + timedelta(days=5)
            return {
                "name": "New appointment",
                "start": start,
                "stop": start + timedelta(hours=1),
                "partner_ids": [(6, 0, [p.id for p in partners])],
            }

        simple = {
            "care.partner.role": self.role_client,
            "care.relation.type": self.type_friend,
            "care.service.tag": self.tag_food,
            "care.program": self.program,
            "care.team": self.sharing_team,
        }
        specs = {
            model: (
                record,
                {"name": f"{record.name} (renamed)"},
                lambda model=model: (
                    {"name": f"New {model}"}
                    | (
                        {"provider_id": self.provider.id}
                        if model == "care.program"
                        else {}
                    )
                    | ({"code": "ZZZ"} if model == "care.relation.type" else {})
                ),
                lambda model=model: self.env[model].create(
                    {"name": f"Doomed {model}"}
                    | (
                        {"provider_id": self.provider.id}
                        if model == "care.program"
                        else {}
                    )
                ),
            )
            for model, record in simple.items()
        }
        specs.update(
            {
                "care.relation": (
                    r["guardian_relation"],
                    {"note": "Checked"},
                    relation_vals,
                    lambda: self.relate(
                        self.seeker, self.new_partner("Doomed"), self.type_friend
                    ),
                ),
                "care.goal": (
                    r["seeker_goal"],
                    {"name": "Find work soon"},
                    lambda: {"name": "New goal", "seeker_id": self.seeker.id},
                    lambda: self.env["care.goal"].create(
                        {"name": "Doomed goal", "seeker_id": self.seeker.id}
                    ),
                ),
                "care.referral": (
                    r["shared_referral"],
                    {"comment": "Prefers mornings"},
                    lambda: {
                        "seeker_id": self.seeker.id,
                        "program_id": self.program.id,
                        "consent": True,
                    },
                    fresh_referral,
                ),
                "care.referral.status.log": (
                    r["shared_referral"].status_log_ids[:1],
                    {"note": "Rewritten"},
                    lambda: {
                        "referral_id": r["shared_referral"].id,
                        "state_to": "completed",
                    },
                    lambda: r["shared_referral"].status_log_ids[:1],
                ),
                "care.reminder": (
                    r["reminder"],
                    {"sent_email": True},
                    lambda: {
                        "event_id": r["adult_event"].id,
                        "event_start": r["adult_event"].start,
                        "member_id": self.other_parent.id,
                    },
                    lambda: r["reminder"],
                ),
                "care.consent": (
                    r["seeker_consent"],
                    {"note": "Signed again"},
                    lambda: self.consent_vals(self.seeker),
                    lambda: self.env["care.consent"].create(
                        self.consent_vals(self.seeker)
                    ),
                ),
                "care.access.log": (
                    r["seeker_log"],
                    {"what": "goal"},
                    lambda: {"client_id": self.seeker.id, "what": "profile"},
                    lambda: r["seeker_log"],
                ),
                "survey.user_input": (
                    r["seeker_form"],
                    {"care_shared": False},
                    lambda: {
                        "survey_id": self.form.id,
                        "partner_id": self.seeker.id,
                        "care_client_id": self.seeker.id,
                    },
                    self.form_vals_answer,
                ),
                "care.package": (
                    r["seeker_package"],
                    {"name": "Sam's coaching (renamed)"},
                    lambda: {"name": "New package", "holder_id": self.seeker.id},
                    lambda: self.env["care.package"].create(
                        {"name": "Doomed package", "holder_id": self.seeker.id}
                    ),
                ),
                "care.package.slot": (
                    r["seeker_slot"],
                    {"note": "Moved"},
                    lambda: self.slot_vals(r["seeker_package"]),
                    lambda: self.env["care.package.slot"].create(
                        self.slot_vals(r["seeker_package"])
                    ),
                ),
                "care.partner.phone": (
                    r["seeker_phone"],
                    {"number": "+32470987654"},
                    lambda: {
                        "partner_id": self.seeker.id,
                        "kind": "home",
                        "number": "+3221234567",
                    },
                    lambda: self.env["care.partner.phone"].create(
                        {
                            "partner_id": self.seeker.id,
                            "kind": "other",
                            "number": "+32470555555",
                        }
                    ),
                ),
                "care.relation.side": (
                    self.env["care.relation.side"].search(
                        [("relation_id", "=", r["guardian_relation"].id)]
                    ),
                    {"date_end": fields.Date.today()},
                    lambda: {"relation_id": r["adult_relation"].id},
                    lambda: self.env["care.relation.side"].search(
                        [("relation_id", "=", r["adult_relation"].id)]
                    ),
                ),
                "care.relation.import": (None, {"line_ids": []}, dict, None),
                "care.relation.import.job": (
                    r["import_job"],
                    {"error": "Changed"},
                    dict,
                    lambda: self.env["care.relation.import.job"].create({}),
                ),
                "care.data.export": (
                    r["seeker_export"],
                    {"client_id": self.adult.id},
                    lambda: {"client_id": self.seeker.id, "name": "forged.json"},
                    lambda: (
                        self.env["care.data.export"]
                        .with_user(self.care_manager)
                        ._care_export(self.seeker, b"{}")
                    ),
                ),
                "care.form.send": (
                    None,
                    {"care_shared": False},
                    lambda: {"client_id": self.seeker.id, "survey_id": self.form.id},
                    None,
                ),
                "care.portal.invitation": (
                    None,
                    {"client_id": self.seeker.id},
                    lambda: {"client_id": self.seeker.id},
                    None,
                ),
                "care.relation.contact.wizard": (
                    None,
                    {"relationship_note": "neighbour"},
                    lambda: {
                        "partner_id": self.seeker.id,
                        "type_id": self.type_friend.id,
                    },
                    None,
                ),
                "care.referral.start": (
                    None,
                    {"comment": "Changed"},
                    lambda: {"seeker_id": self.seeker.id},
                    None,
                ),
                "care.referral.move": (
                    None,
                    {"note": "Changed"},
                    lambda: {
                        "referral_id": r["shared_referral"].id,
                        "state": "completed",
                    },
                    None,
                ),
                "res.partner": (
                    self.seeker,
                    {"function": "Student"},
                    lambda: {"name": "Brand New"},
                    self.new_partner,
                ),
                "calendar.event": (
                    r["seeker_event"],
                    {"location": "Room 4"},
                    lambda: event_vals(self.seeker),
                    lambda: (
                        self.env["calendar.event"]
                        .with_context(no_mail_to_attendees=True)
                        .create(event_vals(self.seeker))
                    ),
                ),
                "calendar.event/other": (
                    r["adult_event"],
                    {"location": "Room 5"},
                    lambda: event_vals(self.adult),
                    lambda: (
                        self.env["calendar.event"]
                        .with_context(no_mail_to_attendees=True)
                        .create(event_vals(self.adult))
                    ),
                ),
            }
        )
        return specs

    def run_operation(self, persona, model, operation):
        if model == "res.partner/care-fields":
            return self.run_care_field_operation(persona, operation)
        real_model = model.split("/")[0]
        target, write_vals, create_vals, unlink_target = self.specs()[model]
        env_model = self.as_persona(persona, real_model)

        if env_model._transient:
            return self.run_wizard_operation(
                env_model, operation, write_vals, create_vals
            )
        if operation == "R":
            return self.attempt(
                lambda: env_model.browse(target.ids).read(["display_name"])
            )
        if operation == "W":
            return self.attempt(lambda: env_model.browse(target.ids).write(write_vals))
        if operation == "C":
            return self.attempt(lambda: env_model.create(create_vals()))
        return self.attempt(lambda: env_model.browse(unlink_target().ids).unlink())

    def run_wizard_operation(self, env_model, operation, write_vals, create_vals):
        if operation == "C":
            return self.attempt(lambda: env_model.create(create_vals()))

        def act():
            record = env_model.create(create_vals())
            if operation == "R":
                record.read(["display_name"])
            elif operation == "W":
                record.write(write_vals)
            else:
                record.unlink()

        return self.attempt(act)

    def run_care_field_operation(self, persona, operation):
        Partner = self.as_persona(persona, "res.partner")
        ward = Partner.browse(self.seeker.id)
        if operation == "R":
            return self.attempt(
                lambda: ward.read(["care_relation_ids", "care_contact_preference"])
            )
        if operation == "W":
            return self.attempt(lambda: ward.write({"care_contact_preference": "sms"}))
        if operation == "C":
            return self.attempt(
                lambda: Partner.create(
                    {
                        "name": "New Client",
                        "is_care_client": True,
                        "care_contact_preference": "phone",
                    }
                )
            )
        return False  # Care fields are not deleted apart from their partner.

    # --- the tests ----------------------------------------------------------------
    def test_access_matrix(self):
        table = parse_matrix(MATRIX)
        failures = []
        for persona, model, operation, expected in table:
            allowed = self.run_operation(persona, model, operation)
            if allowed != expected:
                failures.append(
                    f"{persona:12} {model:26} {operation}: expected "
                    f"{'allowed' if expected else 'refused'}, got "
                    f"{'allowed' if allowed else 'refused'}"
                )
        _logger.info(
            "Access matrix: %s rows (%s personas x %s models x 4 operations), "
            "%s mismatches",
            len(table),
            len(PERSONAS),
            len(table) // (4 * len(PERSONAS)),
            len(failures),
        )
        self.assertEqual(len(table), 13 * 29 * 4)
        self.assertFalse(failures, "\n" + "\n".join(failures))

    def test_search_results_per_persona(self):
        rows = 0
        failures = []
        for model, expectations in SEARCHES.items():
            fixture = self.env[model].browse()
            for names in expectations:
                for name in names.split():
                    fixture |= self.records[name]
            for names, personas in expectations.items():
                expected = self.env[model].browse()
                for name in names.split():
                    expected |= self.records[name]
                for persona in personas.split():
                    rows += 1
                    try:
                        found = (
                            self.as_persona(persona, model)
                            .search([("id", "in", fixture.ids)])
                            .sudo()
                        )
                    except AccessError:
                        found = self.env[model].browse()
                    if found != expected.sudo():
                        failures.append(
                            f"{persona} searching {model}: expected "
                            f"{expected.mapped('display_name')}, got "
                            f"{found.mapped('display_name')}"
                        )
        _logger.info("Search matrix: %s rows, %s mismatches", rows, len(failures))
        self.assertEqual(rows, 11 * 13)
        self.assertFalse(failures, "\n" + "\n".join(failures))
