from datetime import timedelta

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import CareCase, company_b_care_user


@tagged("post_install", "-at_install")
class TestOneCircleList(CareCase):
    """The client form's one Circle of Care list: both directions, labelled from
    the client's point of view, in emergency-then-type order; a row opens its
    relation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Claire is Léo's guardian and herself a client, with an emergency
        # contact of her own.
        cls.claire = cls.Partner.create(
            {
                "name": "Claire Martin",
                "email": "claire@example.com",
                "is_care_client": True,
            }
        )
        cls.leo = cls.Partner.create({"name": "Léo", "is_care_client": True})
        cls.wardship = cls.relate(cls.leo, cls.claire, cls.type_guardian)
        cls.sister = cls.Partner.create(
            {"name": "Sophie Martin", "email": "sophie@example.com"}
        )
        cls.emergency = cls.relate(
            cls.claire,
            cls.sister,
            cls.type_emergency,
            is_emergency_contact=True,
            emergency_priority=1,
        )
        cls.past = cls.relate(
            cls.claire,
            cls.other_parent,
            cls.type_sibling,
            date_start=cls.today - timedelta(days=800),
            date_end=cls.today - timedelta(days=400),
        )

    def rows(self, partner):
        return [
            (row.other_partner_id.name, row.side_label)
            for row in partner.care_circle_ids
        ]

    def rows_named(self, partner):
        return [
            (row.other_partner_name, row.side_label) for row in partner.care_circle_ids
        ]

    def row_of(self, partner, relation):
        return partner.care_circle_ids.filtered(lambda row: row.relation_id == relation)

    def test_both_directions_labelled_from_the_client(self):
        self.assertEqual(self.rows(self.leo), [("Claire Martin", "Legal Guardian")])
        self.assertEqual(
            self.rows(self.claire),
            [
                ("Sophie Martin", "Emergency Contact"),
                ("Léo", "Ward"),
                ("Oscar Other", "Sibling"),
            ],
        )

    def circle_list_spec(self, user):
        """The specification the form view's circle list makes for this user (no
        viewpoint in it): each column read as itself, a many2one with its name."""
        arch = etree.fromstring(
            self.env["res.partner"].with_user(user).get_view(view_type="form")["arch"]
        )
        fields = self.env["care.relation.side"]._fields
        columns = {
            node.get("name"): (
                {"fields": {"display_name": {}}}
                if fields[node.get("name")].type == "many2one"
                else {}
            )
            for node in arch.xpath("//field[@name='care_circle_ids']/list/field")
        }
        return {"care_circle_ids": {"fields": columns, "limit": 40}}

    def test_the_web_client_reads_the_rows_from_the_partners_side(self):
        spec = self.circle_list_spec(self.care_user)
        for partner, expected in (
            (self.leo, [("Claire Martin", "Legal Guardian")]),
            (
                self.claire,
                [
                    ("Sophie Martin", "Emergency Contact"),
                    ("Léo", "Ward"),
                    ("Oscar Other", "Sibling"),
                ],
            ),
        ):
            [values] = partner.with_user(self.care_user).web_read(spec)
            rows = [
                (row["other_partner_name"], row["side_label"])
                for row in values["care_circle_ids"]
            ]
            self.assertEqual(rows, expected)

    def test_a_rename_and_a_new_label_show_in_the_same_transaction(self):
        self.assertEqual(self.rows(self.leo), [("Claire Martin", "Legal Guardian")])
        # Renaming her company renames her too ("Company, Person").
        company = self.Partner.create({"name": "Martin & Co", "is_company": True})
        self.claire.parent_id = company
        self.type_guardian.name = "Guardian"
        self.type_guardian.inverse_name = "Minor in Care"
        names = [row.other_partner_name for row in self.leo.care_circle_ids]
        self.assertEqual(names, ["Martin & Co, Claire Martin"])
        company.name = "Martin Family"
        self.assertEqual(
            [
                (row.other_partner_name, row.side_label)
                for row in self.leo.care_circle_ids
            ],
            [("Martin Family, Claire Martin", "Guardian")],
        )
        self.assertIn(("Léo", "Minor in Care"), self.rows_named(self.claire))

    def test_labels_in_the_readers_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.type_guardian.update_field_translations("name", {"fr_FR": "Tuteur légal"})
        self.type_guardian.update_field_translations(
            "inverse_name", {"fr_FR": "Pupille"}
        )
        self.env.invalidate_all()
        french = self.env(context=dict(self.env.context, lang="fr_FR"))
        self.assertEqual(
            self.rows_named(self.leo.with_env(french)),
            [("Claire Martin", "Tuteur légal")],
        )
        self.assertIn(("Léo", "Pupille"), self.rows_named(self.claire.with_env(french)))
        self.assertEqual(
            self.rows_named(self.leo), [("Claire Martin", "Legal Guardian")]
        )

    def test_a_type_without_an_inverse_label_reads_its_label_on_both_sides(self):
        one_way = self.env["care.relation.type"].create({"name": "Mentor"})
        another = self.env["care.relation.type"].create(
            {"name": "Coach", "inverse_name": ""}
        )
        self.relate(self.leo, self.sister, one_way)
        self.relate(self.leo, self.other_parent, another)
        self.assertIn(("Sophie Martin", "Mentor"), self.rows_named(self.leo))
        self.assertIn(("Léo", "Mentor"), self.rows_named(self.sister))
        self.assertIn(("Léo", "Coach"), self.rows_named(self.other_parent))
        for relation_type in (one_way, another):
            self.assertEqual(
                relation_type.get_inverse_label(),
                relation_type.name,
                "as the type says",
            )

    def test_emergency_contacts_first_by_priority_then_type(self):
        second = self.relate(
            self.claire,
            self.guardian,
            self.type_parent,
            is_emergency_contact=True,
            emergency_priority=2,
        )
        first = self.relate(
            self.claire,
            self.employer,
            self.type_employer,
            is_emergency_contact=True,
            emergency_priority=0,
        )
        circle = self.claire.care_circle_ids.relation_id
        self.assertEqual(list(circle[:3]), [first, self.emergency, second])
        self.assertEqual(circle[3:], self.wardship | self.past)

    def test_past_relations_stay_in_the_list(self):
        self.assertIn(self.past, self.claire.care_circle_ids.relation_id)
        self.assertFalse(self.past.is_current)

    def test_editing_a_row_stored_the_other_way(self):
        # On Claire's form, the Ward row is stored with Léo as the client.
        row = self.row_of(self.claire, self.wardship).with_user(self.care_user)
        action = row.action_open_relation()
        self.assertEqual(
            (action["res_model"], action["res_id"]),
            (
                "care.relation",
                self.wardship.id,
            ),
        )
        relation = self.Relation.with_user(self.care_user).browse(action["res_id"])
        relation = relation.with_context(**action["context"])
        self.assertEqual(relation.other_partner_id, self.leo, "read from her side")
        form = Form(relation)
        form.date_end = self.today
        form.relationship_note = "her nephew"
        form.save()
        self.assertEqual(self.wardship.date_end, self.today)
        self.assertEqual(self.wardship.relationship_note, "her nephew")
        self.assertEqual(self.wardship.partner_id, self.leo, "still stored Léo's way")
        self.assertEqual(len(self.claire.care_circle_ids), 3, "nothing added")

    def test_adding_a_row_makes_the_partner_the_client(self):
        self.assertEqual(len(self.leo.care_circle_ids), 1, "read before the add")
        self.add_contact(
            self.leo,
            self.type_sibling,
            user=self.care_user,
            related_partner_id=self.other_parent.id,
        )
        added = self.leo.care_circle_ids.relation_id - self.wardship
        self.assertEqual(added.partner_id, self.leo)
        self.assertEqual(added.related_partner_id, self.other_parent)
        self.assertEqual(added.contact_kind, "linked", "the dialog's default")

    def test_deleting_a_relation_removes_its_row_either_way(self):
        self.assertIn(self.wardship, self.claire.care_circle_ids.relation_id)
        self.assertIn(self.wardship, self.leo.care_circle_ids.relation_id)
        self.wardship.with_user(self.care_user).unlink()
        self.assertNotIn(self.wardship, self.claire.care_circle_ids.relation_id)
        self.assertFalse(self.leo.care_circle_ids, "read again, not from the cache")
        self.assertTrue(self.emergency.exists())

    def test_empty_circle_says_how_to_start(self):
        newcomer = self.Partner.create({"name": "Nina New", "is_care_client": True})
        self.assertFalse(newcomer.care_circle_ids)
        arch = etree.fromstring(
            self.Partner.with_user(self.care_user).get_views([(False, "form")])[
                "views"
            ]["form"]["arch"]
        )
        [hint] = arch.xpath(
            "//p[hasclass('o_care_circle_empty')][contains(@invisible, 'not is_care')]"
        )
        self.assertIn("care_circle_ids", hint.get("invisible"))
        self.assertIn(
            "This client has no other contacts yet: add a linked account or an "
            "alternative contact.",
            " ".join(hint.text.split()),
        )
        self.assertEqual(len(arch.xpath("//field[@name='care_circle_ids']")), 1)
        self.assertFalse(arch.xpath("//field[@name='care_related_to_ids']"))

    def test_linked_accounts_and_alternative_contacts_are_kept(self):
        self.assertEqual(self.wardship.contact_kind, "linked", "Claire is a client")
        self.assertEqual(self.emergency.contact_kind, "alternative")
        chosen = self.relate(
            self.leo, self.sister, self.type_sibling, contact_kind="linked"
        )
        self.assertEqual(chosen.contact_kind, "linked", "the user's choice wins")

    def test_care_user_reads_the_list(self):
        circle = self.claire.with_user(self.care_user).care_circle_ids
        self.assertEqual(len(circle), 3)

    def test_nobody_writes_the_rows_themselves(self):
        row = self.row_of(self.claire, self.wardship).with_user(self.care_user)
        with self.assertRaises(AccessError):
            row.write({"date_end": self.today})
        with self.assertRaises(AccessError):
            row.unlink()
        with self.assertRaises(AccessError):
            self.claire.with_user(self.care_user).write(
                {"care_circle_ids": [Command.create({"other_partner_id": self.leo.id})]}
            )
        self.assertFalse(self.wardship.date_end)

    def test_only_care_users_of_the_company_read_the_rows(self):
        Side = self.env["care.relation.side"]
        portal = new_test_user(
            self.env, login="circle_portal", groups="base.group_portal"
        )
        for user in (portal, self.internal_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Side.with_user(user).search([("partner_id", "=", self.claire.id)])
        staff_b = company_b_care_user(self.env, "circle_b")
        shared = self.Partner.create({"name": "Sam Shared"})  # no company
        self.relate(shared, self.sister, self.type_sibling)  # company A's
        spec = {"care_circle_ids": {"fields": {"side_label": {}}}}
        [values] = shared.with_user(staff_b).web_read(spec)
        self.assertEqual(values["care_circle_ids"], [])
        self.assertFalse(shared.with_user(staff_b).care_circle_ids)
        self.assertEqual(Side.search_count([("partner_id", "=", shared.id)]), 1)
        self.assertFalse(
            Side.with_user(staff_b).search([("other_partner_id", "=", self.sister.id)])
        )
        row = self.row_of(self.claire, self.wardship)
        with self.assertRaises(AccessError):
            row.with_user(staff_b).action_open_relation()

    def test_a_sparse_relation_has_its_two_rows(self):
        one = self.Partner.create({"name": "One"})
        other = self.Partner.create({"name": "Other"})
        relation = self.Relation.create(
            {
                "partner_id": one.id,
                "related_partner_id": other.id,
                "type_id": self.type_sibling.id,
            }
        )
        self.assertEqual(self.rows(one), [("Other", "Sibling")])
        self.assertEqual(self.rows(other), [("One", "Sibling")])
        self.assertEqual(other.care_circle_ids.relation_id, relation)
        self.assertEqual(one.care_relation_count, 1)


@tagged("post_install", "-at_install")
class TestContactDialog(CareCase):
    """Adding an alternative contact asks for everything practices record."""

    def new_contact(self, **values):
        return self.add_contact(
            self.adult,
            self.type_emergency,
            **{
                "contact_kind": "alternative",
                "firstname": "Nadia",
                "lastname": "Nour",
                "email": "nadia@example.com",
                **values,
            },
        )

    def test_the_new_contact_holds_everything_asked(self):
        state = self.env.ref("base.state_us_5")
        relation = self.new_contact(
            middlename="Leila",
            mobile="+1 555 0101",
            phone="+1 555 0102",
            birthdate="1980-04-02",
            street="3 Quay Road",
            street2="Flat 2",
            zip="94016",
            city="San Francisco",
            state_id=state.id,
            country_id=state.country_id.id,
            is_emergency_contact=True,
            relationship_note="maternal aunt",
            sms_kind="home",
        )
        contact = relation.related_partner_id
        self.assertEqual(contact.name, "Nadia Leila Nour")
        self.assertEqual(
            (contact.email, contact.mobile, contact.phone),
            ("nadia@example.com", "+1 555 0101", "+1 555 0102"),
        )
        self.assertEqual(str(contact.birthdate), "1980-04-02")
        self.assertEqual(
            (contact.street, contact.street2, contact.zip, contact.city),
            ("3 Quay Road", "Flat 2", "94016", "San Francisco"),
        )
        self.assertEqual(contact.state_id, state)
        self.assertEqual(contact.country_id, state.country_id)
        self.assertFalse(contact.is_company)
        self.assertFalse(contact.is_care_client)
        self.assertTrue(relation.is_emergency_contact)
        self.assertEqual(relation.relationship_note, "maternal aunt")
        self.assertEqual(relation.contact_kind, "alternative")
        self.assertEqual(relation._reminder_sms_number(), "+15550102", "normalised")

    def test_first_and_last_name_are_both_required(self):
        for missing in ("firstname", "lastname"):
            with (
                self.subTest(missing=missing),
                self.assertRaisesRegex(ValidationError, "a first name and a last name"),
            ):
                self.new_contact(**{missing: "  "})
        self.assertFalse(self.Partner.search([("name", "ilike", "Nour")]))

    def test_email_required_unless_the_person_has_none(self):
        with self.assertRaisesRegex(ValidationError, "Give Nadia Nour an e-mail"):
            self.new_contact(email=False)
        relation = self.new_contact(email=False, no_email=True)
        self.assertFalse(relation.related_partner_id.email)

    def test_an_invalid_email_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "not a valid e-mail address"):
            self.new_contact(email="nadia at home")

    def test_the_dialog_in_the_form(self):
        form = Form(
            self.env["care.relation.contact.wizard"].with_context(
                default_partner_id=self.adult.id
            )
        )
        form.type_id = self.type_emergency
        form.contact_kind = "alternative"
        self.assertTrue(form._get_modifier("email", "required"))
        form.no_email = True
        self.assertFalse(form._get_modifier("email", "required"))
        form.firstname = "Omar"
        form.lastname = "Odeh"
        form.mobile = "+1 555 0111"
        form.save().action_confirm()
        relation = self.adult.care_relation_ids
        self.assertEqual(relation.related_partner_id.name, "Omar Odeh")
        self.assertEqual(relation.related_partner_id.mobile, "+1 555 0111")

    def test_an_existing_client_as_alternative_contact(self):
        claire = self.Partner.create(
            {"name": "Claire Client", "email": "cc@example.com", "is_care_client": True}
        )
        partners = self.Partner.search_count([])
        relation = self.add_contact(
            self.adult,
            self.type_emergency,
            contact_kind="alternative",
            related_partner_id=claire.id,
        )
        self.assertEqual(self.Partner.search_count([]), partners, "no duplicate")
        self.assertEqual(relation.related_partner_id, claire)
        self.assertEqual(relation.contact_kind, "alternative", "the kind is kept")

    def test_picking_in_the_form_needs_no_name(self):
        form = Form(
            self.env["care.relation.contact.wizard"]
            .with_user(self.care_user)
            .with_context(default_partner_id=self.adult.id)
        )
        form.type_id = self.type_emergency
        form.contact_kind = "alternative"
        self.assertTrue(form._get_modifier("firstname", "required"))
        form.related_partner_id = self.other_parent
        for name in ("firstname", "email"):
            self.assertFalse(form._get_modifier(name, "required"), name)
        partners = self.Partner.search_count([])
        form.save().action_confirm()
        relation = self.adult.care_relation_ids
        self.assertEqual(self.Partner.search_count([]), partners)
        self.assertEqual(
            (relation.related_partner_id, relation.contact_kind),
            (self.other_parent, "alternative"),
        )

    def test_relationship_note_shows_on_the_portal(self):
        relation = self.new_contact(relationship_note="school counsellor")
        self.assertIn(
            "school counsellor",
            self.env["ir.qweb"]._render(
                "care_network.portal_care_relation_label", {"relation": relation}
            ),
        )


@tagged("post_install", "-at_install")
class TestEmptyCircleWayIn(CareCase):
    """The Circle of Care tab's two buttons, above the list whether the circle is
    empty or not, each opening the contact wizard with its kind chosen: the way
    to add to the circle, the list only opening and editing its rows."""

    def arch(self):
        return etree.fromstring(
            self.Partner.with_user(self.care_user).get_views([(False, "form")])[
                "views"
            ]["form"]["arch"]
        )

    def test_both_buttons_show_above_the_list_empty_or_not(self):
        arch = self.arch()
        [start] = arch.xpath("//div[hasclass('o_care_circle_add')]")
        self.assertFalse(start.get("invisible"), "shown whatever the circle holds")
        self.assertEqual(
            [(b.get("name"), b.get("string")) for b in start.xpath(".//button")],
            [
                ("action_add_care_linked_account", "Add linked account"),
                ("action_add_care_alternative_contact", "Add alternative contact"),
            ],
        )
        [circle_list] = arch.xpath("//field[@name='care_circle_ids']/list")
        self.assertEqual(circle_list.get("create"), "0", "no Add a line")
        self.assertFalse(arch.xpath("//div[hasclass('o_care_circle_start')]"))

    def test_each_button_opens_the_dialog_with_its_kind(self):
        newcomer = self.Partner.create({"name": "Nina New", "is_care_client": True})
        for method, kind in (
            ("action_add_care_linked_account", "linked"),
            ("action_add_care_alternative_contact", "alternative"),
        ):
            with self.subTest(kind=kind):
                action = getattr(newcomer.with_user(self.care_user), method)()
                self.assertEqual(
                    (action["res_model"], action["target"]),
                    ("care.relation.contact.wizard", "new"),
                )
                self.assertEqual(
                    action["views"],
                    [
                        (
                            self.env.ref(
                                "care_network.care_relation_contact_wizard_view_form"
                            ).id,
                            "form",
                        )
                    ],
                )
                form = Form(
                    self.env["care.relation.contact.wizard"]
                    .with_user(self.care_user)
                    .with_context(**action["context"])
                )
                self.assertEqual(form.partner_id, newcomer)
                self.assertEqual(form.contact_kind, kind)

    def test_the_dialog_fills_the_empty_circle(self):
        newcomer = self.Partner.create({"name": "Nina New", "is_care_client": True})
        action = newcomer.with_user(
            self.care_user
        ).action_add_care_alternative_contact()
        form = Form(
            self.env["care.relation.contact.wizard"]
            .with_user(self.care_user)
            .with_context(**action["context"])
        )
        form.type_id = self.type_emergency
        form.firstname = "Pia"
        form.lastname = "Pal"
        form.no_email = True
        self.assertEqual(
            form.save().action_confirm(), {"type": "ir.actions.act_window_close"}
        )
        self.assertEqual(
            newcomer.care_circle_ids.relation_id.related_partner_id.name, "Pia Pal"
        )

    def test_the_buttons_add_to_a_circle_that_is_not_empty(self):
        relation = self.minor.care_relation_ids
        action = self.minor.with_user(self.care_user).action_add_care_linked_account()
        form = Form(
            self.env["care.relation.contact.wizard"]
            .with_user(self.care_user)
            .with_context(**action["context"])
        )
        form.type_id = self.type_parent
        form.related_partner_id = self.other_parent
        form.save().action_confirm()
        added = self.minor.care_circle_ids.relation_id - relation
        self.assertEqual(
            (added.partner_id, added.related_partner_id, added.contact_kind),
            (self.minor, self.other_parent, "linked"),
        )
