from odoo import api, models
from odoo.osv import expression


class CarePortalSeekerMixin(models.AbstractModel):
    """Records of a seeker (``seeker_id``) that a portal user sees through the
    portal rule "their own, or those of a client who grants them can view
    referrals on a current relation".

    That rule is an OR with a subquery, which PostgreSQL cannot answer from an
    index: a portal user's search without a narrower domain (an RPC call, a list)
    would check the rule on every row. Their searches also ask for those seekers
    by id, an indexed condition that repeats what the rule allows and so never
    changes a result."""

    _name = "care.portal.seeker.mixin"
    _description = "Care Records Seen Through the Seeker's Circle"

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        seekers = self._care_portal_seekers()
        if seekers is not None:
            domain = expression.AND([domain, [("seeker_id", "in", seekers.ids)]])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    @api.model
    def _care_portal_seekers(self):
        """The seekers whose records the portal rule may show the portal user;
        None for anyone else (staff rules are indexed already)."""
        user = self.env.user
        if self.env.su or not user._is_portal():
            return None
        granting = (
            self.env["care.relation"]
            .sudo()
            .search(
                [
                    ("related_partner_id", "=", user.partner_id.id),
                    ("can_view_referrals", "=", True),
                    ("is_current", "=", True),
                ]
            )
        )
        return user.partner_id | granting.partner_id
