from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestFrenchTranslation(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(
            ["care_network"], ["fr_FR"], overwrite=True
        )
        cls.fr = cls.env(context=dict(cls.env.context, lang="fr_FR"))

    def test_terms_are_french(self):
        guardian = self.fr.ref("care_network.relation_type_guardian")
        self.assertEqual(guardian.name, "Tuteur légal")
        self.assertEqual(guardian.inverse_name, "Pupille")
        self.assertEqual(self.fr.ref("care_network.menu_root").name, "Réseau de soins")
        states = dict(
            self.fr["care.referral"]._fields["state"]._description_selection(self.fr)
        )
        self.assertEqual(states["completed"], "Terminée")

    def test_code_messages_are_french(self):
        partner = self.fr["res.partner"].create({"name": "Solo"})
        relation = self.fr["care.relation"]
        with self.assertRaisesRegex(Exception, "ne peut pas être en relation"):
            relation.create(
                {
                    "partner_id": partner.id,
                    "related_partner_id": partner.id,
                    "type_id": self.fr.ref("care_network.relation_type_friend").id,
                }
            )

    def test_mail_template_renders_in_french(self):
        template = self.fr.ref("care_network.mail_template_relation_access_granted")
        self.assertIn("peut désormais se connecter", template.body_html)

    def test_seeded_forms_are_french(self):
        intake = self.fr.ref("care_network.form_intake")
        self.assertEqual(intake.title, "Questionnaire d'accueil")
        question = self.fr.ref("care_network.form_intake_q_needs")
        self.assertEqual(question.title, "Quelle aide recherchez-vous ?")
