from odoo import api, fields, models


class ResPartner(models.Model):
    """The packages a family, a client organisation or a client holds, and
    those a client takes part in (their own and their organisations')."""

    _inherit = "res.partner"

    care_held_package_ids = fields.One2many(
        "care.package", "holder_id", string="Packages Held"
    )
    care_participant_package_ids = fields.Many2many(
        "care.package",
        "care_package_participant_rel",
        "partner_id",
        "package_id",
        string="Packages Taken Part In",
    )
    care_package_event_ids = fields.Many2many(
        "calendar.event",
        string="Package Sessions",
        compute="_compute_care_package_activity",
    )
    care_package_message_ids = fields.Many2many(
        "mail.message",
        string="Package Notes",
        compute="_compute_care_package_activity",
    )
    care_package_count = fields.Integer(
        string="Package Count", compute="_compute_care_package_count"
    )

    @api.depends("care_held_package_ids", "care_participant_package_ids")
    def _compute_care_package_count(self):
        """Packages each partner holds or takes part in, counted once each, for
        all the partners in one search."""
        partners = self.filtered("id")
        packages = self.env["care.package"].search(
            [
                "|",
                ("holder_id", "in", partners.ids),
                ("participant_ids", "in", partners.ids),
            ]
        )
        for partner in self:
            partner.care_package_count = len(
                packages.filtered(
                    lambda p, partner=partner: (
                        p.holder_id == partner or partner in p.participant_ids
                    )
                )
            )

    def _compute_care_package_activity(self):
        """What the packages a family or client organisation holds produced:
        their sessions and the notes shared on them (one query each)."""
        groups = self.filtered("care_group_kind")
        (self - groups).update(
            {"care_package_event_ids": False, "care_package_message_ids": False}
        )
        if not groups:
            return
        packages = self.env["care.package"].search([("holder_id", "in", groups.ids)])
        events = self.env["calendar.event"].search(
            [("care_package_id", "in", packages.ids)], order="start desc"
        )
        messages = self.env["mail.message"].search(
            [
                ("model", "=", "care.package"),
                ("res_id", "in", packages.ids),
                ("message_type", "=", "comment"),
            ]
        )
        for group in groups:
            held = packages.filtered(lambda p, g=group: p.holder_id == g)
            group.care_package_event_ids = events.filtered(
                lambda e, held=held: e.care_package_id in held
            )
            group.care_package_message_ids = messages.filtered(
                lambda m, held=held: m.res_id in held.ids
            )

    def _care_package_domain(self):
        return ["|", ("holder_id", "=", self.id), ("participant_ids", "in", self.ids)]

    def action_view_care_packages(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "care_network.action_care_package"
        )
        action["domain"] = self._care_package_domain()
        action["context"] = {"default_holder_id": self.id}
        action["display_name"] = self.env._("Packages of %(name)s", name=self.name)
        return action
