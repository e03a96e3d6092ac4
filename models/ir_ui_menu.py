from odoo import models


class IrUiMenu(models.Model):
    _inherit = "ir.ui.menu"

    def _load_menus_blacklist(self):
        """The import from partner_multi_relation shows only where that addon
        (and so its tables) is installed."""
        blacklist = super()._load_menus_blacklist()
        if "res.partner.relation" not in self.env:
            menu = self.env.ref(
                "care_network.menu_relation_import", raise_if_not_found=False
            )
            if menu:
                blacklist.append(menu.id)
        return blacklist
