from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, html2plaintext

from ..uninstall_flag import uninstalling
from .care_referral import CLAIMER_MOVES, OUTCOMES, SEEKER_REPORTED, STATES

# Only erasing care data, and a note's deletion or erasure, pass this object: it
# cannot travel through RPC.
_ERASE = object()
# Only status moves and notes (``_log_move``) pass this object to ``create``.
_APPEND = object()


class CareReferralStatusLog(models.Model):
    """Append-only history of a referral: every status move and every note, each
    by "First L. (Organisation)"."""

    _name = "care.referral.status.log"
    _description = "Care Referral Status Log"
    _order = "date desc, id desc"

    referral_id = fields.Many2one(
        "care.referral", required=True, index=True, ondelete="cascade", readonly=True
    )
    user_id = fields.Many2one("res.users", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Person", readonly=True)
    author_name = fields.Char(
        string="Author", readonly=True, help='Shown as "First L."'
    )
    organization_id = fields.Many2one(
        "res.partner", string="Organisation", readonly=True
    )
    organization_name = fields.Char(
        string="As",
        readonly=True,
        help="Whom the person acted for: the program's name for its claimers, the "
        "site they work for for staff, their company for a portal user.",
    )
    on_behalf_of_seeker = fields.Boolean(
        readonly=True,
        help="A helper recorded what the seeker reported.",
    )
    kind = fields.Selection(
        [("move", "Status move"), ("note", "Note")],
        default="move",
        required=True,
        readonly=True,
    )
    who = fields.Char(
        compute="_compute_who",
        help='"Nadia N. (Harbour Home Care), for the seeker"',
    )
    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    state_from = fields.Selection(STATES, string="From", readonly=True)
    state_to = fields.Selection(STATES, string="To", required=True, readonly=True)
    outcome = fields.Selection(OUTCOMES, readonly=True)
    note = fields.Text(readonly=True)
    message_id = fields.Many2one(
        "mail.message",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The chatter message a note row copies: the row follows it (its "
        "visibility, its deletion).",
    )
    is_internal = fields.Boolean(
        string="Staff Only",
        readonly=True,
        help="A copy of a log note: shown to staff only, never on the portal.",
    )

    @staticmethod
    def short_name(name):
        """ "Nadia Navigator" -> "Nadia N." """
        parts = (name or "").split()
        if len(parts) < 2:
            return name or ""
        return f"{parts[0]} {parts[-1][0]}."

    @api.depends("author_name", "organization_name", "organization_id")
    def _compute_who(self):
        for log in self:
            organization = log.organization_name or log.organization_id.name
            who = log.author_name or ""
            if organization:
                who = f"{who} ({organization})"
            if log.on_behalf_of_seeker:
                who = self.env._("%(who)s, for the seeker", who=who)
            log.who = who

    @api.model
    def _message_is_internal(self, message):
        """As Odoo hides a message from portal users (mail.message
        ``_get_search_domain_share``): flagged internal, without a subtype, or of
        an internal subtype (a log note)."""
        return bool(message) and bool(
            message.is_internal or not message.subtype_id or message.subtype_id.internal
        )

    @api.model
    def _log_move(
        self, referral, move, outcome, note, actor, roles, kind="move", message=None
    ):
        """One row for one ``(from, to)`` move (or, ``kind`` note, a note left
        in ``from``: ``message``, the chatter message it copies), made by
        ``actor``: a ``(user, partner)`` pair; the user is empty when the seeker
        follows their e-mailed link without logging in."""
        old_state, new_state = move
        user, partner = actor
        author_name, organization, organization_name = self._actor_labels(
            referral, move, actor, roles, kind
        )
        on_behalf = (
            kind == "move"
            and "helper" in roles
            and not roles & {"claimer", "provider", "seeker"}
            and outcome in SEEKER_REPORTED
        )
        return self.with_context(care_log_append=_APPEND).create(
            {
                "referral_id": referral.id,
                "user_id": user.id,
                "partner_id": partner.id,
                "author_name": author_name,
                "organization_id": organization.id,
                "organization_name": organization_name,
                "on_behalf_of_seeker": on_behalf,
                "kind": kind,
                "state_from": old_state,
                "state_to": new_state,
                "outcome": outcome,
                "note": note,
                "message_id": message.id if message else False,
                "is_internal": self._message_is_internal(message),
            }
        )

    @api.model
    def _actor_labels(self, referral, move, actor, roles, kind):
        """(author name, organisation, organisation name) of a row: a claimer
        acts as the program, staff as the site they work for, a portal user as
        their company (none on their own). Someone both claimer and staff acts
        as the program for the program's moves, as staff otherwise."""
        user, partner = actor
        program = referral.program_id
        if "provider" in roles:
            # From the program's e-mailed link: the program answers, as itself.
            return (
                program._intake_label(),
                program.provider_id,
                program.provider_id.name,
            )
        author_name = self.short_name(partner.name)
        staff = roles & {"helper", "manager"}
        if "claimer" in roles and (
            not staff or (kind == "move" and move in CLAIMER_MOVES)
        ):
            return author_name, program.provider_id, program.name
        if not user or user.share:
            # A portal user's company, when they belong to one; a person on their
            # own has no organisation (not their own name twice).
            company = partner.parent_id.commercial_partner_id
            return author_name, company, company.name or False
        site = self._staff_site(referral, user)
        return author_name, site, site.name or False

    @api.model
    def _staff_site(self, referral, user):
        """The site a staff user works for: the referral's team's site when they
        are in it, else their first team's with a site, else their company."""
        teams = referral.team_id.filtered(lambda t: user in t.member_user_ids)
        teams |= self.env["care.team"].search([("member_user_ids", "in", user.ids)])
        site = teams.filtered("site_id")[:1].site_id
        return site or referral.company_id.partner_id or user.company_id.partner_id

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.context.get("care_log_append") is not _APPEND:
            raise UserError(
                self.env._("The status history is written by status moves only.")
            )
        return super().create(vals_list)

    def write(self, vals):
        # Append-only: only erasing a client's care data rewrites rows.
        if self.env.context.get("care_log_erase") is _ERASE:
            return super().write(vals)
        raise UserError(
            self.env._("The status history of a referral cannot be changed.")
        )

    def _erase_person(self, person, placeholder):
        """Anonymise these rows for an erased client: no notes, and the client's
        name no longer shown as the author of their moves."""
        erasing = self.with_context(care_log_erase=_ERASE)
        erasing.write({"note": False})
        erasing.filtered(lambda log: log.partner_id == person).write(
            {"partner_id": False, "author_name": placeholder}
        )

    @api.model
    def _follow_messages(self, messages, deleting=False, body=True):
        """The note rows copying ``messages`` follow them, after a change or
        before their deletion (``deleting``): who may see them, and their text
        (``body`` changed): a deleted message (or an emptied one) leaves "Note
        deleted by ... on ...", an erased one its placeholder. Called by
        ``mail.message``."""
        rows = self.sudo().search([("message_id", "in", messages.ids)])
        if not rows:
            return
        deleted = self.env._(
            "Note deleted by %(who)s on %(date)s.",
            who=self.short_name(self.env.user.partner_id.name),
            date=format_date(self.env, fields.Date.context_today(self)),
        )
        for row in rows.with_context(care_log_erase=_ERASE):
            message = row.message_id.sudo()
            values = {}
            if deleting or body:
                text = not deleting and html2plaintext(message.body or "").strip()
                values["note"] = text or deleted
            if not deleting:
                values["is_internal"] = self._message_is_internal(message)
            row.write(values)

    @api.model
    def _care_link_notes_to_messages(self):
        """For an upgrade: note rows written before rows kept their message get
        it back (the comment on the same referral, by the same person, posted at
        the same time; the same text first), and with it its visibility and its
        deletion. A row whose message cannot be found is staff-only: nobody can
        say any more that it was shared. Returns the rows linked."""
        rows = self.sudo().search(
            [("kind", "=", "note"), ("message_id", "=", False)], order="id"
        )
        if not rows:
            return rows
        messages = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", "care.referral"),
                    ("res_id", "in", rows.referral_id.ids),
                    ("message_type", "=", "comment"),
                ],
                order="id",
            )
        )
        taken = set(
            self.sudo().search([("message_id", "in", messages.ids)]).message_id.ids
        )
        by_referral = {}
        for message in messages:
            by_referral.setdefault(message.res_id, []).append(message)
        linked = self.browse()
        for row in rows.with_context(care_log_erase=_ERASE):
            candidates = [
                message
                for message in by_referral.get(row.referral_id.id, [])
                if message.id not in taken
                and abs((message.date - row.date).total_seconds()) <= 5
                and (not row.partner_id or message.author_id == row.partner_id)
            ]
            same_text = [
                message
                for message in candidates
                if html2plaintext(message.body or "").strip() == row.note
            ]
            deleted = [message for message in candidates if message._filter_empty()]
            message = (same_text or deleted or [None])[0]
            if not message:
                row.write({"is_internal": True})
                continue
            taken.add(message.id)
            linked |= row
            values = {
                "message_id": message.id,
                "is_internal": self._message_is_internal(message),
            }
            if not same_text:
                values["note"] = self.env._("Note deleted.")
            row.write(values)
        return linked

    @api.ondelete(at_uninstall=True)
    def _unlink_never(self):
        if uninstalling(self.env):
            return
        raise UserError(
            self.env._("The status history of a referral cannot be deleted.")
        )
