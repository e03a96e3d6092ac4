from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_foreign_keys(self, src_partners, dst_partner):
        (src_partners | dst_partner).with_env(self.env)._care_check_merge()
        # A reminder row is the proof that a member was reminded once per event
        # time: where the kept partner has one, the merged partner's is redundant
        # (left in place, it would make Odoo's update fail and delete them all).
        self.env["care.reminder"].sudo()._care_drop_merge_conflicts(
            src_partners, dst_partner
        )
        result = super()._update_foreign_keys(src_partners, dst_partner)
        Relation = self.env["care.relation"].sudo()
        Relation.search(
            [
                "|",
                ("partner_id", "=", dst_partner.id),
                ("related_partner_id", "=", dst_partner.id),
            ]
        )._care_collapse_duplicates()
        return result
