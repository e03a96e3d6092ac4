from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_datetime

PROTECTED_FIELDS = {"state", "requester_id", "event_id", "request_activity_ids"}
SLOT_STATES = [
    ("open", "Open"),
    ("requested", "Requested"),
    ("booked", "Booked"),
    ("declined", "Declined"),
    ("cancelled", "Cancelled"),
]


class CarePackageSlot(models.Model):
    """A time for a session of a package: published open by staff for the
    participants to book on the portal, or asked for by one of them for staff to
    confirm. Booked, it is the package's calendar event."""

    _name = "care.package.slot"
    _description = "Care Package Slot"
    _order = "start, id"
    _check_company_auto = True

    package_id = fields.Many2one(
        "care.package",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="package_id.company_id", store=True, index=True, precompute=True
    )
    start = fields.Datetime(string="Starts", required=True)
    stop = fields.Datetime(string="Ends", required=True)
    state = fields.Selection(
        SLOT_STATES,
        string="Status",
        default="open",
        required=True,
        index=True,
        readonly=True,
    )
    requester_id = fields.Many2one(
        "res.partner",
        string="Asked By",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="Who booked this time or asked for it on the portal.",
    )
    note = fields.Char(help="What the person who asked for this time added.")
    event_id = fields.Many2one(
        "calendar.event", string="Session", readonly=True, ondelete="set null"
    )
    request_activity_ids = fields.Many2many(
        "mail.activity", string="Request Activities", readonly=True, copy=False
    )

    @api.depends("package_id", "start")
    def _compute_display_name(self):
        for slot in self:
            slot.display_name = self.env._(
                "%(package)s, %(start)s",
                package=slot.package_id.name or "",
                start=format_datetime(self.env, slot.start) if slot.start else "",
            )

    @api.constrains("start", "stop", "state")
    def _check_times(self):
        now = fields.Datetime.now()
        for slot in self:
            if slot.stop <= slot.start:
                raise ValidationError(
                    self.env._("A slot ends after it starts: check its times.")
                )
            if slot.state in ("open", "requested") and slot.start < now:
                raise ValidationError(
                    self.env._(
                        "%(start)s has passed: only a time to come can be booked.",
                        start=format_datetime(self.env, slot.start),
                    )
                )

    # What only the booking and the staff's answers set (with sudo(), after their
    # checks): written over RPC they would book, or close anyone's activities.
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._check_no_protected_values(vals)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._check_no_protected_values(vals)
        return super().write(vals)

    @api.model
    def _check_no_protected_values(self, vals):
        protected = PROTECTED_FIELDS & set(vals)
        if protected - {"state"} or vals.get("state", "open") != "open":
            raise UserError(
                self.env._(
                    "A time to book is booked, asked for, confirmed or declined "
                    "with its buttons, not by editing it."
                )
            )

    # --- booking ------------------------------------------------------------------
    def _lock_for_booking(self):
        # A row lock: two people booking the same slot wait for each other.
        self.env.cr.execute(
            "SELECT id FROM care_package_slot WHERE id IN %s FOR UPDATE",
            [tuple(self.ids)],
        )
        self.invalidate_recordset(["state", "event_id"])

    def _book_by(self, partner):
        """Book this open slot for the package's participants, as ``partner``
        asked on the portal. Called with sudo() once the portal checked that the
        visitor may book (``care.package._check_booker``)."""
        self.ensure_one()
        package = self.package_id
        package._lock_for_booking()
        self._lock_for_booking()
        if self.state != "open":
            raise UserError(
                self.env._(
                    "The time %(slot)s is no longer open: someone booked it just "
                    "before you. Choose another one.",
                    slot=self.display_name,
                )
            )
        package._check_booking_open()
        self._check_times()
        event = self.with_context(care_extra_session=False)._create_session()
        self.write(
            {"state": "booked", "requester_id": partner.id, "event_id": event.id}
        )
        package._note_to_staff(
            self.env._(
                "%(person)s booked the session of %(start)s on the portal.",
                person=partner.name,
                start=format_datetime(self.env, self.start),
            ),
            author=partner,
        )
        return event

    def _create_session(self):
        package = self.package_id
        return self.env["calendar.event"].create(
            {
                "name": package.name,
                "care_package_id": package.id,
                "start": self.start,
                "stop": self.stop,
                "partner_ids": [fields.Command.set(package.participant_ids.ids)],
                "user_id": package.user_ids[:1].id or False,
            }
        )

    # --- staff answer the requests ----------------------------------------------------
    def action_confirm(self):
        """Staff book the times participants asked for (the same checks as any
        booking: the sessions included, the package active)."""
        self.check_access("write")
        self._lock_for_booking()
        for slot in self:
            slot._check_requested()
            slot.package_id._check_booking_open(staff=True)
            event = slot._create_session()
            slot.sudo().write({"state": "booked", "event_id": event.id})
            slot._close_request(
                self.env._(
                    "Session of %(start)s confirmed for %(person)s.",
                    start=format_datetime(self.env, slot.start),
                    person=slot.requester_id.name or "",
                )
            )
        return True

    def action_decline(self):
        self.check_access("write")
        self._lock_for_booking()
        for slot in self:
            slot._check_requested()
            slot.sudo().state = "declined"
            slot._close_request(
                self.env._(
                    "The time %(start)s asked for by %(person)s is declined.",
                    start=format_datetime(self.env, slot.start),
                    person=slot.requester_id.name or "",
                )
            )
        return True

    def action_cancel(self):
        """Withdraw open times nobody booked."""
        self.check_access("write")
        if self.filtered(lambda s: s.state != "open"):
            raise UserError(self.env._("Only an open time can be withdrawn."))
        self.sudo().write({"state": "cancelled"})
        return True

    def _check_requested(self):
        if self.state != "requested":
            raise UserError(
                self.env._(
                    "%(slot)s is not a request waiting for an answer.",
                    slot=self.display_name,
                )
            )

    def _close_request(self, message):
        package = self.package_id
        activities = (
            self.sudo()
            .request_activity_ids.exists()
            .filtered(lambda a: a.res_model == package._name and a.res_id == package.id)
        )
        if activities:
            activities.action_feedback(feedback=message)
        else:
            self.package_id.message_post(body=message, subtype_xmlid="mail.mt_note")

    @api.model
    def _check_bookable_by_user(self, package):
        """Raise AccessError unless the current user may book for ``package``.

        The slots' record rule decides, as the ORM decides for saved records
        (``_check_access``): a slot of the package asked by the user, not saved,
        is filtered with the rule's domain for the user."""
        if self.env.su:
            return
        self.browse().check_access("read")
        domain = self.env["ir.rule"]._compute_domain(self._name, "read")
        probe = (
            self.sudo()
            .with_context(tracking_disable=True)
            .new(
                {
                    "package_id": package.id,
                    "state": "requested",
                    "requester_id": self.env.user.partner_id.id,
                }
            )
        )
        if domain and not probe.filtered_domain(domain):
            raise AccessError(
                self.env._("You may not book the sessions of this package.")
            )
