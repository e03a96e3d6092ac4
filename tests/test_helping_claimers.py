from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common_referral import ReferralCase

HELPING_ACTION = "care_network.action_care_people_helping"


@tagged("post_install", "-at_install")
class TestHelpingClaimers(ReferralCase):
    """People I'm Helping as a program claimer: the seekers of the referrals their
    programs received, Inbound apart from Outbound."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Sparse: a seeker typed in with a name and nothing else.
        cls.nia = cls.Partner.create({"name": "Nia Nameonly"})
        cls.received = cls.make_referral(seeker=cls.nia)  # to Clara's program
        cls.received.set_state("sent")
        # Hana's referral to a program nobody claims: Outbound for her only.
        cls.unclaimed = cls.make_referral(
            seeker=cls.adult, program_id=cls.far_program.id
        )
        cls.unclaimed.set_state("sent")
        # A draft to Clara's program has not been received yet.
        cls.dora = cls.Partner.create({"name": "Dora Draft", "is_care_client": True})
        cls.draft = cls.make_referral(seeker=cls.dora)
        # Another program and its own claimer.
        cls.rival = new_test_user(
            cls.env,
            login="rival_claimer",
            name="Rex Rival",
            groups="care_network.group_care_user",
        )
        cls.rival_program = cls.env["care.program"].create(
            {
                "name": "Night Shelter",
                "provider_id": cls.provider.id,
                "claimer_user_ids": [Command.set(cls.rival.ids)],
            }
        )
        cls.ravi = cls.Partner.create({"name": "Ravi Rival", "is_care_client": True})
        cls.rival_referral = cls.make_referral(
            seeker=cls.ravi, program_id=cls.rival_program.id
        )
        cls.rival_referral.set_state("sent")

    def helped(self, user, fname="care_helped_by_me", value=True):
        return self.Partner.with_user(user).search([(fname, "=", value)])

    def test_claimer_sees_their_programs_seekers_under_inbound(self):
        self.assertEqual(self.helped(self.claimer), self.nia)
        self.assertEqual(self.helped(self.claimer, "care_helped_inbound"), self.nia)
        self.assertFalse(self.helped(self.claimer, "care_helped_outbound"))
        nia = self.nia.with_user(self.claimer)
        self.assertTrue(nia.care_helped_by_me)
        self.assertTrue(nia.care_helped_inbound)
        self.assertFalse(nia.care_helped_outbound)
        self.assertNotIn(self.dora, self.helped(self.claimer), "a draft is not sent")

    def test_helpers_seekers_are_outbound_not_inbound(self):
        outbound = self.helped(self.helper, "care_helped_outbound")
        self.assertEqual(outbound, self.nia | self.adult | self.dora | self.ravi)
        self.assertFalse(self.helped(self.helper, "care_helped_inbound"))
        self.assertEqual(self.helped(self.helper), outbound)
        adult = self.adult.with_user(self.helper)
        self.assertTrue(adult.care_helped_outbound)
        self.assertFalse(adult.care_helped_inbound)

    def test_a_claimer_who_refers_has_both_sides(self):
        own = (
            self.env["care.referral"]
            .with_user(self.claimer)
            .create(
                {
                    "seeker_id": self.dora.id,
                    "program_id": self.far_program.id,
                    "consent": True,
                }
            )
        )
        self.assertEqual(self.helped(self.claimer, "care_helped_outbound"), self.dora)
        self.assertEqual(self.helped(self.claimer, "care_helped_inbound"), self.nia)
        self.assertEqual(self.helped(self.claimer), self.nia | self.dora)
        self.assertEqual(own.seeker_id, self.dora)

    def test_neither_helper_nor_claimer_sees_nobody(self):
        for fname in (
            "care_helped_by_me",
            "care_helped_inbound",
            "care_helped_outbound",
        ):
            self.assertFalse(self.helped(self.other_user, fname), fname)

    def test_another_programs_claimer_sees_only_their_own(self):
        self.assertEqual(self.helped(self.rival), self.ravi)
        self.assertEqual(self.helped(self.rival, "care_helped_inbound"), self.ravi)
        self.assertNotIn(self.ravi, self.helped(self.claimer))
        self.assertNotIn(self.nia, self.helped(self.rival))
        Referral = self.env["care.referral"].with_user(self.claimer)
        self.assertFalse(Referral.search([("seeker_id", "=", self.ravi.id)]))
        with self.assertRaises(AccessError):
            self.rival_referral.with_user(self.claimer).check_access("read")

    def test_not_set_is_the_rest(self):
        not_inbound = self.helped(self.claimer, "care_helped_inbound", False)
        self.assertNotIn(self.nia, not_inbound)
        self.assertIn(self.adult, not_inbound)
        not_outbound = self.Partner.with_user(self.claimer).search(
            [("care_helped_outbound", "!=", True)]
        )
        self.assertIn(self.nia, not_outbound)
        self.assertNotIn(
            self.nia, self.helped(self.claimer, "care_helped_by_me", False)
        )

    def test_counters_on_a_claimers_row(self):
        nia = self.nia.with_user(self.claimer)
        self.assertEqual(nia.care_open_referral_count, 1)
        self.assertEqual(nia.care_last_referral_move, self.received.last_move_date)
        self.assertFalse(nia.care_referral_attention)
        self.received.needs_attention = True
        nia.invalidate_recordset()
        self.assertTrue(nia.care_referral_attention)
        attention = self.Partner.with_user(self.claimer).search(
            [("care_helped_inbound", "=", True), ("care_referral_attention", "=", True)]
        )
        self.assertEqual(attention, self.nia)
        self.received.with_user(self.claimer).set_state("accepted")
        self.received.with_user(self.claimer).set_state(
            "rejected", outcome="no_capacity"
        )
        nia.invalidate_recordset()
        self.assertEqual(nia.care_open_referral_count, 0)
        self.assertFalse(nia.care_last_referral_move, "the last move of open ones")
        self.assertEqual(
            self.helped(self.claimer, "care_helped_inbound"),
            self.nia,
            "the Inbound board keeps closed referrals too",
        )

    def test_the_rows_inbound_button_opens_the_board(self):
        action = self.nia.with_user(self.claimer).action_view_care_inbound()
        Referral = self.env["care.referral"].with_user(self.claimer)
        self.assertEqual(Referral.search(action["domain"]), self.received)

    def test_archived_program_follows_the_referral_rules(self):
        """Whatever the referral rules let the claimer read of their Inbound board
        after the program is archived, the list says the same."""
        self.program.active = False
        self.env.registry.clear_cache()
        board = self.env["ir.actions.act_window"]._for_xml_id(
            "care_network.action_care_referral_inbound"
        )
        readable = (
            self.env["care.referral"]
            .with_user(self.claimer)
            .search(safe_eval(board["domain"], {"uid": self.claimer.id}))
        )
        self.assertEqual(readable, self.received, "archived, still the claimer's work")
        self.assertEqual(
            self.helped(self.claimer, "care_helped_inbound"), readable.seeker_id
        )

    def test_the_web_clients_search_with_the_filters(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(HELPING_ACTION)
        Partner = self.Partner.with_user(self.claimer)
        views = Partner.get_views(
            [(view_id, mode) for view_id, mode in action["views"]]
            + [(action["search_view_id"][0], "search")]
        )["views"]
        search = etree.fromstring(views["search"]["arch"])
        eval_context = {"uid": self.claimer.id}
        filters = {
            node.get("name"): safe_eval(node.get("domain"), eval_context)
            for node in search.iter("filter")
            if node.get("domain")
        }
        self.assertFalse(
            safe_eval(action.get("context") or "{}", eval_context).get(
                "search_default_inbound"
            ),
            "the default stays the whole list",
        )
        # Inbound and Outbound are one group: ticking both ORs them.
        names = [node.get("name") or node.tag for node in search]
        self.assertEqual(names.index("outbound"), names.index("inbound") + 1)
        list_arch = etree.fromstring(views["list"]["arch"])
        specification = {
            node.get("name"): (
                {"fields": {"display_name": {}}}
                if Partner._fields[node.get("name")].relational
                else {}
            )
            for node in list_arch.iter("field")
        }
        context = {
            **safe_eval(action.get("context") or "{}", eval_context),
            "bin_size": True,
        }
        base = safe_eval(action["domain"], eval_context)

        def rows(*domains):
            result = Partner.with_context(**context).web_search_read(
                [*base, *[term for domain in domains for term in domain]],
                specification,
                order="name",
            )
            return result["records"]

        [row] = rows()
        self.assertEqual(row["id"], self.nia.id)
        self.assertEqual(row["care_open_referral_count"], 1)
        self.assertTrue(row["care_helped_inbound"])
        self.assertFalse(row["care_helped_outbound"])
        self.assertFalse(row["email"])
        self.assertEqual([r["id"] for r in rows(filters["inbound"])], self.nia.ids)
        self.assertFalse(rows(filters["outbound"]))
        either = ["|", *filters["inbound"], *filters["outbound"]]
        self.assertEqual([r["id"] for r in rows(either)], self.nia.ids)

    def test_unsupported_operators_are_user_errors(self):
        Partner = self.Partner.with_user(self.claimer)
        for fname in ("care_helped_inbound", "care_helped_outbound"):
            for operator, value in (("in", [1, 2]), ("=", 1), ("ilike", "x")):
                with self.assertRaisesRegex(
                    UserError, "can only be searched as set or not set"
                ):
                    Partner.search([(fname, operator, value)])
            Partner.search([(fname, "!=", False)])
