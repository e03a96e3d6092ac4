from collections import defaultdict

from odoo import api, fields, models
from odoo.tools.translate import LazyTranslate

from ..uninstall_flag import uninstalling

# Calendar's own word for a private event's name, in calendar's translations.
_calendar_lt = LazyTranslate("calendar")


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

    @api.ondelete(at_uninstall=True)
    def _unlink_care_reminders(self):
        """Through the ORM, not the column's cascade: the reminders' kept
        copies go with them (care.reminder)."""
        if uninstalling(self.env):
            return
        self.env["care.reminder"].sudo().search([("event_id", "in", self.ids)]).unlink()

    def _care_check_package_sessions(self):
        for package in self.care_package_id:
            package._check_session_room(
                self.filtered(lambda e, p=package: e.care_package_id == p)
            )

    @api.depends(
        "attendee_ids.partner_id",
        "attendee_ids.state",
        "privacy",
        "user_id.calendar_default_privacy",
        "partner_ids",
    )
    @api.depends_context("uid")
    def _compute_care_clients(self):
        linked = self.sudo()._care_linked_clients()
        private = self.browse()
        if not self.env.su:
            private = self._care_details_hidden_from(self.env.user)
        for event in self:
            clients = linked.get(event.id, self.env["res.partner"])
            event.care_joint_session = bool(clients)
            # Only the clients this user may read, of a session whose attendees
            # they may see: the flag says a session is joint, never who is in it.
            event.care_client_ids = (
                clients.sudo(False).with_env(self.env)._filtered_access("read")
                if event not in private
                else False
            )

    def _care_linked_clients(self):
        """{event id: the attending clients linked to another attending client
        by a current relation (either way)}, for the joint sessions only."""
        Partner = self.env["res.partner"]
        # From the attendees' side: reading the events' attendee_ids would
        # cache them for every user, past calendar's privacy.
        saved = self.filtered(lambda event: isinstance(event.id, int))
        attendees = self.env["calendar.attendee"].search_fetch(
            [
                ("event_id", "in", saved.ids),
                ("state", "!=", "declined"),
                ("partner_id.is_care_client", "=", True),
            ],
            ["event_id", "partner_id"],
        )
        attending = defaultdict(Partner.browse)
        for attendee in attendees:
            attending[attendee.event_id.id] |= attendee.partner_id
        for event in self - saved:  # a form being edited: its rows in memory
            attending[event.id] = event.attendee_ids.filtered(
                lambda a: a.state != "declined" and a.partner_id.is_care_client
            ).partner_id
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

    # Calendar names an event for its reader (the "Busy" of a private one):
    # the name is cached per user, not shared by whoever reads next.
    @api.depends("privacy", "user_id.calendar_default_privacy", "partner_ids")
    @api.depends_context("uid")
    def _compute_display_name(self):
        # A many2one's display name is computed as superuser: calendar's own
        # test would then fetch every column of the events, unmasked, into the
        # cache the reader reads next. The private ones are named without it.
        if not self.env.su:
            return super()._compute_display_name()
        hidden = self._care_details_hidden_from(self.env.user)
        hidden.display_name = self.env._(_calendar_lt("Busy"))
        shown = self - hidden
        return super(
            CalendarEvent, shown.with_prefetch(shown._ids)
        )._compute_display_name()

    def _care_details_hidden_from_any(self, users):
        """The events whose details Odoo's privacy keeps from any of ``users``."""
        hidden = self.browse()
        for user in users:
            hidden |= self._care_details_hidden_from(user)
        return hidden

    def _care_details_hidden_from(self, user, partner=None):
        """The events whose details (title, place, video link, who is in it)
        Odoo's privacy keeps from ``user`` (or, for a member without a login,
        ``partner``), who neither organises nor attends them: those calendar
        masks for them, and for an outside user those for internal users only.
        Their time is not hidden. Calendar's _check_private_event_conditions as
        a search (a test holds the two together): reading the events as
        superuser would put their private fields in the cache every user reads
        from."""
        Event = self.sudo().with_context(active_test=False)
        ids = [id_ for id_ in self.ids if isinstance(id_, int)]
        privacies = ["private", "confidential"] if user.sudo().share else ["private"]
        domain = [
            ("id", "in", ids),
            ("partner_ids", "not in", (partner or user.sudo().partner_id).ids),
            ("user_id", "!=", user.id),
            *Event._care_privacy_domain(ids, privacies),
        ]
        if partner and partner != user.sudo().partner_id:
            domain.append(("user_id", "not any", [("partner_id", "=", partner.id)]))
        return self.browse(Event.search(domain).ids)

    @api.model
    def _care_privacy_domain(self, ids, privacies):
        """The events among ``ids`` of one of ``privacies``: their own, or
        their organiser's default as calendar reads it (the user's settings,
        else the default user template's). Called as superuser."""
        organisers = self.env["res.users"].browse(
            user.id
            for [user] in self._read_group([("id", "in", ids)], ["user_id"])
            if user
        )
        by_default = organisers.filtered(
            lambda u: u.calendar_default_privacy in privacies
        )
        return [
            "|",
            ("privacy", "in", privacies),
            "&",
            ("privacy", "=", False),
            ("user_id", "in", by_default.ids),
        ]

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
