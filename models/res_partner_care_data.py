import json

from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import AccessError, UserError

OPEN_REFERRAL_STATES = ("draft", "sent", "accepted", "in_progress")
ERASED = "[erased]"
# The messages in which people wrote something, or were sent it.
WRITTEN_MESSAGE_TYPES = ("comment", "email", "email_outgoing", "user_notification")


class ResPartner(models.Model):
    """A client's care data on request: exported as one JSON (and a PDF report),
    or erased while the counts stay. Manager-only, confirmed by a wizard."""

    _inherit = "res.partner"

    care_erased_date = fields.Date(
        string="Care Data Erased On", readonly=True, copy=False
    )

    def _check_care_data_manager(self):
        if not self.env.user.has_group("care_network.group_care_manager"):
            raise AccessError(
                self.env._("Only care managers can export or erase care data.")
            )

    def _care_unlink_care_records(self):
        """These contacts' relations (either side), goals, consents, forms and
        the reminders naming them, through the ORM rather than their columns'
        SQL cascade: what the addon made of them goes too (their messages, files
        and activities, a last grant's portal login, a reminder's kept copies).
        As superuser, once the deleting user's own rules allow it."""
        ids = self.ids
        env = self.sudo().env
        records = self._care_records_found()
        if not self._care_may(records, "unlink"):
            raise AccessError(
                self.env._(
                    "%(contacts)s cannot be deleted: care records you may not "
                    "delete (relations, goals, consents or forms) depend on them. "
                    "Archive them instead.",
                    contacts=", ".join(self.mapped("display_name")),
                )
            )
        for found in records:
            found.unlink()
        env["care.data.export"].search([("client_id", "in", ids)]).unlink()
        # A reminder that also served another client goes too (its copies name
        # the deleted one): the cron reminds that client's member again.
        env["care.reminder"].search(
            ["|", ("member_id", "in", ids), ("client_ids", "in", ids)]
        ).unlink()

    def _care_records_found(self):
        """These contacts' care records that hang on them by a column (as
        superuser): their relations (either side), goals, consents, forms."""
        partners = self.sudo()
        return [
            partners.care_relation_ids | partners.care_related_to_ids,
            partners.care_goal_ids,
            partners.care_consent_ids,
            partners.care_form_answer_ids,
        ]

    def _care_may(self, records, operation):
        """Whether this environment's user may ``operation`` each of the
        ``records`` found (an empty recordset would check the model's rights,
        which a contact user without the addon's groups lacks). The addon
        raises its own refusal: Odoo's would name the records, read as
        superuser."""
        return all(
            found.with_env(self.env).has_access(operation) for found in records if found
        )

    def _care_check_merge(self):
        """Merging these contacts moves their care records to the kept one
        (Odoo rewrites their columns in SQL, then deletes the others), and folds
        the relations that become duplicates: the user's own right to change
        each of them, their referrals and packages, and to delete the relations,
        first."""
        records = self._care_records_found()
        moved = [
            *records,
            self.env["care.referral"].sudo().search([("seeker_id", "in", self.ids)]),
            self.env["care.package"].sudo().search([("holder_id", "in", self.ids)]),
        ]
        if not (
            self._care_may(moved, "write") and self._care_may(records[:1], "unlink")
        ):
            raise AccessError(
                self.env._(
                    "%(contacts)s cannot be merged: they have care records you may "
                    "not change (relations, goals, consents, forms or referrals).",
                    contacts=", ".join(self.mapped("display_name")),
                )
            )

    def action_open_care_data_request(self):
        self.ensure_one()
        self._check_care_data_manager()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Care Data of %(client)s", client=self.name),
            "res_model": "care.data.request",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_client_id": self.id,
                "default_request": self.env.context.get("care_request", "export"),
            },
        }

    # --- export ------------------------------------------------------------------
    def action_export_care_data(self):
        """Store the client's care data as JSON on a manager-only export record
        (never on the client, whom care users and guardians may read) and return
        its download."""
        self.ensure_one()
        self._check_care_data_manager()
        data = self._care_data()
        export = self.env["care.data.export"]._care_export(
            self, json.dumps(data, indent=2, ensure_ascii=False).encode()
        )
        self.message_post(
            body=self.env._("Care data exported by %(user)s.", user=self.env.user.name)
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{export.attachment_id.id}?download=true",
            "target": "download",
        }

    def _care_data(self):
        """Everything the addon holds about this client, as plain values: for
        care managers who may read the client (the report and the export)."""
        self.ensure_one()
        if not self.env.su:
            self._check_care_data_manager()
            self._care_check_care_records("read")
        client = self.sudo()
        return {
            "client": {
                "id": client.id,
                "name": client.name,
                "email": client.email or None,
                "phone": client.phone or None,
                "birthdate": _date(client.birthdate),
                "is_minor": client.is_minor,
                "contact_preference": client.care_contact_preference,
            },
            "relations": [
                _relation_data(r)
                for r in client.care_relation_ids | client.care_related_to_ids
            ],
            "referrals": [_referral_data(r) for r in client.care_referral_ids],
            "goals": [_goal_data(g) for g in client.care_goal_ids],
            "consents": [_consent_data(c) for c in client.care_consent_ids],
            "forms": [answer._care_data() for answer in client.care_form_answer_ids],
            "ecomap": client.care_ecomap_data(show_past=True),
            "access_log": [
                _access_data(row)
                for row in self.env["care.access.log"]
                .sudo()
                .search([("client_id", "=", client.id)])
            ],
        }

    # --- erase -------------------------------------------------------------------
    def action_erase_care_data(self):
        """Anonymise the client's care records, keeping them (and the counts)."""
        self.ensure_one()
        self._check_care_data_manager()
        self._care_check_care_records("write")
        client = self.sudo()
        open_referrals = client._care_open_referrals()
        if open_referrals:
            raise UserError(
                self.env._(
                    "%(client)s still has open referrals (%(referrals)s): close or "
                    "cancel them before erasing the care data.",
                    client=client.name,
                    referrals=", ".join(open_referrals.mapped("name")),
                )
            )
        client._care_erase()
        client.message_post(
            body=self.env._("Care data erased by %(user)s.", user=self.env.user.name)
        )
        return True

    def _care_check_care_records(self, operation):
        """The manager's own rules on the client and on each of its care
        records first: the export and the erasure run as superuser. A client
        without a company may hold another company's records (its relations,
        goals, consents...): their manager is refused, not served half."""
        self.check_access(operation)
        client = self.sudo()
        found = client._care_file_records(with_log=operation == "read")
        if self._care_may(found, operation):
            return
        if operation == "read":
            raise AccessError(
                self.env._(
                    "You may not export the care data of %(client)s: some of its "
                    "care records are beyond your access (another company's, for "
                    "instance).",
                    client=client.display_name,
                )
            )
        raise AccessError(
            self.env._(
                "You may not erase the care data of %(client)s: some of its care "
                "records are beyond your access (another company's, for instance).",
                client=client.display_name,
            )
        )

    def _care_file_records(self, with_log=False):
        """The records of the client's care file (what the export holds)."""
        self.ensure_one()
        found = [*self._care_records_found(), self.sudo().care_referral_ids]
        if with_log:
            found.append(
                self.env["care.access.log"].sudo().search([("client_id", "=", self.id)])
            )
        return found

    def _care_open_referrals(self):
        """The client's referrals not closed yet: they stop an erasure."""
        self.ensure_one()
        return self.sudo().care_referral_ids.filtered(
            lambda r: r.state in OPEN_REFERRAL_STATES
        )

    def _care_erase(self):
        # The erasing writes track nothing: a tracking line would keep the text.
        client = self.with_context(mail_notrack=True)
        relations = client.care_relation_ids | client.care_related_to_ids
        referrals = client.care_referral_ids
        relations.write({"note": False, "relationship_note": False})
        referrals.write({"comment": False})
        referrals.status_log_ids._erase_person(client, ERASED)
        client.care_goal_ids._care_erase(ERASED)
        consents = client.care_consent_ids
        # The consents' own files go; a file they only link to stays its owner's.
        consents.attachment_ids.filtered(
            lambda a: (
                a.res_model in (False, "care.consent")
                and a.res_id in (0, *consents.ids)
            )
        ).unlink()
        consents.write({"note": False, "attachment_ids": [fields.Command.clear()]})
        client.care_form_answer_ids._care_erase_free_text(ERASED)
        reminders = client.env["care.reminder"].search(
            [("client_ids", "in", client.ids)]
        )
        reminders.write({"client_ids": [fields.Command.unlink(client.id)]})
        client._care_erase_messages(client.care_relation_ids, referrals)
        client._care_blank_messages(
            client._care_written_messages(client.care_related_to_ids), cancel=False
        )
        client._care_erase_status_notes(referrals)
        # A reminder that still serves another client keeps going.
        client._care_erase_reminder_copies(
            reminders.filtered(lambda r: not r.client_ids)
        )
        client._care_erase_tracking(
            [
                (relations, ("note", "relationship_note")),
                (referrals, ("comment",)),
                (client.care_goal_ids, ("name", "description")),
                (client.care_consent_ids, ("note",)),
                (client, ("birthdate",)),
            ]
        )
        # Earlier exports hold everything erased here.
        client.env["care.data.export"].search(
            [("client_id", "in", client.ids)]
        ).unlink()
        client.write({"birthdate": False, "care_erased_date": fields.Date.today()})

    def _care_erase_tracking(self, erased):
        """Blank the old and new values of the erased fields in the chatter's
        tracking lines: the lines stay (a change happened), not the text."""
        Tracking = self.env["mail.tracking.value"]
        for records, field_names in erased:
            if not records:
                continue
            trackings = Tracking.search(
                [
                    ("mail_message_id.model", "=", records._name),
                    ("mail_message_id.res_id", "in", records.ids),
                    ("field_id.model", "=", records._name),
                    ("field_id.name", "in", field_names),
                ]
            )
            for tracking in trackings:
                tracking.write(
                    {
                        "old_value_char": tracking.old_value_char and ERASED,
                        "new_value_char": tracking.new_value_char and ERASED,
                        "old_value_text": tracking.old_value_text and ERASED,
                        "new_value_text": tracking.new_value_text and ERASED,
                        "old_value_datetime": False,
                        "new_value_datetime": False,
                    }
                )

    def _care_erase_messages(self, relations, referrals):
        """Blank what people wrote on the client's care records (notes, e-mailed
        replies, activities and their notifications, the files on the records)
        and the e-mails sent about them (a referral's e-mail repeats its
        comment); the status and tracking lines stay so that the history can
        still be counted."""
        records = [
            ("care.relation", relations.ids),
            ("care.referral", referrals.ids),
            ("care.goal", self.care_goal_ids.ids),
            ("care.consent", self.care_consent_ids.ids),
        ]
        for model, ids in records:
            messages = self._care_written_messages(self.env[model].browse(ids))
            self._care_blank_messages(messages)
            self._care_erase_files(model, ids, messages)
            self.env["mail.activity"].with_context(active_test=False).search(
                [("res_model", "=", model), ("res_id", "in", ids)]
            ).write({"summary": ERASED, "note": False})

    def _care_written_messages(self, records):
        """The messages in which people wrote on ``records``, or were sent
        something about them; a done activity's line repeats its summary, note
        and feedback."""
        return self.env["mail.message"].search(
            [
                ("model", "=", records._name),
                ("res_id", "in", records.ids),
                "|",
                ("message_type", "in", WRITTEN_MESSAGE_TYPES),
                ("subtype_id", "=", self.env.ref("mail.mt_activities").id),
            ]
        )

    def _care_blank_messages(self, messages, body=None, cancel=True):
        """Blank these messages (``body``: their new body) and their e-mails;
        with ``cancel``, those not sent yet are cancelled rather than sent."""
        body = body or Markup("<p>%s</p>") % ERASED
        messages.write({"body": body})
        messages.filtered("subject").write({"subject": ERASED})
        mails = self.env["mail.mail"].search([("mail_message_id", "in", messages.ids)])
        mails.write({"body_html": body})
        if cancel:
            mails.filtered(lambda m: m.state in ("outgoing", "exception")).write(
                {"state": "cancel"}
            )

    def _care_erase_files(self, model, ids, messages):
        """The files of the records and of their messages go; a file the
        messages only link to (a mail template's, another record's) stays
        where it belongs, unlinked from them."""
        Attachment = self.env["ir.attachment"]
        files = Attachment.search([("res_model", "=", model), ("res_id", "in", ids)])
        files |= Attachment.search(
            [("res_model", "=", "mail.message"), ("res_id", "in", messages.ids)]
        )
        messages.filtered("attachment_ids").write(
            {"attachment_ids": [fields.Command.clear()]}
        )
        files.unlink()

    def _care_erase_status_notes(self, referrals):
        """The notes the referrals' status lines repeat in the chatter: the line
        stays (its first paragraph, the move), its note goes. The lines are
        care.referral._post_status_line's: ``<p>move</p><p>note</p>``."""
        lines = self.env["mail.message"].search(
            [
                ("model", "=", "care.referral"),
                ("res_id", "in", referrals.ids),
                ("message_type", "=", "notification"),
                ("subtype_id", "=", self.env.ref("mail.mt_note").id),
            ]
        )
        for line in lines:
            move, end, note = str(line.body or "").partition("</p>")
            if note.strip():
                erased = Markup(move + end) + Markup("<p>%s</p>") % ERASED
                self._care_blank_messages(line, erased)

    def _care_erase_reminder_copies(self, reminders):
        """The kept copies of the reminders' e-mails (the member's own
        messages) and their SMS: they name the client, the appointment and its
        place. An SMS not sent yet is cancelled."""
        self._care_blank_messages(
            self.env["mail.message"].search(
                [("model", "=", "care.reminder"), ("res_id", "in", reminders.ids)]
            )
        )
        uuids = [uuid for uuid in reminders.mapped("sms_uuid") if uuid]
        if uuids and reminders._sms_available():
            sms = self.env["sms.sms"].search([("uuid", "in", uuids)])
            sms.write({"body": ERASED})
            sms.filtered(lambda s: s.state in ("outgoing", "error")).write(
                {"state": "canceled"}
            )


def _date(value):
    return fields.Date.to_string(value) if value else None


def _relation_data(relation):
    return {
        "client": relation.partner_id.name,
        "related_partner": relation.related_partner_id.name,
        "type": relation.type_id.name,
        "date_start": _date(relation.date_start),
        "date_end": _date(relation.date_end),
        "emergency_contact": relation.is_emergency_contact,
        "grants": {
            "can_view_profile": relation.can_view_profile,
            "can_view_appointments": relation.can_view_appointments,
            "can_view_referrals": relation.can_view_referrals,
            "can_update_referrals": relation.can_update_referrals,
        },
        "reminders": relation.reminder_opt_in,
        "note": relation.note or None,
    }


def _referral_data(referral):
    return {
        "name": referral.name,
        "program": referral.program_id.name,
        "state": referral.state,
        "outcome": referral.outcome or None,
        "mode": referral.mode,
        "consent": referral.consent,
        "comment": referral.comment or None,
        "created": fields.Datetime.to_string(referral.create_date),
        "history": [
            {
                "date": fields.Datetime.to_string(log.date),
                "from": log.state_from or None,
                "to": log.state_to,
                "outcome": log.outcome or None,
                "who": log.author_name or None,
                "note": log.note or None,
            }
            for log in referral.status_log_ids
        ],
        "notes": [
            {
                "date": fields.Datetime.to_string(message.date),
                "author": message.author_id.name or None,
                "body": message.preview,
            }
            for message in referral.message_ids.filtered(
                lambda m: m.message_type == "comment"
            )
        ],
    }


def _goal_data(goal):
    return {
        "name": goal.name,
        "state": goal.state,
        "target_date": _date(goal.target_date),
    }


def _consent_data(consent):
    return {
        "scope": consent.scope,
        "covers": consent.display_name,
        "given_by": consent.given_by_id.name,
        "channel": consent.channel,
        "date_given": _date(consent.date_given),
        "date_expiry": _date(consent.date_expiry),
        "date_revoked": _date(consent.date_revoked),
        "revoked_by": consent.revoked_by_id.name or None,
        "documents": consent.attachment_ids.mapped("name"),
    }


def _access_data(row):
    return {
        "when": fields.Datetime.to_string(row.create_date),
        "who": row.viewer_name,
        "what": row.what,
        "relation": row.relation_label or None,
    }
