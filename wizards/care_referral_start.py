from odoo import api, fields, models
from odoo.exceptions import UserError


class CareReferralStart(models.TransientModel):
    """Start one referral per chosen program for a seeker."""

    _name = "care.referral.start"
    _description = "Start a Referral"

    seeker_id = fields.Many2one("res.partner", required=True)
    # What the programs need to know of the seeker, filled from their profile and
    # written back to it when corrected here.
    seeker_name = fields.Char(related="seeker_id.name", readonly=False, string="Name")
    seeker_birthdate = fields.Date(
        related="seeker_id.birthdate", readonly=False, string="Birthdate"
    )
    seeker_street = fields.Char(
        related="seeker_id.street", readonly=False, string="Street"
    )
    seeker_street2 = fields.Char(
        related="seeker_id.street2", readonly=False, string="Street 2"
    )
    seeker_city = fields.Char(related="seeker_id.city", readonly=False, string="City")
    seeker_state_id = fields.Many2one(
        related="seeker_id.state_id", readonly=False, string="State"
    )
    seeker_country_id = fields.Many2one(
        related="seeker_id.country_id", readonly=False, string="Country"
    )
    seeker_zip = fields.Char(related="seeker_id.zip", readonly=False, string="ZIP Code")
    seeker_email = fields.Char(
        related="seeker_id.email", readonly=False, string="E-mail"
    )
    seeker_phone = fields.Char(
        related="seeker_id.phone", readonly=False, string="Phone"
    )
    seeker_mobile = fields.Char(
        related="seeker_id.mobile", readonly=False, string="Mobile"
    )
    seeker_lang = fields.Selection(
        related="seeker_id.lang", readonly=False, string="Language"
    )
    seeker_contact_preference = fields.Selection(
        related="seeker_id.care_contact_preference",
        readonly=False,
        string="Contact Preference",
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
