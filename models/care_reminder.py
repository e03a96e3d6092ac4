from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import format_datetime

from .care_relation_reminder import MAX_LEAD_HOURS

# Reminders sent per cron call: Odoo commits after each call and calls again
# (up to 10 times a run) while some remain.
BATCH_SIZE = 200
RUN_LOCK_KEY = 0x63617265  # "care": the advisory lock of the reminder runs


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
        readonly=True, help="The event's time in the member's time zone."
    )
    sent_email = fields.Boolean(string="E-mail Sent", readonly=True)
    sent_sms = fields.Boolean(string="SMS Queued", readonly=True)

    _sql_constraints = [
        (
            "once_per_event_time_member",
            "unique(event_id, event_start, member_id)",
            "A member is reminded once per event time.",
        )
    ]

    @api.depends("member_id", "event_id", "event_start")
    def _compute_display_name(self):
        for reminder in self:
            reminder.display_name = self.env._(
                "%(event)s for %(member)s",
                event=reminder.event_id.name or "",
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
        for (event, member), relations in batch:
            self._send_reminder(event, member, relations)
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
        events = (
            self.env["calendar.event"]
            .sudo()
            .search(
                [
                    ("start", ">", now),
                    ("start", "<=", now + timedelta(hours=MAX_LEAD_HOURS)),
                    ("partner_ids", "in", relations.partner_id.ids),
                ]
            )
        )
        sent = self._already_sent(events)
        sms_on = self._sms_available()
        by_client = relations.grouped("partner_id")
        due = defaultdict(lambda: defaultdict(Relation.browse))
        for event in events:
            attending = event.attendee_ids.filtered(
                lambda a: a.state != "declined"
            ).partner_id
            for relation in Relation.concat(
                *(by_client.get(client, Relation) for client in attending)
            ):
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
        rows = self.search_read(
            [("event_id", "in", events.ids)],
            ["event_id", "event_start", "member_id", "sent_email", "sent_sms"],
        )
        return {
            (row["event_id"][0], row["event_start"], row["member_id"][0]): {
                channel
                for channel, done in (
                    ("email", row["sent_email"]),
                    ("sms", row["sent_sms"]),
                )
                if done
            }
            for row in rows
        }

    @api.model
    def _send_reminder(self, event, member, channels):
        """Send what is due on each channel and record it on the row of this
        event time and member (created by the first channel sent)."""
        relations = self.env["care.relation"].concat(*channels.values())
        values = {
            "client_ids": [fields.Command.link(c.id) for c in relations.partner_id],
            "relation_ids": [fields.Command.link(r.id) for r in relations],
            **{f"sent_{channel}": True for channel in channels},
        }
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
        else:
            reminder = self.sudo().create(
                {
                    "event_id": event.id,
                    "event_start": event.start,
                    "member_id": member.id,
                    "event_time": self._format_event_time(event, member),
                    **values,
                }
            )
        if "email" in channels:
            reminder._send_email()
        if "sms" in channels:
            reminder._queue_sms(channels["sms"][:1]._reminder_sms_number())
        return reminder

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
    def _format_event_time(self, event, member):
        tz = member.tz or event.user_id.tz or self.env.user.tz or "UTC"
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
        self.ensure_one()
        template = self.env.ref("care_network.mail_template_circle_reminder")
        template.send_mail(
            self.id,
            email_values={"recipient_ids": [fields.Command.set(self.member_id.ids)]},
            email_layout_xmlid="mail.mail_notification_light",
        )

    def _queue_sms(self, number):
        self.ensure_one()
        member = self.member_id
        location = self.event_id.location
        env = self.with_context(lang=member.lang or self.env.lang).env
        body = env._(
            "Reminder: %(clients)s, %(event)s, %(time)s%(place)s.",
            clients=", ".join(self.client_ids.mapped("name")),
            event=self.event_id.name,
            time=self.event_time,
            place=(", " + location) if location else "",
        )
        self.env["sms.sms"].sudo().create(
            {
                "partner_id": member.id,
                "number": member._phone_format(number=number) or number,
                "body": body,
            }
        )
