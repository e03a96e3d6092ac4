from collections import defaultdict

from odoo import fields, models


class ResUsers(models.Model):
    """Office staff: the care users and the clients and employers each manages
    (the partners whose Care Staff they are)."""

    _inherit = "res.users"

    care_managed_partner_ids = fields.Many2many(
        "res.partner",
        "care_partner_manager_rel",
        "user_id",
        "partner_id",
        string="Partners Managed",
        groups="care_network.group_care_user",
        help="The partners this user is care staff of.",
    )
    care_managed_client_ids = fields.Many2many(
        "res.partner",
        string="Clients Managed",
        compute="_compute_care_managed",
        groups="care_network.group_care_user",
    )
    care_managed_employer_ids = fields.Many2many(
        "res.partner",
        string="Employers Managed",
        compute="_compute_care_managed",
        groups="care_network.group_care_user",
    )
    care_managed_client_count = fields.Integer(
        string="Clients",
        compute="_compute_care_managed",
        groups="care_network.group_care_user",
    )
    care_managed_employer_count = fields.Integer(
        string="Employers",
        compute="_compute_care_managed",
        groups="care_network.group_care_user",
    )

    def _compute_care_managed(self):
        """The managed clients and employers of all these users in one search."""
        employer = self.env.ref("care_network.role_employer")
        partners = self.env["res.partner"].search(
            [
                ("care_manager_user_ids", "in", self.ids),
                "|",
                ("is_care_client", "=", True),
                ("care_role_ids", "in", employer.ids),
            ]
        )
        clients, employers = defaultdict(list), defaultdict(list)
        for partner in partners:
            for user_id in partner.care_manager_user_ids.ids:
                if partner.is_care_client:
                    clients[user_id].append(partner.id)
                if employer in partner.care_role_ids:
                    employers[user_id].append(partner.id)
        for user in self:
            user.care_managed_client_ids = partners.browse(clients[user.id])
            user.care_managed_employer_ids = partners.browse(employers[user.id])
            user.care_managed_client_count = len(clients[user.id])
            user.care_managed_employer_count = len(employers[user.id])

    def _care_open_partners(self, partners, name):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "res.partner",
            "view_mode": "list,kanban,form",
            "domain": [("id", "in", partners.ids)],
        }

    def action_view_care_managed_clients(self):
        self.ensure_one()
        return self._care_open_partners(
            self.care_managed_client_ids,
            self.env._("Clients of %(user)s", user=self.name),
        )

    def action_view_care_managed_employers(self):
        self.ensure_one()
        return self._care_open_partners(
            self.care_managed_employer_ids,
            self.env._("Employers of %(user)s", user=self.name),
        )
