from odoo import api, fields, models


class CalendarEvent(models.Model):
    """A session of a care package; a joint session of linked clients."""

    _inherit = "calendar.event"

    care_package_id = fields.Many2one(
        "care.package",
        index="btree_not_null",
        ondelete="set null",
    )
    care_client_ids = fields.Many2many(
        "res.partner",
        string="Clients in the Session",
        compute="_compute_care_clients",
        help="The attending clients who are linked in each other's circle of care.",
    )
    care_joint_session = fields.Boolean(
        string="Joint Session",
        compute="_compute_care_clients",
        search="_search_care_joint_session",
        help="Two or more of the attending clients are linked in each other's "
        "circle of care (a couple, a family, a group).",
    )

    @api.model_create_multi
    def create(self, vals_list):
        events = super().create(vals_list)
        events._care_check_package_sessions()
        return events

    def write(self, vals):
        result = super().write(vals)
        if vals.get("care_package_id"):
            self._care_check_package_sessions()
        return result

    def _care_check_package_sessions(self):
        for package in self.care_package_id:
            package._check_session_room(
                self.filtered(lambda e, p=package: e.care_package_id == p)
            )

    @api.depends("attendee_ids.partner_id", "attendee_ids.state")
    def _compute_care_clients(self):
        linked = self.sudo()._care_linked_clients()
        for event in self:
            clients = linked.get(event.id, self.env["res.partner"])
            event.care_joint_session = bool(clients)
            # Only the clients this user may read: the flag says a session is
            # joint, never who else is in it.
            event.care_client_ids = (
                clients.sudo(False).with_env(self.env)._filtered_access("read")
            )

    def _care_linked_clients(self):
        """{event id: the attending clients linked to another attending client
        by a current relation (either way)}, for the joint sessions only."""
        Partner = self.env["res.partner"]
        attending = {
            event.id: event.attendee_ids.filtered(
                lambda a: a.state != "declined" and a.partner_id.is_care_client
            ).partner_id
            for event in self
        }
        clients = Partner.concat(*attending.values())
        if len(clients) < 2:
            return {}
        relations = self.env["care.relation"].search(
            [
                ("is_current", "=", True),
                ("partner_id", "in", clients.ids),
                ("related_partner_id", "in", clients.ids),
            ]
        )
        links = {(r.partner_id.id, r.related_partner_id.id) for r in relations}
        result = {}
        for event_id, partners in attending.items():
            joint = partners.filtered(
                lambda p, ps=partners: any(
                    (p.id, o.id) in links or (o.id, p.id) in links for o in ps if o != p
                )
            )
            if joint:
                result[event_id] = joint
        return result

    def _care_details_hidden_from(self, partner):
        """The events whose details (title, place, video link, who is in it)
        Odoo's privacy keeps from ``partner``, who neither organises nor attends
        them: the private ones, as calendar decides for the partner's login (a
        visitor's without one), and those for internal users only, unless the
        partner logs in as one. Their time is not hidden."""
        user = (
            partner.user_ids.filtered(lambda u: not u.share)[:1]
            or partner.user_ids[:1]
            or self.env.ref("base.public_user")
        )
        # Superuser only lets calendar's test read the organiser and attendees,
        # whatever the user's rules; it decides as ``user``.
        events = self.with_user(user).sudo()
        hidden = events.filtered(
            lambda event: (
                partner not in event.partner_ids
                and event.user_id.partner_id != partner
                and (
                    event._check_private_event_conditions()
                    or (user.share and event._care_privacy() == "confidential")
                )
            )
        )
        return self.browse(hidden.ids)

    def _care_privacy(self):
        """The event's privacy, or its organiser's default (as calendar does)."""
        self.ensure_one()
        return self.privacy or self.sudo().user_id.calendar_default_privacy

    def _search_care_joint_session(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        relations = (
            self.env["care.relation"]
            .sudo()
            .search(
                [
                    ("is_current", "=", True),
                    ("partner_id.is_care_client", "=", True),
                    ("related_partner_id.is_care_client", "=", True),
                ]
            )
        )
        candidates = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("partner_ids", "in", relations.partner_id.ids),
                    ("partner_ids", "in", relations.related_partner_id.ids),
                ]
            )
        )
        joint_ids = list(candidates._care_linked_clients())
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", joint_ids)]


class CalendarAttendee(models.Model):
    """Who came: staff mark each client's attendance on the session."""

    _inherit = "calendar.attendee"

    care_attended = fields.Boolean(
        string="Attended",
        groups="care_network.group_care_user",
        help="Set by staff after the session: this attendee came.",
    )

    def _send_mail_to_attendees(self, mail_template, force_send=False):
        """Odoo's e-mail alarm to a client is the addon's reminder: one template
        for the client and the circle of care, recorded like theirs."""
        alarm_template = self.env.ref(
            "calendar.calendar_template_meeting_reminder", raise_if_not_found=False
        )
        if (
            not alarm_template
            or mail_template != alarm_template
            or self.env.context.get("no_mail_to_attendees")
            or self.env["ir.config_parameter"].sudo().get_param("calendar.block_mail")
        ):
            return super()._send_mail_to_attendees(mail_template, force_send)
        clients = self.filtered(
            lambda a: a.partner_id.is_care_client and a.partner_id.email
        )
        self.env["care.reminder"]._send_client_reminders(clients)
        return super(CalendarAttendee, self - clients)._send_mail_to_attendees(
            mail_template, force_send
        )
