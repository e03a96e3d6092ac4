from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.modules.migration import load_script
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.misc import file_path

from .common import CareCase, company_b_care_user


@tagged("post_install", "-at_install")
class TestPartnerPhones(CareCase):
    """A contact keeps any number of numbers, each of a kind, normalised; Odoo's own
    Mobile and Phone mirror the first ones."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Phone = cls.env["care.partner.phone"]

    def add(self, partner, kind, number):
        return self.Phone.create(
            {"partner_id": partner.id, "kind": kind, "number": number}
        )

    def test_a_contact_with_only_a_name_has_no_number(self):
        sparse = self.Partner.create({"name": "Sparse Sam"})
        self.assertFalse(sparse.care_phone_ids)
        self.assertFalse(sparse.mobile or sparse.phone)
        relation = self.relate(self.adult, sparse, self.type_emergency)
        self.assertFalse(relation.reminder_sms_phone_id)
        self.assertFalse(relation._reminder_sms_number())

    def test_spaces_and_dashes_are_normalised(self):
        phone = self.add(self.other_parent, "mobile", " +32 470 12-34-56 ")
        self.assertEqual(phone.number, "+32470123456")
        self.assertEqual(self.other_parent.mobile, "+32470123456", "mirrored")
        phone.number = "+32 (0)470.65.43.21"
        self.assertIn(phone.number, ("+32470654321", "+320470654321"))

    def test_an_invalid_number_is_refused_by_name(self):
        for number in ("call me", "12", "+32 470 12 34 56 78 90 12 34"):
            with (
                self.subTest(number=number),
                self.assertRaisesRegex(ValidationError, "not a valid phone number"),
            ):
                self.add(self.other_parent, "home", number)
        with self.assertRaisesRegex(ValidationError, "call me"):
            self.add(self.other_parent, "home", "call me")
        self.assertFalse(self.other_parent.care_phone_ids, "nothing half-saved")

    def test_another_companys_care_user_finds_no_number(self):
        """Company B's care user, by search, search_read, read_group and by id."""
        self.other_parent.company_id = self.env.company
        phone = self.add(self.other_parent, "mobile", "+32470123456")
        Phone = self.Phone.with_user(company_b_care_user(self.env, "phones_b"))
        domain = [("number", "like", "32470")]
        self.assertFalse(Phone.search(domain))
        self.assertFalse(Phone.search_read(domain, ["number"]))
        self.assertFalse(Phone.read_group(domain, ["kind"], ["kind"]))
        self.assertFalse(Phone.name_search("32470"))
        with self.assertRaises(AccessError):
            Phone.browse(phone.id).read(["number"])
        with self.assertRaises(AccessError):
            Phone.create({"partner_id": self.other_parent.id, "number": "+3247011"})

    def test_a_number_is_named_only_to_whoever_may_read_it(self):
        """Odoo names a many2one as superuser (an onchange, a relation's SMS
        number): the number stays out of it for a reader of another company,
        out of a refusal's message, and portal users read no SMS number."""
        self.other_parent.company_id = self.env.company
        phone = self.add(self.other_parent, "mobile", "+32470123456")
        user_b = company_b_care_user(self.env, "phones_names_b")
        self.assertNotIn("32470", phone.with_user(user_b).display_name)
        self.assertIn("32470", phone.with_user(self.care_user).display_name)
        relation = self.relate(self.adult, self.guardian, self.type_emergency)
        with self.assertRaises(ValidationError) as refused:
            relation.write({"reminder_sms_phone_id": phone.id})
        self.assertNotIn("32470", str(refused.exception))
        portal = new_test_user(
            self.env, login="phones_portal", groups="base.group_portal"
        )
        granted = self.relate(
            self.adult, portal.partner_id, self.type_emergency, can_view_profile=True
        ).with_user(portal)
        self.assertTrue(granted.read(["type_id"]), "the member reads their relation")
        for fname in ("reminder_sms_phone_id", "reminder_summary"):
            with self.assertRaises(AccessError):
                granted.read([fname])

    def test_a_number_stays_with_its_contact(self):
        phone = self.add(self.other_parent, "mobile", "+32470123456")
        with self.assertRaisesRegex(UserError, "stays with its contact"):
            phone.write({"partner_id": self.guardian.id})

    def test_the_mirror_cannot_be_asked_for(self):
        """No context key skips the validation or the mirror."""
        Phone = self.Phone.with_context(
            care_phone_mirror=True, care_phone_sync=True, care_phone_lenient=True
        )
        with self.assertRaises(ValidationError):
            Phone.create({"partner_id": self.guardian.id, "number": "call me"})
        Phone.create({"partner_id": self.guardian.id, "number": "+32470999888"})
        self.assertEqual(self.guardian.mobile, "+32470999888")

    def test_several_kinds_and_odoo_fields_mirror_the_first(self):
        self.add(self.other_parent, "other", "+32 2 555 00 00")
        self.add(self.other_parent, "work", "+32 2 123 45 67")
        self.add(self.other_parent, "mobile", "+32 470 11 11 11")
        self.add(self.other_parent, "mobile", "+32 470 22 22 22")
        self.add(self.other_parent, "home", "+32 2 765 43 21")
        self.assertEqual(
            self.other_parent.care_phone_ids.mapped("kind"),
            ["other", "work", "mobile", "mobile", "home"],
        )
        self.assertEqual(self.other_parent.mobile, "+32470111111")
        self.assertEqual(self.other_parent.phone, "+3221234567", "first home or work")
        self.other_parent.care_phone_ids.filtered(
            lambda phone: phone.number == "+32470111111"
        ).unlink()
        self.assertEqual(self.other_parent.mobile, "+32470222222", "the next one")

    def test_odoo_fields_fill_the_numbers(self):
        partner = self.Partner.create({"name": "Mia Mobile", "mobile": "+1 555 0177"})
        self.assertEqual(
            partner.care_phone_ids.mapped("kind"), ["mobile"], "kept as Odoo holds it"
        )
        self.assertEqual(partner.mobile, "+1 555 0177", "Odoo's field not rewritten")
        partner.mobile = "+1 555 0178"
        self.assertEqual(len(partner.care_phone_ids), 1, "the first mobile follows")
        self.assertIn("0178", partner.care_phone_ids.number)
        partner.phone = "+1 555 0179"
        self.assertEqual(partner.care_phone_ids.mapped("kind"), ["mobile", "home"])
        partner.mobile = False
        self.assertEqual(partner.care_phone_ids.mapped("kind"), ["home"])

    def test_a_user_outside_care_still_edits_odoo_numbers(self):
        editor = new_test_user(
            self.env,
            login="contact_editor",
            groups="base.group_user,base.group_partner_manager",
        )
        self.other_parent.with_user(editor).write({"mobile": "+1 555 0166"})
        self.assertEqual(len(self.other_parent.care_phone_ids), 1)
        with self.assertRaises(AccessError):
            self.other_parent.care_phone_ids.with_user(editor).read(["number"])

    def test_care_user_edits_the_list_on_the_form(self):
        form = Form(self.other_parent.with_user(self.care_user))
        with form.care_phone_ids.new() as line:
            line.kind = "work"
            line.number = "+32 2 123 45 67"
        with form.care_phone_ids.new() as line:
            line.kind = "mobile"
            line.number = "+32 470 33 33 33"
        form.save()
        self.assertEqual(
            self.other_parent.care_phone_ids.mapped("number"),
            ["+3221234567", "+32470333333"],
        )
        self.assertEqual(
            (self.other_parent.mobile, self.other_parent.phone),
            ("+32470333333", "+3221234567"),
        )

    def test_the_dialog_takes_two_numbers_and_the_sms_one(self):
        relation = self.add_contact(
            self.adult,
            self.type_emergency,
            contact_kind="alternative",
            firstname="Tara",
            lastname="Two",
            no_email=True,
            mobile="+32 470 44-44-44",
            work_phone="+32 2 987 65 43",
            sms_kind="work",
        )
        contact = relation.related_partner_id
        self.assertEqual(
            [(phone.kind, phone.number) for phone in contact.care_phone_ids],
            [("mobile", "+32470444444"), ("work", "+3229876543")],
        )
        self.assertEqual(relation.reminder_sms_phone_id.kind, "work")
        self.assertEqual(relation._reminder_sms_number(), "+3229876543")

    def test_an_invalid_number_in_the_dialog_creates_nobody(self):
        with self.assertRaisesRegex(ValidationError, "not-a-number"):
            self.add_contact(
                self.adult,
                self.type_emergency,
                contact_kind="alternative",
                firstname="Ivy",
                lastname="Invalid",
                no_email=True,
                mobile="not-a-number",
            )
        self.assertFalse(self.Partner.search([("name", "=", "Ivy Invalid")]))

    def test_the_sms_number_is_one_of_the_members(self):
        relation = self.relate(self.adult, self.other_parent, self.type_emergency)
        stranger_phone = self.add(self.guardian, "mobile", "+32 470 55 55 55")
        with self.assertRaisesRegex(ValidationError, "not one of"):
            relation.reminder_sms_phone_id = stranger_phone
        mobile = self.add(self.other_parent, "mobile", "+32 470 66 66 66")
        self.assertEqual(relation._reminder_sms_number(), "+32470666666", "default")
        home = self.add(self.other_parent, "home", "+32 2 666 66 66")
        relation.reminder_sms_phone_id = home
        self.assertEqual(relation._reminder_sms_number(), "+3226666666")
        home.unlink()
        self.assertFalse(relation.reminder_sms_phone_id)
        self.assertEqual(relation._reminder_sms_number(), mobile.number)

    def test_the_form_defaults_to_the_first_mobile(self):
        self.add(self.other_parent, "home", "+32 2 777 77 77")
        mobile = self.add(self.other_parent, "mobile", "+32 470 77 77 77")
        form = Form(self.Relation.with_context(default_partner_id=self.adult.id))
        form.type_id = self.type_emergency
        form.related_partner_id = self.other_parent
        self.assertEqual(form.reminder_sms_phone_id, mobile)


@tagged("post_install", "-at_install")
class TestPartnerPhonesMigration(CareCase):
    """18.0.1.7.0: partners' numbers become rows, relations' SMS numbers rows."""

    MIGRATION = "care_network/migrations/18.0.1.7.0/post-care-partner-phones.py"

    def test_numbers_become_rows_and_the_sms_number_follows(self):
        relation = self.relate(
            self.adult, self.other_parent, self.type_emergency, reminder_sms=False
        )
        self.other_parent.write({"mobile": "+1 555 0131", "phone": " +1 555 0132 "})
        company = self.Partner.create({"name": "Desk Inc", "is_company": True})
        company.phone = "+1 555 0133"
        # A database before 18.0.1.7.0: no rows, the SMS number a selection.
        self.env.cr.execute("DELETE FROM care_partner_phone")
        self.env.cr.execute(
            "ALTER TABLE care_relation ADD COLUMN reminder_sms_number varchar"
        )
        self.env.cr.execute(
            "UPDATE care_relation SET reminder_sms_number = 'mobile' WHERE id != %s",
            [relation.id],
        )
        self.env.cr.execute(
            "UPDATE care_relation SET reminder_sms_number = 'phone',"
            " reminder_sms_phone_id = NULL WHERE id = %s",
            [relation.id],
        )
        self.env.invalidate_all()
        migration = load_script(file_path(self.MIGRATION), "post_care_partner_phones")
        migration.migrate(self.env.cr, "18.0.1.6.0")
        migration.migrate(self.env.cr, "18.0.1.6.0")  # twice: nothing doubles
        self.env.invalidate_all()
        self.assertEqual(
            [(p.kind, p.number) for p in self.other_parent.care_phone_ids],
            [("mobile", "+1 555 0131"), ("home", "+1 555 0132")],
        )
        self.assertEqual(company.care_phone_ids.mapped("kind"), ["work"])
        self.assertEqual(relation.reminder_sms_phone_id.kind, "home")
        self.assertEqual(relation._reminder_sms_number(), "+1 555 0132")
