from odoo import models


class IrUiMenu(models.Model):
    _inherit = "ir.ui.menu"

    def _load_menus_blacklist(self):
        """The import from partner_multi_relation and its runs show only where
        that addon (and so its tables) is installed."""
        blacklist = super()._load_menus_blacklist()
        if "res.partner.relation" not in self.env:
            for xmlid in ("menu_relation_import", "menu_relation_import_jobs"):
                menu = self.env.ref(f"care_network.{xmlid}", raise_if_not_found=False)
                if menu:
                    blacklist.append(menu.id)
        return blacklist
