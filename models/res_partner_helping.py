from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools.safe_eval import safe_eval

from .care_referral import OPEN_STATES


class ResPartner(models.Model):
    """People I'm Helping: the seekers a user works with, Outbound (of the
    referrals they made, of their sharing teams', and those they are care staff
    of) and Inbound (of the referrals the programs they claim received), with
    their open referrals, last move and whether any needs attention."""

    _inherit = "res.partner"

    care_helped_by_me = fields.Boolean(
        string="People I'm Helping",
        compute="_compute_care_helped",
        search="_search_care_helped_by_me",
        help="Seekers of the referrals you or your sharing teams made, the clients "
        "you are care staff of, and the seekers of the referrals the programs you "
        "claim received.",
    )
    care_helped_outbound = fields.Boolean(
        string="Outbound",
        compute="_compute_care_helped",
        search="_search_care_helped_outbound",
        help="Seekers of the referrals you or your sharing teams made, and the "
        "clients you are care staff of.",
    )
    care_helped_inbound = fields.Boolean(
        string="Inbound",
        compute="_compute_care_helped",
        search="_search_care_helped_inbound",
        help="Seekers of the referrals the programs you claim received.",
    )
    care_open_referral_count = fields.Integer(
        string="Open Referrals", compute="_compute_care_helping"
    )
    care_last_referral_move = fields.Datetime(
        string="Last Move", compute="_compute_care_helping"
    )
    care_referral_attention = fields.Boolean(
        string="Needs Attention",
        compute="_compute_care_helping",
        search="_search_care_referral_attention",
        help="One of their referrals has not moved in time.",
    )

    @api.depends_context("uid")
    def _compute_care_helped(self):
        """One search per side for the whole batch, with the user's access."""
        domain = [("id", "in", self.ids)]
        outbound = self.search([*domain, ("care_helped_outbound", "=", True)])
        inbound = self.search([*domain, ("care_helped_inbound", "=", True)])
        for partner in self:
            partner.care_helped_outbound = partner in outbound
            partner.care_helped_inbound = partner in inbound
            partner.care_helped_by_me = partner in outbound or partner in inbound

    @api.model
    def _care_outbound_domain(self):
        """The referrals on the user's Outbound board."""
        return [
            "|",
            ("helper_user_id", "=", self.env.uid),
            "&",
            ("team_id.share_referrals", "=", True),
            ("team_id.member_user_ids", "in", self.env.uid),
        ]

    @api.model
    def _care_inbound_domain(self):
        """The referrals on the user's Inbound board: those the programs they
        claim received (a draft is not sent yet)."""
        return [
            ("program_id.claimer_user_ids", "in", self.env.uid),
            ("state", "!=", "draft"),
        ]

    @api.model
    def _care_helped_outbound_domain(self):
        referrals = self.env["care.referral"]._search(self._care_outbound_domain())
        return [
            "|",
            ("id", "in", referrals.subselect("seeker_id")),
            ("care_manager_user_ids", "in", self.env.uid),
        ]

    @api.model
    def _care_helped_inbound_domain(self):
        referrals = self.env["care.referral"]._search(self._care_inbound_domain())
        return [("id", "in", referrals.subselect("seeker_id"))]

    @api.model
    def _care_helped_search(self, operator, value, domains, message):
        """The union of ``domains`` when searched as set, its negation when not;
        ``message`` for any other operator or value. ``domains`` are callables:
        no sub-query is built for a search refused."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(message)
        domain = expression.OR([make() for make in domains])
        return domain if (operator == "=") == value else ["!", *domain]

    def _search_care_helped_by_me(self, operator, value):
        return self._care_helped_search(
            operator,
            value,
            [self._care_helped_outbound_domain, self._care_helped_inbound_domain],
            self.env._("People I'm Helping can only be searched as set or not set."),
        )

    def _search_care_helped_outbound(self, operator, value):
        return self._care_helped_search(
            operator,
            value,
            [self._care_helped_outbound_domain],
            self.env._("Outbound can only be searched as set or not set."),
        )

    def _search_care_helped_inbound(self, operator, value):
        return self._care_helped_search(
            operator,
            value,
            [self._care_helped_inbound_domain],
            self.env._("Inbound can only be searched as set or not set."),
        )

    def _search_care_referral_attention(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(
                self.env._("Needs Attention can only be searched as set or not set.")
            )
        referrals = self.env["care.referral"]._search(
            [("needs_attention", "=", True), ("state", "in", OPEN_STATES)]
        )
        op = "in" if (operator == "=") == value else "not in"
        return [("id", op, referrals.subselect("seeker_id"))]

    @api.depends_context("uid")
    def _compute_care_helping(self):
        """Open referrals, last move and attention of all these seekers in one
        grouped read, with the user's own access to referrals."""
        stats = defaultdict(lambda: [0, False, False])
        Referral = self.env["care.referral"]
        if Referral.has_access("read") and self.ids:
            groups = Referral._read_group(
                [("seeker_id", "in", self.ids), ("state", "in", OPEN_STATES)],
                ["seeker_id"],
                ["__count", "last_move_date:max", "needs_attention:bool_or"],
            )
            for seeker, count, last_move, attention in groups:
                stats[seeker.id] = [count, last_move, attention]
        for partner in self:
            count, last_move, attention = stats[partner.id]
            partner.care_open_referral_count = count
            partner.care_last_referral_move = last_move
            partner.care_referral_attention = attention

    def _care_referral_board(self, xmlid, name):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        board = safe_eval(action["domain"] or "[]", {"uid": self.env.uid})
        action["domain"] = [*board, ("seeker_id", "=", self.id)]
        action["display_name"] = name
        return action

    def action_view_care_outbound(self):
        return self._care_referral_board(
            "care_network.action_care_referral_outbound",
            self.env._("Outbound referrals of %(name)s", name=self.name),
        )

    def action_view_care_inbound(self):
        return self._care_referral_board(
            "care_network.action_care_referral_inbound",
            self.env._("Inbound referrals of %(name)s", name=self.name),
        )
