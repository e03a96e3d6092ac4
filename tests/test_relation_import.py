from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CareCase


@tagged("post_install", "-at_install")
class TestImportWithoutPartnerMultiRelation(CareCase):
    """These suites run without partner_multi_relation (tools/pmr_check.py runs
    the import beside it): the menu hides and the import refuses, clearly."""

    def test_the_menu_shows_only_with_the_addon(self):
        self.assertNotIn("res.partner.relation", self.env)
        menu = self.env.ref("care_network.menu_relation_import")
        Menu = self.env["ir.ui.menu"].with_user(self.care_manager)
        self.assertIn(menu.id, Menu._load_menus_blacklist())
        self.assertNotIn(menu.id, Menu.load_menus(debug=False))

    def test_the_import_refuses_without_the_addon(self):
        wizard = (
            self.env["care.relation.import"].with_user(self.care_manager).create({})
        )
        self.assertFalse(wizard.line_ids)
        with self.assertRaisesRegex(
            UserError, "partner_multi_relation is not installed"
        ):
            wizard.action_import()
