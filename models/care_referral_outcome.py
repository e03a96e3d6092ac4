from odoo import api, fields, models

CLOSED_LOOP_STATES = ("completed", "rejected")
DAY = 86400.0


class CareReferral(models.Model):
    """What outcome reports read: when the loop closed, and how fast. Computed from
    the status history, stored so that pivots and graphs group them."""

    _inherit = "care.referral"

    service_tag_ids = fields.Many2many(
        "care.service.tag",
        "care_referral_service_tag_rel",
        "referral_id",
        "tag_id",
        related="program_id.service_tag_ids",
        store=True,
        string="Services",
    )
    last_move_date = fields.Datetime(
        string="Last Move", compute="_compute_move_dates", store=True, index=True
    )
    date_sent = fields.Datetime(
        string="Sent On", compute="_compute_move_dates", store=True
    )
    days_to_accept = fields.Float(
        string="Days to Accept",
        compute="_compute_move_dates",
        store=True,
        aggregator="avg",
        digits=(16, 1),
        help="Days from sending to acceptance.",
    )
    days_to_close = fields.Float(
        string="Days to Close",
        compute="_compute_move_dates",
        store=True,
        aggregator="avg",
        digits=(16, 1),
        help="Days from sending to completion or rejection.",
    )
    closed_loop = fields.Boolean(
        compute="_compute_closed_loop",
        store=True,
        help="Completed or rejected with an outcome: the program answered.",
    )
    closed_loop_rate = fields.Float(
        string="Closed-Loop Rate (%)",
        compute="_compute_closed_loop",
        store=True,
        aggregator="avg",
        digits=(16, 1),
    )

    @api.depends("status_log_ids.date", "status_log_ids.state_to")
    def _compute_move_dates(self):
        for referral in self:
            firsts = {}
            for log in referral.status_log_ids.sorted("date"):
                firsts.setdefault(log.state_to, log.date)
            dates = referral.status_log_ids.mapped("date")
            referral.last_move_date = max(dates) if dates else False
            sent = firsts.get("sent")
            referral.date_sent = sent or False
            accepted = firsts.get("accepted")
            closed = min(
                filter(None, (firsts.get(state) for state in CLOSED_LOOP_STATES)),
                default=None,
            )
            referral.days_to_accept = (
                (accepted - sent).total_seconds() / DAY if sent and accepted else False
            )
            referral.days_to_close = (
                (closed - sent).total_seconds() / DAY if sent and closed else False
            )

    @api.depends("state", "outcome")
    def _compute_closed_loop(self):
        for referral in self:
            closed = referral.state in CLOSED_LOOP_STATES and bool(referral.outcome)
            referral.closed_loop = closed
            referral.closed_loop_rate = 100.0 if closed else 0.0
