from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_datetime

PACKAGE_STATES = [
    ("draft", "Draft"),
    ("active", "Active"),
    ("completed", "Completed"),
    ("cancelled", "Cancelled"),
]
# state -> the states it may move to
PACKAGE_MOVES = {
    "draft": ("active", "cancelled"),
    "active": ("completed", "cancelled"),
    "completed": ("active",),
    "cancelled": ("draft",),
}


class CarePackage(models.Model):
    """A bundle of services delivered to a family, a client organisation or one
    client: its participants, sessions, notes and forms, billed to the holder's
    billing contact."""

    _name = "care.package"
    _description = "Care Package"
    _inherit = ["mail.thread", "mail.activity.mixin", "portal.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    reference = fields.Char(
        readonly=True,
        copy=False,
        index="trigram",
        default=lambda self: self.env._("New"),
    )
    description = fields.Html()
    service_tag_ids = fields.Many2many("care.service.tag", string="Services")
    holder_id = fields.Many2one(
        "res.partner",
        string="Delivered To",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        check_company=True,
        domain="['|', ('care_group_kind', '!=', False), ('is_care_client', '=', True)]",
        help="The family, client organisation or client the package is delivered to.",
    )
    holder_kind = fields.Selection(
        [
            ("family", "Family"),
            ("organization", "Client Organisation"),
            ("client", "Client"),
        ],
        compute="_compute_holder_kind",
        store=True,
    )
    participant_ids = fields.Many2many(
        "res.partner",
        "care_package_participant_rel",
        "package_id",
        "partner_id",
        string="Participants",
        compute="_compute_participant_ids",
        store=True,
        readonly=False,
        help="The holder's current members (or the client) who take part.",
    )
    session_count = fields.Integer(string="Sessions Included", tracking=True)
    price = fields.Monetary(tracking=True)
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    date_start = fields.Date(
        string="Start Date", default=fields.Date.context_today, tracking=True
    )
    date_end = fields.Date(string="End Date", tracking=True)
    state = fields.Selection(
        PACKAGE_STATES, default="draft", required=True, tracking=True, index=True
    )
    user_ids = fields.Many2many(
        "res.users",
        "care_package_user_rel",
        "package_id",
        "user_id",
        string="Assigned Staff",
        compute="_compute_user_ids",
        store=True,
        readonly=False,
        domain=[("share", "=", False)],
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    event_ids = fields.One2many("calendar.event", "care_package_id", string="Sessions")
    slot_ids = fields.One2many(
        "care.package.slot",
        "package_id",
        string="Times to Book",
        help="Open times the participants may book on the portal, and the times "
        "they asked for.",
    )
    slot_request_count = fields.Integer(
        string="Requests Waiting", compute="_compute_slot_request_count"
    )
    sessions_booked = fields.Integer(compute="_compute_sessions")
    sessions_attended = fields.Integer(compute="_compute_sessions")
    sessions_remaining = fields.Integer(compute="_compute_sessions")
    color = fields.Integer()

    # --- computes -----------------------------------------------------------------
    @api.depends("holder_id.care_group_kind")
    def _compute_holder_kind(self):
        for package in self:
            package.holder_kind = package.holder_id.care_group_kind or (
                "client" if package.holder_id else False
            )

    @api.depends("holder_id")
    def _compute_participant_ids(self):
        for package in self:
            holder = package.holder_id
            package.participant_ids = (
                holder.care_member_ids if holder.care_group_kind else holder
            )

    @api.depends("holder_id")
    def _compute_user_ids(self):
        for package in self:
            holder = package.holder_id
            package.user_ids = holder.care_team_user_ids or holder.care_manager_user_ids

    @api.depends(
        "event_ids.start", "event_ids.stop", "event_ids.active", "session_count"
    )
    def _compute_sessions(self):
        # Counted as superuser (a _read_group): calendar masks a private session's
        # package for staff outside it (it would drop out, and be booked past),
        # and reading the sessions as superuser would cache their details.
        saved = self._origin.filtered("id")
        booked, attended = self._care_session_counts(saved), {}
        if saved:
            past = [("stop", "<", fields.Datetime.now())]
            attended = self._care_session_counts(saved, past)
        for package in self:
            if package._origin.id:  # saved, or a saved one being edited
                count = booked.get(package._origin.id, 0)
                package.sessions_attended = attended.get(package._origin.id, 0)
            else:  # a form not saved yet
                count = len(package.event_ids)
                package.sessions_attended = 0
            package.sessions_booked = count
            package.sessions_remaining = package.session_count - count

    @api.model
    def _care_session_counts(self, packages, domain=()):
        """{package id: its sessions (matching ``domain``)}, for everyone."""
        if not packages:
            return {}
        groups = (
            self.env["calendar.event"]
            .sudo()
            ._read_group(
                [("care_package_id", "in", packages.ids), *domain],
                ["care_package_id"],
                ["__count"],
            )
        )
        return {package.id: count for package, count in groups}

    @api.depends("slot_ids.state")
    def _compute_slot_request_count(self):
        for package in self:
            package.slot_request_count = len(
                package.slot_ids.filtered(lambda s: s.state == "requested")
            )

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for package in self:
            package.access_url = f"/my/packages/{package.id}"
        return result

    # --- checks -------------------------------------------------------------------
    @api.constrains("session_count", "price")
    def _check_amounts(self):
        for package in self:
            if package.session_count < 0 or package.price < 0:
                raise ValidationError(
                    self.env._(
                        "The sessions included and the price of %(package)s cannot "
                        "be negative.",
                        package=package.name,
                    )
                )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for package in self:
            if (
                package.date_end
                and package.date_start
                and (package.date_end < package.date_start)
            ):
                raise ValidationError(
                    self.env._(
                        "The package %(package)s cannot end before it starts.",
                        package=package.name,
                    )
                )

    @api.constrains("holder_id", "participant_ids")
    def _check_participants(self):
        for package in self:
            holder = package.holder_id
            if not holder.care_group_kind and not holder.is_care_client:
                raise ValidationError(
                    self.env._(
                        "%(holder)s is neither a family, a client organisation nor a "
                        "client: a package is delivered to one of them.",
                        holder=holder.name,
                    )
                )
            allowed = holder.care_member_ids if holder.care_group_kind else holder
            outsiders = package.participant_ids - allowed
            if outsiders:
                raise ValidationError(
                    self.env._(
                        "%(people)s cannot take part in %(package)s: participants are "
                        "the current members of %(holder)s (or the client themself).",
                        people=", ".join(outsiders.mapped("name")),
                        package=package.name,
                        holder=holder.name,
                    )
                )

    # --- create -------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("reference") or vals["reference"] == self.env._("New"):
                vals["reference"] = self.env["ir.sequence"].next_by_code("care.package")
        packages = super().create(vals_list)
        packages._subscribe_staff()
        return packages

    def write(self, vals):
        result = super().write(vals)
        if "user_ids" in vals or "holder_id" in vals:
            self._subscribe_staff()
        return result

    def _subscribe_staff(self):
        for package in self:
            package.message_subscribe(partner_ids=package.user_ids.partner_id.ids)

    @api.depends("reference", "name")
    def _compute_display_name(self):
        for package in self:
            package.display_name = (
                f"{package.reference}: {package.name}"
                if package.reference and package.name
                else package.name or package.reference
            )

    # --- status -------------------------------------------------------------------
    def _move(self, state):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for package in self:
            if state not in PACKAGE_MOVES[package.state]:
                raise UserError(
                    self.env._(
                        "%(package)s is %(current)s: it cannot become %(state)s.",
                        package=package.display_name,
                        current=labels[package.state].lower(),
                        state=labels[state].lower(),
                    )
                )
        self.write({"state": state})
        return True

    def action_activate(self):
        return self._move("active")

    def action_complete(self):
        return self._move("completed")

    def action_cancel(self):
        return self._move("cancelled")

    def action_reset_to_draft(self):
        return self._move("draft")

    # --- sessions -----------------------------------------------------------------
    def action_book_session(self):
        """The calendar, to book a session with the participants as attendees
        (remove some for a session with one member or a couple)."""
        self.ensure_one()
        if self.state != "active":
            raise UserError(
                self.env._(
                    "Activate %(package)s before booking its sessions.",
                    package=self.display_name,
                )
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "calendar.action_calendar_event"
        )
        action["domain"] = [("care_package_id", "=", self.id)]
        action["context"] = {
            "default_care_package_id": self.id,
            "default_partner_ids": self.participant_ids.ids,
            "default_name": self.name,
            "default_user_id": (self.user_ids[:1] or self.env.user).id,
            "care_extra_session": self.env.context.get("care_extra_session", False),
        }
        action["display_name"] = self.env._("Sessions of %(name)s", name=self.name)
        return action

    def action_view_sessions(self):
        self.ensure_one()
        action = (
            self.action_book_session()
            if self.state == "active"
            else (
                self.env["ir.actions.act_window"]._for_xml_id(
                    "calendar.action_calendar_event"
                )
            )
        )
        action["domain"] = [("care_package_id", "=", self.id)]
        action["view_mode"] = "list,calendar,form"
        action["views"] = [(False, "list"), (False, "calendar"), (False, "form")]
        return action

    def _check_session_room(self, new_sessions):
        """Booking past the sessions included needs the user's confirmation
        (context ``care_extra_session``), and says so in the chatter."""
        self.ensure_one()
        if not self.session_count or self.sessions_booked <= self.session_count:
            return
        if not self.env.context.get("care_extra_session"):
            raise UserError(
                self.env._(
                    "The %(count)s sessions included in %(package)s are all booked: "
                    "use Book an Extra Session to book more.",
                    count=self.session_count,
                    package=self.display_name,
                )
            )
        for event in new_sessions:
            self.message_post(
                body=self.env._(
                    "Session of %(start)s booked beyond the %(count)s included.",
                    start=format_datetime(self.env, event.start),
                    count=self.session_count,
                ),
                subtype_xmlid="mail.mt_note",
            )

    # --- booking on the portal -------------------------------------------------------
    def _lock_for_booking(self):
        # Bookings of one package are counted one after the other. An UPDATE, not
        # SELECT ... FOR UPDATE: under REPEATABLE READ the second booker then gets a
        # serialisation failure (Odoo retries the request, which counts anew)
        # instead of counting the sessions of its older snapshot.
        self.env.cr.execute(
            "UPDATE care_package SET write_date = write_date WHERE id IN %s",
            [tuple(self.ids)],
        )
        self.invalidate_recordset(
            [
                "state",
                "session_count",
                "event_ids",
                "sessions_booked",
                "sessions_remaining",
            ]
        )

    def _booking_closed_reason(self):
        """Why the participants cannot book a session now, or False."""
        self.ensure_one()
        if self.state != "active":
            return self.env._(
                "%(package)s is not active: its sessions cannot be booked now.",
                package=self.name,
            )
        if self.session_count and self.sessions_booked >= self.session_count:
            return self.env._(
                "All the %(count)s sessions included in %(package)s are booked: "
                "nothing more can be booked here. Ask your care team if you need "
                "more sessions.",
                count=self.session_count,
                package=self.name,
            )
        return False

    def _check_booking_open(self, staff=False):
        """Portal bookings stop at the sessions included; staff confirming a
        request go through ``_check_session_room`` (Book an Extra Session)."""
        self.ensure_one()
        reason = self._booking_closed_reason()
        if reason and not (staff and self.state == "active"):
            raise UserError(reason)

    def _request_session_by(self, partner, start, stop, note=False):
        """A time ``partner`` asks for on the portal, for staff to confirm.
        Called with sudo() once the portal checked that the visitor may book."""
        self.ensure_one()
        self._check_booking_open()
        slot = self.env["care.package.slot"].create(
            {
                "package_id": self.id,
                "start": start,
                "stop": stop,
                "state": "requested",
                "requester_id": partner.id,
                "note": note,
            }
        )
        when = format_datetime(self.env, slot.start)
        staff = self.user_ids or self.create_uid.filtered(lambda u: not u.share)
        activities = self.env["mail.activity"]
        for user in staff:
            activities |= self.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=user.id,
                summary=self.env._("Confirm the session asked for %(when)s", when=when),
                note=note or False,
            )
        slot.request_activity_ids = activities
        self._note_to_staff(
            self.env._(
                "%(person)s asked for a session on %(when)s: confirm or decline it "
                "under Times to Book.",
                person=partner.name,
                when=when,
            ),
            author=partner,
        )
        return slot

    def _note_to_staff(self, body, author):
        """A log note on the package that notifies its staff followers."""
        staff = self.message_partner_ids.filtered(
            lambda p: any(not user.share for user in p.user_ids)
        )
        self.message_post(
            body=body,
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            partner_ids=staff.ids,
        )

    def action_view_on_portal(self):
        """The package's portal page, as its participants see it."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": self.get_portal_url(),
            "target": "new",
        }

    # --- shared with the participants ---------------------------------------------
    def _care_shared_notes(self):
        """Messages posted on the package, newest first: as Odoo shows them to
        portal users, never a log note nor a message staff marked internal."""
        self.ensure_one()
        return self.sudo().message_ids.filtered(
            lambda m: (
                m.message_type == "comment"
                and not m.is_internal
                and m.subtype_id
                and not m.subtype_id.internal
            )
        )

    def _care_shared_forms(self):
        """Shared forms sent under the package, completed."""
        self.ensure_one()
        return (
            self.env["survey.user_input"]
            .sudo()
            .search(
                [
                    ("care_package_id", "=", self.id),
                    ("care_shared", "=", True),
                    ("state", "=", "done"),
                ]
            )
        )
