import hashlib
import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import consteq

# While the referral is with the program, its link works.
PROVIDER_STATES = ("sent", "accepted", "in_progress")


class CareReferral(models.Model):
    """Programs without a login: the intake e-mail, the provider link that answers
    for the program, and the follow-up of referrals that stall."""

    _inherit = "care.referral"

    provider_token = fields.Char(copy=False, readonly=True, groups="base.group_system")
    provider_token_program_id = fields.Many2one(
        "care.program", copy=False, readonly=True, groups="base.group_system"
    )
    needs_attention = fields.Boolean(
        readonly=True,
        copy=False,
        index=True,
        help="The program has not answered in time, or the referral has not moved "
        "for too long: its helper has a follow-up activity.",
    )
    followed_up_move_date = fields.Datetime(
        readonly=True,
        copy=False,
        help="The last move of the stall already followed up (never twice).",
    )

    # --- the provider link ----------------------------------------------------------
    def _care_provider_link(self):
        """The link e-mailed to the program's intake address; made on first use,
        and again when the referral went to another program."""
        self.ensure_one()
        referral = self.sudo()
        if (
            not referral.provider_token
            or referral.provider_token_program_id != referral.program_id
        ):
            referral._care_new_provider_token()
        return (
            f"{referral.get_base_url()}/care/provider/referral/{referral.id}"
            f"?access_token={referral.provider_token}"
        )

    def _care_new_provider_token(self):
        self.sudo().write(
            {
                "provider_token": secrets.token_urlsafe(32),
                "provider_token_program_id": self.program_id.id,
            }
        )

    def _care_provider_program(self):
        """The program, when a sudo call carries this referral's provider token for
        its current program while the referral is with it; nothing otherwise. RPC
        can never be sudo, so the context key alone grants nothing."""
        self.ensure_one()
        token = self.env.context.get("care_provider_token")
        if (
            self.env.su
            and token
            and self.provider_token
            and consteq(self.provider_token, token)
            and self.provider_token_program_id == self.program_id
            and self.state in PROVIDER_STATES
        ):
            return self.program_id
        return self.env["care.program"]

    def _care_provider_moves(self):
        """The states the program may move this referral to from its link."""
        self.ensure_one()
        roles = self._care_roles() & {"provider"}
        return {target for _source, target in self._moves_for_roles(roles)}

    def _care_provider_revision(self):
        """Changes with every move and note: a form posted twice is refused."""
        self.ensure_one()
        last_message = self.sudo().message_ids[:1]
        seed = f"{self.id}:{self.state}:{self.last_move_date}:{last_message.id}"
        return hashlib.sha256(seed.encode()).hexdigest()[:16]

    def _care_provider_history(self):
        """The history rows the program's link shows: those the seeker's page
        shows, and the program's own notes (log notes, which staff read too);
        never a staff log note."""
        self.ensure_one()
        program = self.program_id
        own = program.intake_partner_id | program.provider_id
        return self.history_ids.filtered(
            lambda log: (
                not log.is_internal
                or (log.kind == "note" and not log.user_id and log.partner_id in own)
            )
        )

    def _care_provider_note(self, note):
        """A note the program leaves from its link, on the referral's chatter."""
        self.ensure_one()
        program = self._care_provider_program()
        self.message_post(
            body=note,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            author_id=(program.intake_partner_id or program.provider_id).id,
            email_from=program._intake_label(),
        )

    def action_regenerate_provider_link(self):
        """A new link for the program; the old one stops working at once."""
        self.check_access("write")
        for referral in self:
            referral._care_new_provider_token()
            referral.message_post(
                body=self.env._(
                    "A new provider link was made; the previous one no longer works."
                ),
                subtype_xmlid="mail.mt_note",
            )
            if referral.state in PROVIDER_STATES and referral._may_notify():
                referral._care_send_intake()
        return True

    def _care_end_provider_link(self):
        """Reassigned to another program: the old program's link ends."""
        self.sudo().write({"provider_token": False, "provider_token_program_id": False})

    # --- the intake e-mail ----------------------------------------------------------
    def _care_send_intake(self, follow_up=False):
        self.ensure_one()
        program = self.program_id
        if not program._sends_to_intake():
            return
        template = self.env.ref("care_network.mail_template_referral_intake")
        template.with_context(
            care_provider_link=self._care_provider_link(), care_follow_up=follow_up
        ).send_mail(
            self.id,
            email_values={"email_to": program.intake_email, "recipient_ids": []},
            email_layout_xmlid="mail.mail_notification_light",
        )

    def _care_seeker_channels(self):
        """How the seeker wants to be reached, with the address for it: what the
        intake e-mail tells the program, and nothing else of the circle."""
        self.ensure_one()
        seeker = self.seeker_id
        preference = seeker.care_contact_preference
        address = {
            "email": seeker.email,
            "sms": seeker.mobile or seeker.phone,
            "phone": seeker.phone or seeker.mobile,
        }.get(preference)
        label = dict(
            seeker._fields["care_contact_preference"]._description_selection(self.env)
        )[preference]
        return f"{label}: {address}" if address else label

    # --- follow-up of stalled referrals ---------------------------------------------
    @api.model
    def _cron_follow_up_stalled(self):
        """One activity for the helper and one new e-mail to the program per stall:
        a referral still Sent past the program's expected response, or accepted or
        in progress without a move for its stall delay."""
        stalled = self.search(self._care_stalled_domain(fields.Datetime.now()))
        stalled = stalled.filtered(
            lambda r: r.followed_up_move_date != r.last_move_date
        )
        for referral in stalled:
            referral._care_follow_up()
        return len(stalled)

    @api.model
    def _care_stalled_domain(self, now):
        delays = self.env["care.program"]._read_group(
            [], ["response_days", "stall_days"], ["id:array_agg"]
        )
        alternatives = []
        for response_days, stall_days, program_ids in delays:
            alternatives.append(
                [
                    ("program_id", "in", program_ids),
                    "|",
                    "&",
                    ("state", "=", "sent"),
                    ("last_move_date", "<", now - timedelta(days=response_days)),
                    "&",
                    ("state", "in", ("accepted", "in_progress")),
                    ("last_move_date", "<", now - timedelta(days=stall_days)),
                ]
            )
        return expression.AND(
            [[("mode", "=", "live")], expression.OR(alternatives or [[(0, "=", 1)]])]
        )

    def _care_follow_up(self):
        self.ensure_one()
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=self.helper_user_id.id,
            summary=self.env._(
                "Follow up with %(program)s", program=self.program_id.name
            ),
            note=self.env._(
                "%(program)s has not moved referral %(name)s of %(seeker)s since "
                "%(date)s.",
                program=self.program_id.name,
                name=self.name,
                seeker=self.seeker_id.name,
                date=fields.Date.to_string(self.last_move_date),
            ),
        )
        if self._may_notify():
            self._care_send_intake(follow_up=True)
        self.write(
            {"needs_attention": True, "followed_up_move_date": self.last_move_date}
        )
