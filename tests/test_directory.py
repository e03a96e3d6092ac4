from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import CareCase


@tagged("post_install", "-at_install")
class TestDirectoryMenus(CareCase):
    """The Directory menus as a care user clicks them: what each lists, and the
    role (and kind) a partner created from it gets."""

    def action_of(self, menu_xmlid):
        menu = self.env.ref(menu_xmlid).with_user(self.care_user)
        self.assertTrue(menu.action, f"{menu_xmlid} opens something")
        return menu.action.sudo().read()[0]

    def create_from(self, menu_xmlid, name):
        action = self.action_of(menu_xmlid)
        context = safe_eval(action["context"] or "{}", {"uid": self.care_user.id})
        Model = self.env[action["res_model"]].with_user(self.care_user)
        form = Form(Model.with_context(**context))
        form.name = name
        partner = form.save()
        domain = safe_eval(action["domain"] or "[]", {"uid": self.care_user.id})
        self.assertIn(partner, Model.search(domain), f"{name} is listed there")
        return partner

    def test_each_menu_gives_its_role(self):
        ref = self.env.ref
        for menu, name, role, is_company in (
            ("menu_employers", "Harbour Logistics", "role_employer", True),
            ("menu_payers", "Coastal Health Fund", "role_payer", True),
            ("menu_contacts", "Sam Contact", "role_contact", False),
        ):
            with self.subTest(menu=menu):
                partner = self.create_from(f"care_network.{menu}", name)
                self.assertEqual(partner.care_role_ids, ref(f"care_network.{role}"))
                self.assertEqual(partner.is_company, is_company)

    def test_a_new_employer_is_potential(self):
        partner = self.create_from("care_network.menu_employers", "Harbour Docks")
        self.assertTrue(partner.care_is_employer)
        self.assertEqual(partner.care_employer_stage, "potential")

    def test_employer_stages_filter_and_columns(self):
        employer_role = self.env.ref("care_network.role_employer")
        potential, active = self.Partner.create(
            [
                {
                    "name": name,
                    "is_company": True,
                    "care_role_ids": [Command.set(employer_role.ids)],
                    "care_employer_stage": stage,
                }
                for name, stage in (("Pier Co", "potential"), ("Dock Co", "active"))
            ]
        )
        Partner = self.Partner.with_user(self.care_user)
        self.assertIn(
            potential, Partner.search([("care_employer_stage", "=", "potential")])
        )
        self.assertNotIn(
            active, Partner.search([("care_employer_stage", "=", "potential")])
        )
        action = self.action_of("care_network.menu_employers")
        context = safe_eval(action["context"])
        self.assertEqual(context["search_default_care_group_by_employer_stage"], 1)
        groups = Partner._read_group(
            safe_eval(action["domain"]) + [("id", "in", (potential | active).ids)],
            ["care_employer_stage"],
            ["__count"],
        )
        self.assertEqual(
            dict(groups), {"potential": 1, "active": 1}, "a column per stage"
        )
        selection = Partner.fields_get(["care_employer_stage"])["care_employer_stage"]
        self.assertEqual(
            [key for key, _label in selection["selection"]][:2],
            ["potential", "active"],
            "potential employers come first",
        )

    def test_an_employer_may_be_a_person_or_an_organisation(self):
        person_employer = self.Partner.create({"name": "Mrs Private Employer"})
        for employer in (person_employer, self.employer):
            relation = self.relate(self.adult, employer, self.type_employer)
            self.assertEqual(relation.related_partner_id, employer)

    def test_an_organisation_has_emergency_contacts_and_managers(self):
        facility = self.Partner.create({"name": "Sunny Care Home", "is_company": True})
        emergency = self.relate(
            facility, self.guardian, self.type_emergency, is_emergency_contact=True
        )
        manager = self.relate(
            facility,
            self.other_parent,
            self.env.ref("care_network.relation_type_manager"),
        )
        self.assertEqual(facility.care_circle_ids.relation_id, emergency | manager)
        with self.assertRaisesRegex(ValidationError, "must be a person"):
            self.relate(
                facility,
                self.employer,
                self.env.ref("care_network.relation_type_manager"),
            )

    def test_possible_payer_and_facility_types(self):
        possible = self.env.ref("care_network.relation_type_possible_payer")
        facility_type = self.env.ref("care_network.relation_type_facility")
        insurer = self.Partner.create({"name": "Maybe Insurer", "is_company": True})
        relation = self.relate(self.adult, insurer, possible)
        self.assertEqual(relation.category, "financial")
        row = insurer.care_circle_ids
        self.assertEqual(row.relation_id, relation)
        self.assertEqual(row.side_label, "Possible Payer For")
        home = self.Partner.create({"name": "Willow House", "is_company": True})
        self.assertEqual(self.relate(self.adult, home, facility_type).category, "care")
        with self.assertRaisesRegex(ValidationError, "must be an organisation"):
            self.relate(self.minor, self.guardian, facility_type)

    def test_responsible_party_is_invited_by_default(self):
        self.assertTrue(self.type_responsible.default_portal_invite)
        form = Form(
            self.Relation.with_user(self.care_user).with_context(
                default_partner_id=self.adult.id
            )
        )
        form.type_id = self.type_responsible
        form.related_partner_id = self.other_parent
        self.assertTrue(form.send_portal_invitation)
        form.type_id = self.env.ref("care_network.relation_type_friend")
        self.assertFalse(form.send_portal_invitation)


@tagged("post_install", "-at_install")
class TestOfficeStaff(CareCase):
    """Directory > Office Staff: care users and the clients and employers each
    manages; the My Clients filter."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.colleague = new_test_user(
            cls.env, login="care_colleague", groups="care_network.group_care_user"
        )
        cls.employer.write(
            {
                "care_role_ids": [
                    Command.link(cls.env.ref("care_network.role_employer").id)
                ],
                "care_employer_stage": "active",
                "care_manager_user_ids": [Command.set(cls.care_user.ids)],
            }
        )
        cls.adult.care_manager_user_ids = cls.care_user | cls.colleague
        cls.minor.care_manager_user_ids = cls.colleague

    def test_menu_lists_care_users_only(self):
        action = self.env.ref("care_network.menu_office_staff").action
        domain = safe_eval(action.domain)
        staff = self.env["res.users"].with_user(self.care_user).search(domain)
        self.assertIn(self.care_user, staff)
        self.assertIn(self.care_manager, staff)
        self.assertNotIn(self.internal_user, staff)

    def test_clients_and_employers_each_manages(self):
        users = (self.care_user | self.colleague).with_user(self.care_user)
        mine, theirs = users
        self.assertEqual(mine.care_managed_client_ids, self.adult)
        self.assertEqual(mine.care_managed_employer_ids, self.employer)
        self.assertEqual(
            (theirs.care_managed_client_count, theirs.care_managed_employer_count),
            (2, 0),
        )
        action = theirs.action_view_care_managed_clients()
        self.assertEqual(self.Partner.search(action["domain"]), self.adult | self.minor)

    def test_my_clients_filter(self):
        arch = self.Partner.with_user(self.care_user).get_views([(False, "search")])[
            "views"
        ]["search"]["arch"]
        self.assertIn('name="care_my_clients"', arch)
        domain = [("care_manager_user_ids", "in", self.colleague.id)]
        self.assertEqual(
            self.Partner.with_user(self.colleague).search(domain),
            self.adult | self.minor,
        )
        mine = self.Partner.with_user(self.care_user).search(
            [("care_manager_user_ids", "in", self.care_user.id)]
        )
        self.assertEqual(mine, self.adult | self.employer)
