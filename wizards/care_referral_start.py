from odoo import api, fields, models
from odoo.exceptions import UserError


class CareReferralStart(models.TransientModel):
    """Start one referral per chosen program for a seeker."""

    _name = "care.referral.start"
    _description = "Start a Referral"

    seeker_id = fields.Many2one("res.partner", required=True)
    seeker_zip = fields.Char(related="seeker_id.zip", readonly=False, string="ZIP Code")
    seeker_email = fields.Char(
        related="seeker_id.email", readonly=False, string="E-mail"
    )
    seeker_phone = fields.Char(
        related="seeker_id.phone", readonly=False, string="Phone"
    )
    service_tag_ids = fields.Many2many("care.service.tag", string="Services")
    available_program_ids = fields.Many2many(
        "care.program", compute="_compute_available_program_ids"
    )
    program_ids = fields.Many2many(
        "care.program",
        string="Programs",
        domain="[('id', 'in', available_program_ids)]",
    )
    comment = fields.Text(help="What the seeker needs, for the program's staff.")
    mode = fields.Selection(
        [("live", "Live: send to the program now"), ("logged", "Logged: record only")],
        default="live",
        required=True,
    )
    consent = fields.Boolean(
        string="The seeker consents to share their details with the programs",
    )
    goal_choice = fields.Selection(
        [("none", "No goal"), ("existing", "Existing goal"), ("new", "New goal")],
        default="none",
        required=True,
    )
    goal_id = fields.Many2one("care.goal", domain="[('seeker_id', '=', seeker_id)]")
    new_goal_name = fields.Char(string="New Goal")
    team_id = fields.Many2one(
        "care.team", default=lambda self: self.env["care.referral"]._default_team()
    )

    @api.depends("seeker_zip", "service_tag_ids")
    def _compute_available_program_ids(self):
        Program = self.env["care.program"]
        for wizard in self:
            wizard.available_program_ids = Program.programs_for_zip(
                wizard.seeker_zip, wizard.service_tag_ids
            )

    def _goal(self):
        if self.goal_choice == "existing":
            return self.goal_id
        if self.goal_choice == "new":
            if not (self.new_goal_name or "").strip():
                raise UserError(self.env._("Name the new goal."))
            return self.env["care.goal"].create(
                {"name": self.new_goal_name.strip(), "seeker_id": self.seeker_id.id}
            )
        return self.env["care.goal"]

    def action_create_referrals(self):
        self.ensure_one()
        if not self.program_ids:
            raise UserError(self.env._("Choose at least one program."))
        if self.mode == "live" and not self.consent:
            raise UserError(
                self.env._(
                    "A live referral needs the seeker's consent to share their details."
                )
            )
        goal = self._goal()
        referrals = self.env["care.referral"].create(
            [
                {
                    "seeker_id": self.seeker_id.id,
                    "program_id": program.id,
                    "comment": self.comment,
                    "mode": self.mode,
                    "consent": self.consent,
                    "goal_id": goal.id,
                    "team_id": self.team_id.id,
                }
                for program in self.program_ids
            ]
        )
        if self.mode == "live":
            referrals.set_state("sent")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "care_network.action_care_referral_outbound"
        )
        if len(referrals) == 1:
            action.update(
                {
                    "view_mode": "form",
                    "views": [(False, "form")],
                    "res_id": referrals.id,
                }
            )
        else:
            action["domain"] = [("id", "in", referrals.ids)]
        return action
