from odoo import Command
from odoo.tests import new_test_user

from ..models.care_referral import _SET_STATE
from .common import CareCase


class ReferralCase(CareCase):
    """Programs, teams, staff and portal personas around referrals."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["mail.mail"].search([]).unlink()
        user_group = "care_network.group_care_user"
        cls.helper = new_test_user(
            cls.env,
            login="helper",
            name="Hana Helper",
            email="hana@example.com",
            groups=user_group,
        )
        cls.teammate = new_test_user(
            cls.env, login="teammate", name="Tom Teammate", groups=user_group
        )
        cls.loner = new_test_user(
            cls.env, login="loner", name="Lou Loner", groups=user_group
        )
        cls.claimer = new_test_user(
            cls.env,
            login="claimer",
            name="Clara Claimer",
            email="clara@example.com",
            groups=user_group,
        )
        cls.other_user = new_test_user(
            cls.env, login="other_user", name="Otto Other", groups=user_group
        )
        cls.sharing_team = cls.env["care.team"].create(
            {
                "name": "Sharing Navigators",
                "share_referrals": True,
                "member_user_ids": [Command.set((cls.helper | cls.teammate).ids)],
            }
        )
        cls.private_team = cls.env["care.team"].create(
            {
                "name": "Private Navigators",
                "share_referrals": False,
                "member_user_ids": [Command.set((cls.helper | cls.loner).ids)],
            }
        )
        cls.provider = cls.Partner.create(
            {"name": "Harvest Food Bank", "is_company": True}
        )
        cls.tag_food = cls.env["care.service.tag"].create({"name": "Test Food"})
        cls.tag_housing = cls.env["care.service.tag"].create({"name": "Test Housing"})
        cls.program = cls.env["care.program"].create(
            {
                "name": "Weekly Groceries",
                "provider_id": cls.provider.id,
                "zip_codes": "10001, 112*",
                "service_tag_ids": [Command.set(cls.tag_food.ids)],
                "claimer_user_ids": [Command.set(cls.claimer.ids)],
            }
        )
        cls.far_program = cls.env["care.program"].create(
            {
                "name": "Beach Housing",
                "provider_id": cls.provider.id,
                "zip_codes": "90210",
                "service_tag_ids": [Command.set(cls.tag_housing.ids)],
            }
        )
        cls.adult.write({"zip": "10001"})
        cls.seeker_user = new_test_user(
            cls.env,
            login="seeker",
            name="Sam Seeker",
            email="sam@example.com",
            groups="base.group_portal",
        )
        cls.seeker = cls.seeker_user.partner_id
        cls.seeker.write({"is_care_client": True, "zip": "11215"})
        cls.guardian_user = new_test_user(
            cls.env,
            login="guardian_portal",
            name="Greg Guardian",
            email="greg@example.com",
            groups="base.group_portal",
        )
        cls.responsible_user = new_test_user(
            cls.env,
            login="responsible_portal",
            name="Rita Responsible",
            email="rita@example.com",
            groups="base.group_portal",
        )
        cls.stranger_user = new_test_user(
            cls.env,
            login="stranger_portal",
            name="Stan Stranger",
            groups="base.group_portal",
        )
        cls.relate(cls.seeker, cls.guardian_user.partner_id, cls.type_guardian)
        cls.relate(cls.seeker, cls.responsible_user.partner_id, cls.type_responsible)

    @classmethod
    def make_referral(cls, seeker=None, **values):
        return (
            cls.env["care.referral"]
            .with_user(cls.helper)
            .create(
                {
                    "seeker_id": (seeker or cls.seeker).id,
                    "program_id": cls.program.id,
                    "team_id": cls.sharing_team.id,
                    "consent": True,
                    **values,
                }
            )
            .sudo()
        )

    @staticmethod
    def force_state(referral, state, **values):
        """Set a status (and ``values``) with no move: the move's own sentinel."""
        referral.sudo().with_context(care_set_state=_SET_STATE).write(
            {"state": state, **values}
        )
