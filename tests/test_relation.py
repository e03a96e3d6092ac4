from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import CareCase


@tagged("post_install", "-at_install")
class TestRelationConstraints(CareCase):
    def test_self_relation_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be related to themself"):
            self.relate(self.adult, self.adult, self.type_emergency)

    def test_end_before_start_refused(self):
        with self.assertRaisesRegex(ValidationError, "ends .* before it starts"):
            self.relate(
                self.adult,
                self.guardian,
                self.type_emergency,
                date_start=self.today,
                date_end=self.today - relativedelta(days=1),
            )

    def test_related_kind_enforced(self):
        self.type_facility = self.env.ref("care_network.relation_type_facility")
        with self.assertRaisesRegex(
            ValidationError, "related partner must be an organisation"
        ):
            self.relate(self.adult, self.guardian, self.type_facility)
        relation = self.relate(self.adult, self.employer, self.type_facility)
        self.assertEqual(relation.inverse_label, "Resident")

    def test_client_kind_enforced(self):
        with self.assertRaisesRegex(ValidationError, "client must be a person"):
            self.relate(self.employer, self.guardian, self.type_parent)

    def test_turning_related_person_into_company_refused(self):
        self.relate(self.adult, self.guardian, self.type_parent)
        with self.assertRaisesRegex(ValidationError, "must be a person"):
            self.guardian.is_company = True

    def test_duplicate_current_relation_refused(self):
        self.relate(self.adult, self.guardian, self.type_emergency)
        with self.assertRaisesRegex(ValidationError, "already Emergency Contact of"):
            self.relate(self.adult, self.guardian, self.type_emergency)

    def test_duplicate_symmetric_relation_refused_in_reverse(self):
        self.relate(self.adult, self.guardian, self.type_sibling)
        with self.assertRaisesRegex(ValidationError, "already Sibling of"):
            self.relate(self.guardian, self.adult, self.type_sibling)

    def test_ended_relation_can_be_followed_by_a_new_one(self):
        yesterday = self.today - relativedelta(days=1)
        self.relate(
            self.adult,
            self.guardian,
            self.type_emergency,
            date_start=self.today - relativedelta(years=1),
            date_end=yesterday,
        )
        new = self.relate(
            self.adult, self.guardian, self.type_emergency, date_start=self.today
        )
        self.assertTrue(new.is_current)

    def test_archived_type_keeps_relations_but_refuses_new_ones(self):
        relation = self.relate(self.adult, self.guardian, self.type_emergency)
        self.type_emergency.active = False
        self.assertTrue(relation.exists())
        self.assertEqual(relation.type_id, self.type_emergency)
        with self.assertRaisesRegex(ValidationError, "archived"):
            self.relate(self.adult, self.other_parent, self.type_emergency)

    def test_type_in_use_cannot_be_deleted(self):
        self.relate(self.adult, self.guardian, self.type_emergency)
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            self.type_emergency.unlink()
        unused = self.env["care.relation.type"].create(
            {"name": "Mentor", "inverse_name": "Mentee", "category": "care"}
        )
        unused.unlink()
        self.assertFalse(unused.exists())

    def test_deleting_partner_deletes_its_relations(self):
        relation = self.relate(self.adult, self.other_parent, self.type_emergency)
        inverse = self.relate(self.other_parent, self.adult, self.type_sibling)
        self.other_parent.unlink()
        self.assertFalse(relation.exists())
        self.assertFalse(inverse.exists())

    def test_reminder_lead_time_bounds(self):
        for hours in (1, 73, 0, -5):
            with self.assertRaisesRegex(ValidationError, "between 2 and 72 hours"):
                self.relate(
                    self.adult,
                    self.guardian,
                    self.type_emergency,
                    reminder_opt_in=True,
                    reminder_email_lead_hours=hours,
                )
        relation = self.relate(
            self.adult, self.guardian, self.type_emergency, reminder_email_lead_hours=72
        )
        self.assertEqual(relation.reminder_email_lead_hours, 72)

    def test_reminder_needs_a_channel(self):
        with self.assertRaisesRegex(ValidationError, "Choose e-mail or SMS"):
            self.relate(
                self.adult,
                self.guardian,
                self.type_emergency,
                reminder_opt_in=True,
                reminder_email=False,
                reminder_sms=False,
            )

    def test_bad_relation_in_partner_create_saves_nothing(self):
        with self.assertRaises(ValidationError):
            self.Partner.create(
                {
                    "name": "Half Saved",
                    "care_relation_ids": [
                        (
                            0,
                            0,
                            {
                                "related_partner_id": self.guardian.id,
                                "type_id": self.type_parent.id,
                            },
                        ),
                        (
                            0,
                            0,
                            {
                                "related_partner_id": self.employer.id,
                                "type_id": self.type_parent.id,
                            },
                        ),
                    ],
                }
            )
        self.assertFalse(self.Partner.search([("name", "=", "Half Saved")]))
        self.assertFalse(self.Relation.search([("partner_id.name", "=", "Half Saved")]))


@tagged("post_install", "-at_install")
class TestRelationReading(CareCase):
    def test_labels_from_both_sides(self):
        relation = self.minor.care_relation_ids
        self.assertEqual(relation.label, "Legal Guardian")
        self.assertEqual(relation.inverse_label, "Ward")
        from_client = relation.with_context(care_viewpoint_id=self.minor.id)
        self.assertEqual(from_client.other_partner_id, self.guardian)
        self.assertEqual(from_client.side_label, "Legal Guardian")
        self.assertEqual(from_client.display_name, "Gina Guardian (Legal Guardian)")
        from_guardian = relation.with_context(care_viewpoint_id=self.guardian.id)
        self.assertEqual(from_guardian.other_partner_id, self.minor)
        self.assertEqual(from_guardian.side_label, "Ward")
        self.assertEqual(from_guardian.display_name, "Mia Minor (Ward)")
        self.assertEqual(
            relation.display_name, "Gina Guardian, Legal Guardian of Mia Minor"
        )

    def test_symmetric_labels(self):
        relation = self.relate(self.adult, self.guardian, self.type_sibling)
        for viewpoint, other in (
            (self.adult, self.guardian),
            (self.guardian, self.adult),
        ):
            side = relation.with_context(care_viewpoint_id=viewpoint.id)
            self.assertEqual(side.side_label, "Sibling")
            self.assertEqual(side.other_partner_id, other)

    def test_partner_lists_both_directions(self):
        self.relate(self.adult, self.guardian, self.type_emergency)
        self.assertEqual(
            self.guardian.care_related_to_ids.partner_id, self.minor | self.adult
        )
        self.assertEqual(self.guardian.care_relation_count, 2)
        self.assertEqual(self.minor.care_relation_count, 1)
        action = self.guardian.action_view_care_relations()
        relations = self.Relation.with_context(**action["context"]).search(
            action["domain"]
        )
        self.assertEqual(len(relations), 2)
        self.assertEqual(
            set(relations.mapped("side_label")), {"Ward", "Emergency Contact For"}
        )

    def test_emergency_contacts_first_by_priority(self):
        parent = self.relate(self.adult, self.other_parent, self.type_parent)
        second = self.relate(
            self.adult,
            self.guardian,
            self.type_emergency,
            is_emergency_contact=True,
            emergency_priority=2,
        )
        first = self.relate(
            self.adult,
            self.other_parent,
            self.type_emergency,
            is_emergency_contact=True,
            emergency_priority=1,
        )
        self.adult.invalidate_recordset(["care_relation_ids"])
        self.assertEqual(
            self.adult.care_relation_ids.ids, [first.id, second.id, parent.id]
        )

    def test_grants_default_from_type(self):
        relation = self.minor.care_relation_ids
        self.assertTrue(relation.can_view_profile)
        self.assertTrue(relation.can_view_referrals)
        responsible = self.relate(self.adult, self.guardian, self.type_responsible)
        self.assertTrue(responsible.can_view_profile)
        self.assertFalse(responsible.can_view_referrals)
        self.assertFalse(responsible.can_update_referrals)
        sibling = self.relate(self.adult, self.other_parent, self.type_sibling)
        self.assertFalse(sibling.can_view_profile)

    def test_alternative_contact_created_on_the_spot(self):
        relation = self.add_contact(
            self.adult,
            self.type_emergency,
            contact_kind="alternative",
            firstname="Nora",
            lastname="New",
            email="nora@example.com",
            phone="+1 555 0100",
        )
        contact = relation.related_partner_id
        self.assertEqual(contact.name, "Nora New")
        self.assertEqual(contact.email, "nora@example.com")
        self.assertEqual(contact.phone, "+1 555 0100")
        self.assertFalse(contact.is_company)

    def test_alternative_contact_needs_a_name(self):
        with self.assertRaisesRegex(ValidationError, "a first name and a last name"):
            self.add_contact(
                self.adult,
                self.type_emergency,
                contact_kind="alternative",
                firstname="  ",
            )

    def test_circle_read_does_not_grow_with_relations(self):
        def queries_to_read_circle(client):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            rows = client.care_relation_ids.with_context(care_viewpoint_id=client.id)
            labels = [
                (
                    row.other_partner_id.name,
                    row.side_label,
                    row.is_current,
                    row.date_end,
                )
                for row in rows
            ]
            return self.env.cr.sql_log_count - before, len(labels)

        small, large = (
            self.Partner.create({"name": f"Circle {size}"}) for size in (3, 25)
        )
        for client, size in ((small, 3), (large, 25)):
            people = self.Partner.create([{"name": f"Member {i}"} for i in range(size)])
            self.Relation.create(
                [
                    {
                        "partner_id": client.id,
                        "related_partner_id": p.id,
                        "type_id": self.type_emergency.id,
                    }
                    for p in people
                ]
            )
        small_count, small_rows = queries_to_read_circle(small)
        large_count, large_rows = queries_to_read_circle(large)
        self.assertEqual((small_rows, large_rows), (3, 25))
        self.assertEqual(small_count, large_count)

    def test_indexes_cover_both_sides_and_type(self):
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'care_relation'"
        )
        definitions = " ".join(row[0] for row in self.env.cr.fetchall())
        for columns in (
            "(partner_id, type_id)",
            "(related_partner_id, type_id)",
            "(type_id)",
            "(related_partner_id)",
        ):
            self.assertIn(columns, definitions)


@tagged("post_install", "-at_install")
class TestMinorsAndRoles(CareCase):
    def test_is_minor_follows_birthdate_and_setting(self):
        teen = self.Partner.create(
            {"name": "Theo Teen", "birthdate": self.today - relativedelta(years=19)}
        )
        self.assertFalse(teen.is_minor)
        self.env["ir.config_parameter"].set_param("care_network.age_of_majority", "21")
        teen.invalidate_recordset(["is_minor"])
        self.assertTrue(teen.is_minor)
        self.assertIn(teen, self.Partner.search([("is_minor", "=", True)]))

    def test_minor_ticked_by_hand_without_birthdate(self):
        partner = self.Partner.create({"name": "No Birthdate"})
        partner.is_minor = True
        self.assertTrue(partner.is_minor_manual)
        self.assertIn(partner, self.Partner.search([("is_minor", "=", True)]))
        partner.birthdate = self.today - relativedelta(years=40)
        self.assertFalse(partner.is_minor)

    def test_minor_client_without_guardian_refused(self):
        with self.assertRaisesRegex(
            ValidationError, "is a minor: add a current Legal Guardian"
        ):
            self.Partner.create(
                {
                    "name": "Lone Minor",
                    "birthdate": self.today - relativedelta(years=8),
                    "is_care_client": True,
                }
            )
        with self.assertRaisesRegex(ValidationError, "is a minor"):
            self.adult.birthdate = self.today - relativedelta(years=12)

    def test_guardian_added_in_same_save_is_accepted(self):
        self.adult.write(
            {
                "birthdate": self.today - relativedelta(years=12),
                "care_relation_ids": [
                    (
                        0,
                        0,
                        {
                            "related_partner_id": self.guardian.id,
                            "type_id": self.type_guardian.id,
                        },
                    )
                ],
            }
        )
        self.assertTrue(self.adult.is_minor)
        self.assertFalse(self.adult.care_missing_guardian_now)

    def test_minors_without_guardian_filter(self):
        relation = self.minor.care_relation_ids
        self.assertNotIn(
            self.minor, self.Partner.search([("care_missing_guardian", "=", True)])
        )
        relation.date_end = self.today - relativedelta(days=1)
        self.assertFalse(relation.is_current)
        self.assertIn(
            self.minor, self.Partner.search([("care_missing_guardian", "=", True)])
        )
        self.assertTrue(self.minor.care_missing_guardian_now)
        self.assertNotIn(
            self.minor, self.Partner.search([("care_missing_guardian", "=", False)])
        )

    def test_is_care_client_mirrors_client_role(self):
        partner = self.Partner.create({"name": "Role Test"})
        self.assertFalse(partner.is_care_client)
        partner.care_role_ids = [Command.link(self.role_client.id)]
        self.assertTrue(partner.is_care_client)
        partner.is_care_client = False
        self.assertNotIn(self.role_client, partner.care_role_ids)
        partner.is_care_client = True
        self.assertIn(self.role_client, partner.care_role_ids)
        self.assertIn(partner, self.Partner.search([("is_care_client", "=", True)]))


@tagged("post_install", "-at_install")
class TestRelationSearchAndLifecycle(CareCase):
    def test_search_partners_by_relation(self):
        self.relate(self.adult, self.employer, self.type_employer)
        by_type = self.Partner.search(
            [("care_relation_type_id", "=", self.type_guardian.id)]
        )
        self.assertIn(self.minor, by_type)
        self.assertNotIn(self.adult, by_type)
        by_related = self.Partner.search(
            [("care_related_partner_id", "=", self.guardian.id)]
        )
        self.assertEqual(by_related, self.minor)
        by_category = self.Partner.search(
            [("care_relation_category", "=", "employment")]
        )
        self.assertIn(self.adult, by_category)
        self.assertNotIn(self.minor, by_category)

    def test_circle_criteria_together_describe_one_relation(self):
        other_guardian = self.Partner.create({"name": "Other Guardian"})
        self.relate(self.adult, self.guardian, self.type_emergency)
        self.relate(self.adult, other_guardian, self.type_guardian)
        guardian_is_guardian = [
            ("type_id", "=", self.type_guardian.id),
            ("related_partner_id", "=", self.guardian.id),
        ]
        for user in (self.env.user, self.care_user):
            Partner = self.Partner.with_user(user)
            # One relation matching both: Odoo's own any on the circle.
            self.assertEqual(
                Partner.search(Partner._care_circle_domain(guardian_is_guardian)),
                self.minor,
            )
            # Typed text instead of a picked partner: the same, by another path.
            by_name = [
                ("related_partner_id", "ilike", self.guardian.name),
                ("type_id", "=", self.type_guardian.id),
            ]
            self.assertEqual(
                Partner.search(Partner._care_circle_domain(by_name)), self.minor
            )
            # From the guardian's form: the clients by relation, one row each.
            guardian = self.guardian.with_user(user)
            action = guardian.action_view_care_clients_by_relation()
            wards = (
                self.env["care.relation"]
                .with_user(user)
                .search([*action["domain"], ("type_id", "=", self.type_guardian.id)])
            )
            self.assertEqual(wards.partner_id, self.minor)
            # The search-view criteria are separate conditions, each on the circle.
            separate = [
                ("care_relation_type_id", "=", self.type_guardian.id),
                ("care_related_partner_id", "=", self.guardian.id),
            ]
            self.assertEqual(
                Partner.search(separate) & (self.minor | self.adult),
                self.minor | self.adult,
            )
            # Alone, each criterion still finds both clients.
            self.assertEqual(
                Partner.search(separate[:1]) & (self.minor | self.adult),
                self.minor | self.adult,
            )
        # Several values of one criterion (the search view ORs them).
        either_type = [
            "|",
            ("care_relation_type_id", "=", self.type_guardian.id),
            ("care_relation_type_id", "=", self.type_emergency.id),
            ("care_related_partner_id", "=", self.guardian.id),
        ]
        self.assertEqual(self.Partner.search(either_type), self.minor | self.adult)
        self.assertEqual(
            self.Partner.search([*either_type, ("id", "!=", self.minor.id)]),
            self.adult,
        )
        # A negated criterion means "no such relation" (as for Odoo's x2many
        # fields), written with '!' or with a negative operator.
        no_guardian = [
            ("care_related_partner_id", "=", self.guardian.id),
            "!",
            ("care_relation_type_id", "=", self.type_guardian.id),
        ]
        unguarded = self.Partner.create({"name": "Unguarded Client"})
        self.relate(unguarded, self.guardian, self.type_emergency)
        not_type_guardian = [
            ("care_related_partner_id", "=", self.guardian.id),
            ("care_relation_type_id", "!=", self.type_guardian.id),
        ]
        for domain in (no_guardian, not_type_guardian):
            found = self.Partner.search(domain)
            self.assertIn(unguarded, found)
            self.assertFalse(found & (self.minor | self.adult))
        self.assertEqual(
            self.Partner.search_count(
                self.Partner._care_circle_domain(guardian_is_guardian)
            ),
            1,
            "counted alike",
        )
        # "Is set" / "is not set": whether the circle holds any current relation.
        loner = self.Partner.create({"name": "No Circle Yet"})
        with_circle = self.Partner.search([("care_relation_type_id", "!=", False)])
        self.assertIn(unguarded, with_circle)
        self.assertNotIn(loner, with_circle)
        without = self.Partner.search([("care_relation_type_id", "=", False)])
        self.assertIn(loner, without)
        self.assertNotIn(unguarded, without)

    def test_ended_relation_stops_being_current_that_day(self):
        relation = self.relate(
            self.adult,
            self.guardian,
            self.type_emergency,
            date_start=self.today - relativedelta(months=6),
        )
        self.assertIn(relation, self.Relation.search([("is_current", "=", True)]))
        relation.date_end = self.today
        self.assertTrue(relation.is_current, "the end date is the last current day")
        relation.date_end = self.today - relativedelta(days=1)
        self.assertFalse(relation.is_current)
        self.assertNotIn(relation, self.Relation.search([("is_current", "=", True)]))
        self.assertIn(relation, self.Relation.search([("is_current", "=", False)]))
        self.assertNotIn(
            self.adult,
            self.Partner.search([("care_related_partner_id", "=", self.guardian.id)]),
        )

    def test_future_relation_is_not_current(self):
        relation = self.relate(
            self.adult,
            self.guardian,
            self.type_emergency,
            date_start=self.today + relativedelta(days=3),
        )
        self.assertFalse(relation.is_current)

    def test_end_today_action(self):
        relation = self.relate(self.adult, self.guardian, self.type_emergency)
        relation.action_end_today()
        self.assertEqual(relation.date_end, self.today)


@tagged("post_install", "-at_install")
class TestRelationAccess(CareCase):
    def test_care_user_manages_relations_not_types(self):
        relation = self.relate(
            self.adult, self.guardian, self.type_emergency
        ).with_user(self.care_user)
        relation.note = "Call after 6pm"
        self.Relation.with_user(self.care_user).create(
            {
                "partner_id": self.adult.id,
                "related_partner_id": self.other_parent.id,
                "type_id": self.type_parent.id,
            }
        )
        with self.assertRaises(AccessError):
            self.env["care.relation.type"].with_user(self.care_user).create(
                {"name": "Forbidden", "category": "other"}
            )
        with self.assertRaises(AccessError):
            self.type_parent.with_user(self.care_user).name = "Renamed"

    def test_manager_adds_types(self):
        new_type = (
            self.env["care.relation.type"]
            .with_user(self.care_manager)
            .create({"name": "Mentor", "inverse_name": "Mentee", "category": "care"})
        )
        self.assertEqual(new_type.display_name, "Mentor / Mentee")

    def test_internal_user_without_care_group_sees_no_relations(self):
        with self.assertRaises(AccessError):
            self.Relation.with_user(self.internal_user).search([])
        with self.assertRaises(AccessError):
            self.minor.care_relation_ids.with_user(self.internal_user).read(["note"])
