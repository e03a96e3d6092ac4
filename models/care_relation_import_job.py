import logging
import threading
import time

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError

_logger = logging.getLogger(__name__)

SOURCE_MODEL = "res.partner.relation"
REF_PREFIX = "partner_multi_relation:"
# Relations read, checked and created at once, then committed (one savepoint).
BATCH_SIZE = 1000
# Seconds of batches per cron call. Odoo runs a cron's call up to 10 times in a
# row (MAX_BATCH_PER_CRON_JOB) within one cron worker's pass, which it shares with
# the database's other due crons and which is killed after limit_time_real_cron
# (limit_time_real, 120 s, by default) or limit_time_cpu (60 s): 10 x 5 s leaves
# room for them and for a batch started just before the budget ran out.
TIME_BUDGET = 5.0
# A batch that raised this many times in a row stops the job.
MAX_FAILURES = 3


class CareRelationImportJob(models.Model):
    """One run of the import from partner_multi_relation, in the background: the
    wizard chooses the types and starts it; the cron copies the relations in
    committed batches from where it stopped (the cursor ``last_source_id``, and
    the import reference of each copied relation), and shows how far it is."""

    _name = "care.relation.import.job"
    _inherit = ["mail.thread"]
    _description = "Import from partner_multi_relation: a run"
    _order = "id desc"

    name = fields.Char(compute="_compute_name")
    user_id = fields.Many2one(
        "res.users",
        string="Started By",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
        ondelete="cascade",
    )
    state = fields.Selection(
        [
            ("queued", "Waiting"),
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Failed"),
        ],
        default="queued",
        required=True,
        readonly=True,
        tracking=True,
    )
    # {source type id: [care type id, whether the client is the left partner]}
    type_map = fields.Json(readonly=True)
    types_created = fields.Integer(readonly=True)
    types_reused = fields.Integer(readonly=True)
    total = fields.Integer(string="Relations to Read", readonly=True)
    done_count = fields.Integer(string="Relations Read", readonly=True)
    copied_count = fields.Integer(string="Copied", readonly=True)
    already_count = fields.Integer(string="Copied Before", readonly=True)
    skipped_count = fields.Integer(string="Skipped", readonly=True)
    skipped = fields.Json(string="Skipped Reasons", readonly=True)  # {reason: count}
    last_source_id = fields.Integer(readonly=True)
    failure_count = fields.Integer(readonly=True)
    error = fields.Text(readonly=True)
    progress = fields.Float(compute="_compute_progress")
    summary = fields.Text(readonly=True)
    date_started = fields.Datetime(readonly=True)
    date_finished = fields.Datetime(readonly=True)

    @api.depends("create_date")
    def _compute_name(self):
        for job in self:
            job.name = self.env._(
                "Import from partner_multi_relation of %(date)s",
                date=fields.Datetime.to_string(job.create_date) or "",
            )

    @api.depends("done_count", "total", "state")
    def _compute_progress(self):
        for job in self:
            if job.state == "done":
                job.progress = 100.0
            else:
                job.progress = min(100.0, 100.0 * job.done_count / (job.total or 1))

    # --- the source, read as whatever partner_multi_relation holds -------------
    @api.model
    def _source_count(self, after_id=0):
        return self.env[SOURCE_MODEL].sudo().search_count([("id", ">", after_id)])

    @api.model
    def _source_rows(self, after_id, limit):
        """The next ``limit`` source relations after ``after_id``, by id, as
        dictionaries: one query for the batch, no display names."""
        sources = (
            self.env[SOURCE_MODEL]
            .sudo()
            .search_fetch(
                [("id", ">", after_id)],
                [
                    "left_partner_id",
                    "right_partner_id",
                    "type_id",
                    "date_start",
                    "date_end",
                ],
                order="id",
                limit=limit,
            )
        )
        return [
            {
                "id": source.id,
                "left": source.left_partner_id.id,
                "right": source.right_partner_id.id,
                "type": source.type_id.id,
                "date_start": source.date_start,
                "date_end": source.date_end,
            }
            for source in sources
        ]

    # --- running ----------------------------------------------------------------
    def _start(self):
        """Queue the job and wake the cron up (Odoo's own trigger, no queue)."""
        self.ensure_one()
        self.total = self._source_count()
        self.env.ref("care_network.ir_cron_care_relation_import").sudo()._trigger()

    @api.model
    def _cron_run(self, budget=TIME_BUDGET):
        """The cron's call: batches of the oldest unfinished job, at least one and
        then while ``budget`` seconds allow another of the same length, each
        committed (outside tests); the progress is told to the cron, which calls
        again at once while some remains."""
        job = self.sudo().search(
            [("state", "in", ("queued", "running"))], order="id", limit=1
        )
        if not job:
            return
        # In the starter's language: the run's name, its summary, the reasons.
        job = job.with_context(lang=job.user_id.lang)
        refusal = job._starter_refusal()
        if refusal:
            job.error = refusal
            job._finish(state="failed")
            return
        # Odoo's idiom (mail, crm, event): tests run in one transaction.
        commit = not getattr(threading.current_thread(), "testing", False)
        started = time.monotonic()
        done_before = job.done_count
        more, batch_seconds = True, 0.0
        while more and (
            job.done_count == done_before
            or time.monotonic() - started + batch_seconds < budget
        ):
            batch_started = time.monotonic()
            more = job._run_batch_safely()
            batch_seconds = time.monotonic() - batch_started
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
            if not more or job.failure_count:
                break
        remaining = job._source_count(job.last_source_id) if more else 0
        others_wait = not remaining and self.sudo().search_count(
            [("state", "in", ("queued", "running"))]
        )
        if others_wait or (more and job.failure_count):
            # Another run waits (or this one retries): the cron is called again
            # at once, not at its next interval.
            self.env.ref("care_network.ir_cron_care_relation_import").sudo()._trigger()
        self.env["ir.cron"]._notify_progress(
            done=max(job.done_count - done_before, 0), remaining=remaining
        )

    def _starter_refusal(self):
        """Why the run's starter may not copy relations (the cron itself runs as
        the superuser; the relations are written with the starter's rights)."""
        user = self.user_id
        if (
            user.active
            and not user.share
            and not user._is_superuser()
            and user.has_group("care_network.group_care_manager")
        ):
            return None
        return self.env._(
            "Only an active care manager can run an import: %(user)s cannot.",
            user=user.name,
        )

    def _starter_env(self):
        """The environment of the manager who started the run: the relations
        are read and written with their rights and companies, never the cron's."""
        return self.env(user=self.user_id.id, su=False)

    def _run_batch_safely(self):
        """One batch in a savepoint: whatever it raises undoes it alone (the
        cursor does not move), and the job tries it again, up to MAX_FAILURES
        times. Returns whether there is more to do."""
        self.ensure_one()
        if self.state == "queued":
            self.write({"state": "running", "date_started": fields.Datetime.now()})
        try:
            with self.env.cr.savepoint():
                return self._run_batch()
        except Exception as error:
            _logger.exception("Import from partner_multi_relation: a batch failed")
            failures = self.failure_count + 1
            # The kind only: a message may name records the reader cannot see.
            error_text = self.env._(
                "%(kind)s (the server log has the details)", kind=type(error).__name__
            )
            self.write({"failure_count": failures, "error": error_text})
            if failures >= MAX_FAILURES:
                self._finish(state="failed")
                return False
            return True

    def _run_batch(self):
        """Read, check and copy the next batch; returns whether there is more."""
        self.ensure_one()
        if self.state != "running":
            return False
        rows = self._source_rows(self.last_source_id, BATCH_SIZE)
        if not rows:
            self._finish()
            return False
        outcome = self._copy_batch(rows, self._types(), dict(self.skipped or {}))
        self.write(
            {
                "last_source_id": rows[-1]["id"],
                "done_count": self.done_count + len(rows),
                "copied_count": self.copied_count + outcome["copied"],
                "already_count": self.already_count + outcome["already"],
                "skipped": outcome["skipped"],
                "skipped_count": sum(outcome["skipped"].values()),
                "failure_count": 0,
                "error": False,
            }
        )
        _logger.info(
            "Import from partner_multi_relation (job %s): %s of %s read, %s copied",
            self.id,
            self.done_count,
            self.total,
            self.copied_count,
        )
        if len(rows) < BATCH_SIZE:
            self._finish()
            return False
        return True

    def _types(self):
        """{source type id: (care type, whether the client is the left partner)}"""
        Type = self._starter_env()["care.relation.type"]
        return {
            int(source_id): (Type.browse(type_id), bool(client_is_left))
            for source_id, (type_id, client_is_left) in (self.type_map or {}).items()
        }

    # --- copying a batch ----------------------------------------------------------
    def _copy_batch(self, rows, types, skipped):
        """Copy the rows not copied before; returns the counts of the batch
        (copied, already there) and the skipped reasons, added to ``skipped``."""
        env = self._starter_env()
        refs = [f"{REF_PREFIX}{row['id']}" for row in rows]
        copied_before = set(
            env["care.relation"]
            .with_context(active_test=False)
            .search_fetch([("import_ref", "in", refs)], ["import_ref"])
            .mapped("import_ref")
        )
        partners = env["res.partner"].browse(
            {row[side] for row in rows for side in ("left", "right")}
        )
        partners.fetch(["is_company"])
        outcome = {"copied": 0, "already": 0, "skipped": skipped}
        vals_list = []
        for row, ref in zip(rows, refs, strict=True):
            if ref in copied_before:
                outcome["already"] += 1
                continue
            if row["type"] not in types:
                reason = self.env._("a relation type added since the run started")
                skipped[reason] = skipped.get(reason, 0) + 1
                continue
            care_type, client_is_left = types[row["type"]]
            client, related = (row["left"], row["right"])[
                :: 1 if client_is_left else -1
            ]
            reason = self._skip_reason(row, care_type, client, related)
            if reason:
                skipped[reason] = skipped.get(reason, 0) + 1
                continue
            vals_list.append(
                {
                    "partner_id": client,
                    "related_partner_id": related,
                    "type_id": care_type.id,
                    "date_start": row["date_start"],
                    "date_end": row["date_end"],
                    "import_ref": ref,
                }
            )
        self._create_batch(vals_list, outcome)
        return outcome

    def _create_all(self, Relation, vals_list):
        """Whether the whole batch could be created (else nothing of it is)."""
        try:
            with self.env.cr.savepoint():
                Relation.create(vals_list)
        except ValidationError:
            return False
        return True

    def _skip_reason(self, row, care_type, client_id, related_id):
        env = self._starter_env()
        Relation = env["care.relation"]
        Partner = env["res.partner"]
        if client_id == related_id:
            return self.env._("a partner related to itself")
        if not Relation._kind_allows(
            care_type.partner_kind, Partner.browse(client_id)
        ) or not Relation._kind_allows(
            care_type.related_kind, Partner.browse(related_id)
        ):
            return self.env._("a kind of partner the type does not allow")
        if (
            row["date_start"]
            and row["date_end"]
            and row["date_end"] < row["date_start"]
        ):
            return self.env._("an end before the start")
        return None

    def _create_batch(self, vals_list, outcome):
        """Create a batch at once; when a relation of it is refused (an
        overlapping duplicate), one by one, each in a savepoint."""
        if not vals_list:
            return
        Relation = self._starter_env()["care.relation"]
        if self._create_all(Relation, vals_list):
            outcome["copied"] += len(vals_list)
            return
        for vals in vals_list:
            try:
                with self.env.cr.savepoint():
                    Relation.create(vals)
                outcome["copied"] += 1
            except ValidationError:
                reason = self.env._("an overlapping duplicate")
                outcome["skipped"][reason] = outcome["skipped"].get(reason, 0) + 1

    def _finish(self, state="done"):
        self.ensure_one()
        self.write(
            {
                "state": state,
                "date_finished": fields.Datetime.now(),
                "total": max(self.total, self.done_count),
            }
        )
        self.summary = self._summary_text()
        self._post_summary()

    def _summary_text(self):
        lines = [
            self.env._(
                "Relation types: %(created)s created, %(reused)s reused.",
                created=self.types_created,
                reused=self.types_reused,
            ),
            self.env._(
                "Relations: %(copied)s copied, %(already)s copied before.",
                copied=self.copied_count,
                already=self.already_count,
            ),
        ]
        for reason, count in sorted((self.skipped or {}).items()):
            lines.append(
                self.env._("Skipped %(count)s: %(reason)s.", count=count, reason=reason)
            )
        if self.state == "failed":
            lines.append(
                self.env._(
                    "Stopped after %(failures)s failures of the same batch: %(error)s",
                    failures=self.failure_count,
                    error=self.error or "",
                )
            )
        return "\n".join(lines)

    def _post_summary(self):
        """The summary on the job, notified to whoever started it (their Inbox)
        and shown at once in their browser when it is open."""
        body = Markup("<br/>").join(self.summary.splitlines())
        self.sudo().message_post(
            body=body,
            subject=self.name,
            author_id=self.env.ref("base.partner_root").id,
            partner_ids=self.user_id.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self.user_id._bus_send(
            "simple_notification",
            {
                "type": "success" if self.state == "done" else "danger",
                "title": self.name,
                "message": self.summary,
                "sticky": True,
            },
        )

    def action_refresh(self):
        """The form's Refresh button: the view reloads the record."""
        return True
