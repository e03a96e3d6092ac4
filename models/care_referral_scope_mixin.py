from odoo import api, models


class CareReferralScopeMixin(models.AbstractModel):
    """Teams and programs whose members the referral rules list by id
    (``res.users.care_sharing_team_ids`` / ``care_claimed_program_ids``). Odoo
    caches a rule's domain per user: a change of who is in them clears it."""

    _name = "care.referral.scope.mixin"
    _description = "Care Referral Rule Scope"

    # The fields that decide who a record puts in a user's referral scope.
    _care_scope_fields = ()

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if any(set(vals) & set(self._care_scope_fields) for vals in vals_list):
            self.env.registry.clear_cache()
        return records

    def write(self, vals):
        result = super().write(vals)
        if set(vals) & set(self._care_scope_fields):
            self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result
