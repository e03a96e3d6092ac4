from odoo import api, fields, models
from odoo.exceptions import ValidationError

MEMBER_FEED_LIMIT = 80  # messages and events shown on a client organisation


class ResPartner(models.Model):
    """Families and client organisations: members from current membership
    relations, primary and billing contacts, assigned staff and the members'
    activity; invoices of a member go to its organisation's billing contact."""

    _inherit = "res.partner"

    care_group_kind = fields.Selection(
        [("family", "Family"), ("organization", "Client Organisation")],
        string="Client Group",
        index=True,
        help="Makes this company a family or client organisation whose members are "
        "served as one account.",
    )
    care_primary_contact_id = fields.Many2one(
        "res.partner",
        string="Primary Contact",
        domain=[("is_company", "=", False)],
    )
    care_billing_contact_id = fields.Many2one(
        "res.partner",
        string="Billing Contact",
        domain=[("is_company", "=", False)],
        help="Invoices for the members whose primary organisation this is go here.",
    )
    care_team_user_ids = fields.Many2many(
        "res.users",
        "care_partner_team_user_rel",
        "partner_id",
        "user_id",
        string="Assigned Staff",
        domain=[("share", "=", False)],
    )
    care_membership_ids = fields.One2many(
        "care.relation",
        "related_partner_id",
        string="Memberships",
        domain=[("category", "=", "membership")],
    )
    care_member_ids = fields.Many2many(
        "res.partner",
        string="Members",
        compute="_compute_care_member_ids",
        help="Partners with a current membership relation to this organisation.",
    )
    care_member_count = fields.Integer(
        string="Member Count", compute="_compute_care_member_ids"
    )
    care_member_message_ids = fields.Many2many(
        "mail.message",
        string="Members' Messages",
        compute="_compute_care_member_activity",
    )
    care_member_activity_ids = fields.Many2many(
        "mail.activity",
        string="Members' Activities",
        compute="_compute_care_member_activity",
    )
    care_member_event_ids = fields.Many2many(
        "calendar.event",
        string="Members' Upcoming Events",
        compute="_compute_care_member_activity",
    )

    @api.depends(
        "is_company",
        "care_membership_ids.partner_id",
        "care_membership_ids.date_start",
        "care_membership_ids.date_end",
    )
    def _compute_care_member_ids(self):
        # Only organisations have members: a person's form reads no relation here.
        people = self.filtered(lambda p: not p.is_company)
        people.care_member_ids = False
        people.care_member_count = 0
        for partner in self - people:
            members = partner.care_membership_ids.filtered("is_current").partner_id
            partner.care_member_ids = members
            partner.care_member_count = len(members)

    def _compute_care_member_activity(self):
        """Each organisation's members' latest messages, open activities and
        upcoming events, read in one query per kind for all the organisations
        (each shows up to MEMBER_FEED_LIMIT of each kind)."""
        groups = self.filtered("care_member_ids")
        (self - groups).update(
            {
                "care_member_message_ids": False,
                "care_member_activity_ids": False,
                "care_member_event_ids": False,
            }
        )
        if not groups:
            return
        members = groups.care_member_ids
        limit = MEMBER_FEED_LIMIT * len(groups)
        messages = self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "in", members.ids),
                ("message_type", "in", ("comment", "email")),
            ],
            limit=limit,
        )
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "in", members.ids)]
        )
        events = self.env["calendar.event"].search(
            [("partner_ids", "in", members.ids), ("stop", ">=", fields.Datetime.now())],
            limit=limit,
        )
        for group in groups:
            ids = set(group.care_member_ids.ids)
            group.care_member_message_ids = messages.filtered(
                lambda message, ids=ids: message.res_id in ids
            )[:MEMBER_FEED_LIMIT]
            group.care_member_activity_ids = activities.filtered(
                lambda activity, ids=ids: activity.res_id in ids
            )
            group.care_member_event_ids = events.filtered(
                lambda event, ids=ids: ids.intersection(event.partner_ids.ids)
            )[:MEMBER_FEED_LIMIT]

    @api.constrains("care_primary_contact_id", "care_billing_contact_id")
    def _check_care_group_contacts(self):
        for partner in self:
            for contact in (
                partner.care_primary_contact_id,
                partner.care_billing_contact_id,
            ):
                if contact.is_company:
                    raise ValidationError(
                        self.env._(
                            "The primary and billing contacts of %(group)s must be "
                            "persons; %(contact)s is a company.",
                            group=partner.name,
                            contact=contact.name,
                        )
                    )

    def _care_billing_partner(self):
        """Who is billed for this partner, in this order: a family or client
        organisation, its billing contact; a client, their current Payer
        relation marked as payer of record, else their own current Billing
        Contact relation, else the billing contact of their primary
        organisation. False when none applies (Odoo's own address then)."""
        self.ensure_one()
        if self.is_company and self.care_billing_contact_id:
            return self.care_billing_contact_id
        relations = self.care_relation_ids.filtered("is_current")
        payer = relations.filtered("is_payer_of_record")[:1]
        if payer:
            return payer.related_partner_id
        own = relations.filtered(
            lambda r: (
                r.type_id == self.env.ref("care_network.relation_type_billing_contact")
            )
        )[:1]
        if own:
            return own.related_partner_id
        primary = relations.filtered(
            lambda r: r.category == "membership" and r.is_primary
        )[:1]
        return primary.related_partner_id.care_billing_contact_id

    def address_get(self, adr_pref=None):
        result = super().address_get(adr_pref)
        if len(self) == 1 and "invoice" in (adr_pref or []):
            billing = self.sudo()._care_billing_partner()
            if billing:
                result["invoice"] = billing.id
        return result

    def _care_subscribe_team(self):
        for partner in self:
            partner.message_subscribe(
                partner_ids=partner.care_team_user_ids.partner_id.ids
            )

    def action_open_care_group(self):
        """The family or client organisation in its own form: members, billing
        contact, the members' activity."""
        self.ensure_one()
        form = self.env.ref("care_network.res_partner_view_form_care_group")
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": "res.partner",
            "res_id": self.id,
            "view_mode": "form",
            "views": [(form.id, "form")],
            "target": "current",
        }

    def action_view_care_member_messages(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Messages of the members of %(name)s", name=self.name),
            "res_model": "mail.message",
            "view_mode": "list,form",
            "domain": [
                ("model", "=", "res.partner"),
                ("res_id", "in", self.care_member_ids.ids),
            ],
        }

    def action_view_care_member_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "calendar.action_calendar_event"
        )
        action["domain"] = [("partner_ids", "in", self.care_member_ids.ids)]
        action["context"] = {"default_partner_ids": self.care_member_ids.ids}
        return action
