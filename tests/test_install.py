from odoo import Command
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_module_installed(self):
        module = self.env["ir.module.module"].search([("name", "=", "care_network")])
        self.assertEqual(module.state, "installed")
        self.assertTrue(module.application)

    def test_group_implications(self):
        user_group = self.env.ref("care_network.group_care_user")
        manager_group = self.env.ref("care_network.group_care_manager")
        self.assertEqual(user_group.category_id, manager_group.category_id)
        self.assertEqual(user_group.category_id.name, "Care Network")
        self.assertIn(self.env.ref("base.group_user"), user_group.implied_ids)
        self.assertIn(user_group, manager_group.implied_ids)
        self.assertIn(self.env.ref("base.group_user"), manager_group.trans_implied_ids)

    def test_manager_gets_user_group(self):
        manager = self.env["res.users"].create(
            {
                "name": "Mona Manager",
                "login": "mona.manager",
                "groups_id": [
                    Command.set([self.env.ref("care_network.group_care_manager").id])
                ],
            }
        )
        self.assertTrue(manager.has_group("care_network.group_care_user"))
        self.assertTrue(manager.has_group("base.group_user"))
        self.assertFalse(manager.share)

    def test_root_menu_restricted_to_care_users(self):
        menu = self.env.ref("care_network.menu_root")
        self.assertEqual(menu.groups_id, self.env.ref("care_network.group_care_user"))
        plain_user = self.env["res.users"].create(
            {"name": "Paul Plain", "login": "paul.plain"}
        )
        visible = self.env["ir.ui.menu"].with_user(plain_user)._visible_menu_ids()
        self.assertNotIn(menu.id, visible)
