"""18.0.1.5.0: history rows of notes keep the chatter message they copy (its
visibility, its deletion). Rows written before get their message back, so that a
staff-only note copied earlier leaves the portal too; a row whose message cannot
be found any more is staff-only."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["care.referral.status.log"]._care_link_notes_to_messages()
