from contextlib import contextmanager
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.modules.registry import DummyRLock, Registry
from odoo.tests import BaseCase, TransactionCase, get_db_name, new_test_user


def company_b_care_user(env, login, company_name="Company B", **values):
    """A care user who works for another company only (its own, created here)."""
    company = env["res.company"].create({"name": company_name})
    return new_test_user(
        env,
        login=login,
        groups="care_network.group_care_user",
        company_id=company.id,
        company_ids=[Command.set(company.ids)],
        **values,
    )


def new_appointment(env, name, attendees, days=3, **values):
    """An hour-long appointment of ``attendees`` in ``days`` days, sent to no one."""
    start = fields.Datetime.now() + timedelta(days=days)
    return (
        env["calendar.event"]
        .with_context(no_mail_to_attendees=True)
        .create(
            {
                "name": name,
                "start": start,
                "stop": start + timedelta(hours=1),
                "partner_ids": [Command.set(attendees.ids)],
                **values,
            }
        )
    )


def tour_care_user(env, login="tour_care_user"):
    """The care user the back-office tours log in as."""
    return new_test_user(env, login=login, groups="care_network.group_care_user")


class CommittedCase(BaseCase):
    """Real, committed transactions on separate connections (no test cursor):
    each test cleans up what it committed."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        # The test runner holds the registry lock while tests run; worker
        # threads look the registry up (Environment, commit hooks) and would wait
        # for it forever. TransactionCase swaps it the same way (test mode).
        saved_lock, Registry._lock = Registry._lock, DummyRLock()
        self.addCleanup(setattr, Registry, "_lock", saved_lock)


class CareCase(TransactionCase):
    """Shared fixture: relation types, a few clients and staff."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.Partner = cls.env["res.partner"]
        cls.Relation = cls.env["care.relation"]
        cls.type_guardian = ref("care_network.relation_type_guardian")
        cls.type_responsible = ref("care_network.relation_type_responsible_party")
        cls.type_parent = ref("care_network.relation_type_parent")
        cls.type_sibling = ref("care_network.relation_type_sibling")
        cls.type_emergency = ref("care_network.relation_type_emergency_contact")
        cls.type_employer = ref("care_network.relation_type_employer")
        cls.type_billing = ref("care_network.relation_type_billing_contact")
        cls.type_member = ref("care_network.relation_type_member_of")
        cls.role_client = ref("care_network.role_client")
        cls.today = date.today()

        cls.adult = cls.Partner.create(
            {"name": "Ada Adult", "email": "ada@example.com", "is_care_client": True}
        )
        cls.guardian = cls.Partner.create(
            {"name": "Gina Guardian", "email": "gina@example.com"}
        )
        cls.other_parent = cls.Partner.create(
            {"name": "Oscar Other", "email": "oscar@example.com"}
        )
        cls.minor = cls.Partner.create(
            {
                "name": "Mia Minor",
                "birthdate": cls.today - relativedelta(years=10),
                "is_care_client": True,
                "care_relation_ids": [
                    Command.create(
                        {
                            "related_partner_id": cls.guardian.id,
                            "type_id": cls.type_guardian.id,
                            "date_start": cls.today - relativedelta(years=5),
                        }
                    )
                ],
            }
        )
        cls.employer = cls.Partner.create({"name": "Acme Works", "is_company": True})

        cls.care_user = new_test_user(
            cls.env, login="care_user", groups="care_network.group_care_user"
        )
        cls.care_manager = new_test_user(
            cls.env, login="care_manager", groups="care_network.group_care_manager"
        )
        cls.internal_user = new_test_user(
            cls.env, login="plain_internal", groups="base.group_user"
        )

    def assertRaisesRegex(self, expected_exception, expected_regex, *args, **kwargs):
        """Like Odoo's assertRaises, roll back to a savepoint so that a refused write
        leaves nothing behind, then check the message."""
        if args or kwargs:
            return super().assertRaisesRegex(
                expected_exception, expected_regex, *args, **kwargs
            )
        return self._raises_with_message(expected_exception, expected_regex)

    @contextmanager
    def _raises_with_message(self, expected_exception, expected_regex):
        with self.assertRaises(expected_exception) as context:
            yield context
        self.assertRegex(str(context.exception), expected_regex)

    @classmethod
    def make_family(cls, name="Okafor Family", members=(), payer=None, **values):
        """A family (client organisation) billed to ``payer`` (a new person unless
        given), with ``members`` (the first one's primary organisation)."""
        payer = payer or cls.Partner.create(
            {"name": f"{name} Payer", "email": "payer@example.com"}
        )
        family = cls.Partner.create(
            {
                "name": name,
                "is_company": True,
                "care_group_kind": "family",
                "care_billing_contact_id": payer.id,
                **values,
            }
        )
        for index, member in enumerate(members):
            cls.relate(member, family, cls.type_member, is_primary=index == 0)
        return family

    @classmethod
    def add_contact(cls, client, relation_type, user=None, **values):
        """What the Circle of Care tab's contact wizard does, as ``user`` (the
        test's environment when none): the relation it adds to the circle."""
        Wizard = cls.env["care.relation.contact.wizard"]
        if user:
            Wizard = Wizard.with_user(user)
        wizard = Wizard.create(
            {"partner_id": client.id, "type_id": relation_type.id, **values}
        )
        wizard.action_confirm()
        return cls.Relation.search(
            [("partner_id", "=", client.id)], order="id desc", limit=1
        )

    @classmethod
    def relate(cls, client, related, relation_type, **values):
        # Started yesterday unless said: the default, today in the creating
        # user's time zone (Brussels under Odoo's demo data), is still tomorrow
        # for the personas without one in the hour before midnight UTC.
        values.setdefault("date_start", cls.today - relativedelta(days=1))
        return cls.Relation.create(
            {
                "partner_id": client.id,
                "related_partner_id": related.id,
                "type_id": relation_type.id,
                **values,
            }
        )
