from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_datetime

from ..uninstall_flag import uninstalling
from .care_relation_reminder import MAX_LEAD_HOURS

# Reminders sent per cron call: Odoo commits after each call and calls again
# (up to 10 times a run) while some remain.
BATCH_SIZE = 200
RUN_LOCK_KEY = 0x63617265  # "care": the advisory lock of the reminder runs
EMAIL_QUEUE = "care.reminder.emails"  # the transaction's reminders to e-mail
MESSAGE_EXPRESSIONS = (
    "object.member_id.name",
    "object.care_headline",
    "object.care_details",
    "object.care_how_to_change",
    "object.care_why",
)


class CareReminder(models.Model):
    """One appointment reminder sent to one circle member for one event time.

    The row is the proof that the reminder went: the cron sends only for
    (event, member, event start) triples that have no row yet, so running it twice
    sends nothing new and an event moved to another time is reminded again.
    """

    _name = "care.reminder"
    _description = "Care Appointment Reminder"
    _order = "id desc"

    event_id = fields.Many2one(
        "calendar.event", required=True, index=True, ondelete="cascade", readonly=True
    )
    event_start = fields.Datetime(required=True, readonly=True)
    member_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade", readonly=True
    )
    client_ids = fields.Many2many("res.partner", string="Clients", readonly=True)
    relation_ids = fields.Many2many("care.relation", string="Relations", readonly=True)
    event_time = fields.Char(
        readonly=True,
        help="The event's time in the client's time zone, in the member's language.",
    )
    # What the reminder says, in the member's language: the template reads
    # these as plain field paths, which Odoo renders without compiling QWeb for
    # each reminder (the cron's largest cost after batching).
    care_headline = fields.Html(
        string="Headline",
        compute="_compute_care_message",
        sanitize=False,
        # Rendered by the reminder e-mails as superuser; they name people
        # and places of the event, whatever the reader's rights.
        groups="base.group_system",
    )
    care_details = fields.Html(
        string="Details",
        compute="_compute_care_message",
        sanitize=False,
        groups="base.group_system",
    )
    care_how_to_change = fields.Html(
        string="How to Cancel or Reschedule",
        compute="_compute_care_message",
        sanitize=False,
        groups="base.group_system",
    )
    care_why = fields.Html(
        string="Why This Reminder",
        compute="_compute_care_message",
        sanitize=False,
        groups="base.group_system",
    )
    care_details_hidden = fields.Boolean(
        string="Details Hidden",
        compute="_compute_care_details_hidden",
        help="The appointment is private: its member may know its time, not its "
        "title, place or attendees.",
    )
    sent_email = fields.Boolean(string="E-mail Sent", readonly=True)
    sent_sms = fields.Boolean(string="SMS Queued", readonly=True)
    # The queued SMS (Odoo's sms.sms, when the sms app is installed): erasing
    # the client blanks it, as it does the e-mail's copies.
    sms_uuid = fields.Char(string="SMS Reference", readonly=True, copy=False)

    _sql_constraints = [
        (
            "once_per_event_time_member",
            "unique(event_id, event_start, member_id)",
            "A member is reminded once per event time.",
        )
    ]

    @api.ondelete(at_uninstall=True)
    def _unlink_kept_copies(self):
        """A deleted reminder's copies go with it: its kept e-mail (the message
        and its mail.mail, sent or not) and its SMS in Odoo's queue name the
        client, the appointment and its place."""
        if uninstalling(self.env):
            return
        self.env["mail.message"].sudo().search(
            [("model", "=", self._name), ("res_id", "in", self.ids)]
        ).unlink()
        uuids = [uuid for uuid in self.sudo().mapped("sms_uuid") if uuid]
        if uuids and self._sms_available():
            self.env["sms.sms"].sudo().search([("uuid", "in", uuids)]).unlink()

    @api.depends("member_id", "event_id", "event_start")
    @api.depends_context("uid")
    def _compute_display_name(self):
        # Named as the member knows it, and as calendar shows it to the reader.
        hidden = self.event_id.browse()
        if not self.env.su:
            hidden = self.event_id._care_details_hidden_from(self.env.user)
        for reminder in self:
            reminder.display_name = self.env._(
                "%(event)s for %(member)s",
                event=reminder._care_event_title(hidden, self.env) or "",
                member=reminder.member_id.name or "",
            )

    @api.model
    def _care_drop_merge_conflicts(self, src_partners, dst_partner):
        """Before contacts are merged: the merged partners' rows for event times
        the kept partner was already reminded of."""
        kept = self.search([("member_id", "=", dst_partner.id)])
        sent = {(r.event_id.id, r.event_start) for r in kept}
        self.search([("member_id", "in", src_partners.ids)]).filtered(
            lambda r: (r.event_id.id, r.event_start) in sent
        ).unlink()

    # --- the cron -----------------------------------------------------------------
    @api.model
    def _cron_send_due_reminders(self, batch_size=BATCH_SIZE):
        """Send the reminders that are due now and were not sent yet, a batch at a
        time: Odoo's cron commits each batch (a crash loses at most one, and sends
        nothing again) and calls again while some remain."""
        if not self._lock_run():
            return 0  # another run is sending them
        now = fields.Datetime.now()
        due = list(self._due_reminders(now).items())
        batch, rest = due[:batch_size], due[batch_size:]
        for (event, member), channels in batch:
            self._send_reminder(event, member, channels)
        self._flush_emails()
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=len(rest))
        return len(batch)

    @api.model
    def _due_reminders(self, now):
        """{(event, member): {channel: relations}} of the reminders due at ``now``:
        each channel (e-mail, SMS) has its own lead time, and is due only where
        the member can receive it."""
        Relation = self.env["care.relation"]
        relations = Relation.sudo().search(
            [
                ("reminder_opt_in", "=", True),
                ("is_current", "=", True),
                ("partner_id.care_contact_preference", "!=", "none"),
            ]
        )
        if not relations:
            return {}
        # Filtered in Python: a domain on partner_ids gave plans quadratic in
        # the clients (readme/DEVELOP.md, reminder cron throughput).
        clients = set(relations.partner_id.ids)

        def has_client(event):  # archived clients too, as the relations have them
            attendees = event.with_context(active_test=False).partner_ids
            return not clients.isdisjoint(attendees.ids)

        events = (
            self.env["calendar.event"]
            .sudo()
            .search(
                [
                    ("start", ">", now),
                    ("start", "<=", now + timedelta(hours=MAX_LEAD_HOURS)),
                ]
            )
            .filtered(has_client)
        )
        sent = self._already_sent(events)
        sms_on = self._sms_available()
        by_client = relations.grouped("partner_id")
        due = defaultdict(lambda: defaultdict(Relation.browse))
        for event in events:
            attending = event.attendee_ids.filtered(
                lambda a: a.state != "declined"
            ).partner_id
            # With the prefetch of all relations: one query per field for the
            # run, not one per event (29% of the cron's time before).
            for relation in Relation.concat(
                *(by_client.get(client, Relation) for client in attending)
            ).with_prefetch(relations._prefetch_ids):
                member = relation.related_partner_id
                if member == relation.partner_id:
                    continue
                done = sent.get((event.id, event.start, member.id), ())
                for channel in relation._reminder_channels(sms_on):
                    lead = timedelta(hours=relation._reminder_lead_hours(channel))
                    if channel not in done and event.start - lead <= now:
                        due[event, member][channel] |= relation
        return due

    @api.model
    def _already_sent(self, events):
        """{(event id, start, member id): the channels already sent}."""
        # search_fetch: search_read would also compute each event's and
        # member's display_name.
        rows = self.sudo().search_fetch(
            [("event_id", "in", events.ids)],
            ["event_id", "event_start", "member_id", "sent_email", "sent_sms"],
        )
        return {
            (row.event_id.id, row.event_start, row.member_id.id): {
                channel
                for channel, done in (("email", row.sent_email), ("sms", row.sent_sms))
                if done
            }
            for row in rows
        }

    @api.model
    def _send_reminder(self, event, member, channels):
        """Record what is due on each channel on the row of this event time and
        member (created by the first channel sent), queue the e-mail and the
        SMS."""
        relations = self.env["care.relation"].concat(*channels.values())
        reminder = self._record_reminder(
            event, member, relations.partner_id, channels, relations
        )
        if "email" in channels:
            reminder._send_email()
        if "sms" in channels:
            reminder._queue_sms(channels["sms"][:1]._reminder_sms_number())
        return reminder

    @api.model
    def _send_client_reminders(self, attendees):
        """The clients' own reminders (Odoo's e-mail alarm on the event), from
        the circle's template: once per event time, and none to a client who
        was already e-mailed about it as a member of another client's circle."""
        sent = self._already_sent(attendees.event_id)
        for attendee in attendees:
            event, client = attendee.event_id, attendee.partner_id
            if "email" not in sent.get((event.id, event.start, client.id), ()):
                self._record_reminder(event, client, client, ["email"])._send_email()
        return self._flush_emails()

    @api.model
    def _record_reminder(self, event, member, clients, channels, relations=None):
        """The row of this event time and member, with ``channels`` marked sent."""
        values = {
            "client_ids": [fields.Command.link(c.id) for c in clients],
            **{f"sent_{channel}": True for channel in channels},
        }
        if relations:
            values["relation_ids"] = [fields.Command.link(r.id) for r in relations]
        reminder = self.sudo().search(
            [
                ("event_id", "=", event.id),
                ("event_start", "=", event.start),
                ("member_id", "=", member.id),
            ],
            limit=1,
        )
        if reminder:
            reminder.write(values)
            return reminder
        return self.sudo().create(
            {
                "event_id": event.id,
                "event_start": event.start,
                "member_id": member.id,
                "event_time": self._format_event_time(event, member, clients),
                **values,
            }
        )

    @api.model
    def _lock_run(self):
        """Whether this run may send: two runs at once (two cron workers, a manual
        run) would find the same reminders due, so the second steps aside. A lock
        for the transaction, taken first, so that a run that gets it sees what the
        previous one committed; the unique (event, time, member) stays the safety
        net. SQL because the ORM has no advisory lock."""
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s)", [RUN_LOCK_KEY])
        return self.env.cr.fetchone()[0]

    @api.model
    def _event_tz(self, event, member, clients):
        """The client's time zone: the appointment is where the client is. Then
        the member's, the organiser's, the practice's; UTC when none is set."""
        return (
            next((tz for tz in clients.mapped("tz") if tz), False)
            or member.tz
            or event.user_id.tz
            or (event.user_id.company_id or self.env.company).partner_id.tz
            or "UTC"
        )

    @api.model
    def _format_event_time(self, event, member, clients=None):
        """The event's date and time in the client's time zone (named), in the
        member's language."""
        tz = self._event_tz(event, member, clients or self.env["res.partner"])
        lang = member.lang or self.env.lang
        if event.allday:
            return format_datetime(
                self.env,
                event.start,
                tz="UTC",
                dt_format="EEEE d MMMM y",
                lang_code=lang,
            )
        return format_datetime(
            self.env,
            event.start,
            tz=tz,
            dt_format="EEEE d MMMM y, HH:mm zzzz",
            lang_code=lang,
        )

    @api.model
    def _sms_available(self):
        """SMS goes through Odoo's sms addon, when it is installed."""
        return "sms.sms" in self.env

    def _send_email(self):
        """Queue these reminders' e-mails for the transaction: they are rendered
        together (``_flush_emails``) before it commits. Per reminder, send_mail
        was most of the cron's time (readme/DEVELOP.md, Scale out)."""
        queue = self.env.cr.precommit.data.setdefault(EMAIL_QUEUE, [])
        if not queue:
            self.env.cr.precommit.add(self.env["care.reminder"]._flush_emails)
        queue.extend(self.ids)

    @api.model
    def _flush_emails(self):
        """One mail per queued reminder, to its member, rendered all at once."""
        reminders = (
            self.sudo().browse(self.env.cr.precommit.data.pop(EMAIL_QUEUE, [])).exists()
        )
        if not reminders:
            return self.env["mail.mail"]
        template = self.env.ref("care_network.mail_template_circle_reminder")
        mails = template.sudo().send_mail_batch(
            reminders.ids,
            email_layout_xmlid="mail.mail_notification_light",
            # A message to its member: what it says of the appointment is what
            # the member may know, so staff who may read the reminder row do
            # not read its copy in mail.message (Odoo's own kind for that).
            email_values={"message_type": "user_notification"},
        )
        # A template edited before it named its recipient (partner_to).
        members = {reminder.id: reminder.member_id for reminder in reminders}
        for mail in mails.filtered(lambda m: not m.recipient_ids and not m.email_to):
            mail.recipient_ids = members[mail.res_id]
        self.env.flush_all()  # also called from a precommit hook, after the flush
        return mails

    # --- what the reminder says (one template for the client and the circle) ----
    def _care_is_own(self):
        """The client's own reminder (to the client), not a circle member's."""
        self.ensure_one()
        return self.member_id in self.client_ids

    def _care_reminder_subject(self):
        self.ensure_one()
        env = self._care_member_env()
        if self._care_is_own():
            return env._(
                "Reminder of your appointment: %(event)s",
                event=self._care_event_title(),
            )
        return env._(
            "Reminder of %(clients)s's appointment: %(event)s",
            clients=self._care_client_names(),
            event=self._care_event_title(),
        )

    def _care_member_env(self):
        return self.with_context(lang=self.member_id.lang or self.env.lang).env

    def _care_client_names(self):
        return ", ".join(sorted((self.client_ids - self.member_id).mapped("name")))

    def mail_allowed_qweb_expressions(self):
        # The reminder template's paths: rendered without QWeb, for everyone.
        return (*super().mail_allowed_qweb_expressions(), *MESSAGE_EXPRESSIONS)

    def _compute_care_message(self):
        for reminder in self:
            reminder.update(reminder._care_message())

    def _care_message(self):
        """The reminder's paragraphs (HTML, the values escaped), in the
        member's language: the same facts as the SMS."""
        self.ensure_one()
        env = self._care_member_env()
        facts = self._care_reminder_facts()

        def html(text, **values):
            return Markup(text) % {k: v or "" for k, v in values.items()}

        if facts["own"]:
            headline = html(env._("A reminder of your appointment:"))
        else:
            headline = html(
                env._("A reminder of %(clients)s's appointment:"),
                clients=html("<strong>%(c)s</strong>", c=facts["clients"]),
            )
        lines = [
            html("<strong>%(name)s</strong>", name=facts["title"]),
            html(env._("When: %(time)s"), time=self.event_time),
        ]
        if facts["place"]:
            lines.append(html(env._("Where: %(place)s"), place=facts["place"]))
        if facts["videocall"]:
            link = html('<a href="%(u)s">%(u)s</a>', u=facts["videocall"])
            lines.append(html(env._("Video call: %(link)s"), link=link))
        if facts["with_whom"]:
            lines.append(html(env._("With: %(names)s"), names=facts["with_whom"]))
        how_to_change = facts["contact"] and html(
            env._("To cancel or reschedule, contact %(company)s: %(contact)s."),
            company=facts["company"],
            contact=facts["contact"],
        )
        why = not facts["own"] and env._(
            "You receive this reminder because you asked for them. "
            "Tell us if you no longer want them."
        )
        paragraph = Markup("<p>%s</p>")
        return {
            "care_headline": paragraph % headline,
            "care_details": Markup("<ul>%s</ul>")
            % Markup("").join(Markup("<li>%s</li>") % line for line in lines),
            "care_how_to_change": paragraph % how_to_change if how_to_change else "",
            "care_why": paragraph % why if why else "",
        }

    def _care_reminder_facts(self):
        """The facts both the client's and a member's reminder give (e-mail and
        SMS): where, with whom, how to cancel or reschedule."""
        self.ensure_one()
        event = self.event_id.sudo()
        company = event.user_id.company_id or self.env.company
        hidden = self.care_details_hidden
        return {
            "own": self._care_is_own(),
            "clients": self._care_client_names(),
            "title": self._care_event_title(),
            "place": not hidden and event.location or "",
            "videocall": not hidden and event.videocall_location or "",
            "with_whom": ""
            if hidden
            else ", ".join(self._care_with_whom().mapped("name")),
            "company": company.name or "",
            "contact": ", ".join(filter(None, [company.phone, company.email])),
        }

    @api.depends(
        "event_id.privacy",
        "event_id.user_id.calendar_default_privacy",
        "event_id.partner_ids",
        "member_id.user_ids",
    )
    def _compute_care_details_hidden(self):
        """Whether the appointment's privacy keeps its details (title, place,
        who is in it) from the member: a private appointment they are not in.
        One search for the batch, then one per member of a private one."""
        # The member's login, whatever the reader's company rules on users.
        Users = self.env["res.users"].sudo()
        public_user = Users.browse(
            self.env["ir.model.data"]._xmlid_to_res_id("base.public_user")
        )
        # What an outsider in none of them may not know: the most hidden.
        private = self.event_id._care_details_hidden_from(public_user)
        self.care_details_hidden = False
        in_private = self.filtered(lambda reminder: reminder.event_id in private)
        for member, reminders in in_private.grouped("member_id").items():
            login = member.sudo().user_ids.sorted("share")[:1] or public_user
            hidden = reminders.event_id._care_details_hidden_from(login, member)
            for reminder in reminders:
                reminder.care_details_hidden = reminder.event_id in hidden

    def _care_event_title(self, hidden_events=None, env=None):
        """The appointment's title for the member, 'Private appointment' if
        they may not know it (or if it is in ``hidden_events``), in the
        language of ``env`` (the reader's), else the member's."""
        self.ensure_one()
        if self.care_details_hidden or self.event_id in (hidden_events or ()):
            return (env or self._care_member_env())._("Private appointment")
        # This event alone: the batch's others may be private to the reader,
        # and a superuser fetch caches their columns for every user.
        return self.event_id.with_prefetch().sudo().name

    def _care_with_whom(self):
        """Who else is in the session, for this recipient: the organiser and the
        staff attending, and on a joint session the other clients linked in the
        circle of the reminder's clients. No other attendee is named."""
        self.ensure_one()
        event = self.event_id.sudo()
        attending = event.attendee_ids.filtered(lambda a: a.state != "declined")
        staff = event.user_id.partner_id | attending.partner_id.filtered(
            lambda p: p.user_ids.filtered(lambda u: not u.share)
        )
        # The linked clients of a joint session, worked out for the batch.
        others = event.care_client_ids - self.client_ids - self.member_id
        if others:
            linked = (
                self.env["care.relation"]
                .sudo()
                .search(
                    [
                        ("is_current", "=", True),
                        "|",
                        "&",
                        ("partner_id", "in", self.client_ids.ids),
                        ("related_partner_id", "in", others.ids),
                        "&",
                        ("partner_id", "in", others.ids),
                        ("related_partner_id", "in", self.client_ids.ids),
                    ]
                )
            )
            others &= linked.partner_id | linked.related_partner_id
        return (staff - self.member_id - self.client_ids) | others

    def _queue_sms(self, number):
        self.ensure_one()
        member = self.member_id
        facts = self._care_reminder_facts()
        env = self._care_member_env()
        place = ", ".join(filter(None, [facts["place"], facts["videocall"]]))
        body = env._(
            "Reminder: %(clients)s, %(event)s, %(time)s%(place)s.",
            clients=facts["clients"] or env._("your appointment"),
            event=facts["title"],
            time=self.event_time,
            place=(", " + place) if place else "",
        )
        if facts["with_whom"]:
            body += " " + env._("With %(names)s.", names=facts["with_whom"])
        if facts["contact"]:
            body += " " + env._(
                "To cancel or reschedule: %(contact)s.", contact=facts["contact"]
            )
        sms = (
            self.env["sms.sms"]
            .sudo()
            .create(
                {
                    "partner_id": member.id,
                    "number": member._phone_format(number=number) or number,
                    "body": body,
                }
            )
        )
        self.sudo().sms_uuid = sms.uuid
