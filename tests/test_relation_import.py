from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import CareCase

JOB_MODULE = "odoo.addons.care_network.models.care_relation_import_job"


@tagged("post_install", "-at_install")
class TestImportWithoutPartnerMultiRelation(CareCase):
    """These suites run without partner_multi_relation (tools/pmr_check.py runs
    the import beside it): the menu hides and the import refuses, clearly."""

    def test_the_menu_shows_only_with_the_addon(self):
        self.assertNotIn("res.partner.relation", self.env)
        menu = self.env.ref("care_network.menu_relation_import")
        Menu = self.env["ir.ui.menu"].with_user(self.care_manager)
        self.assertIn(menu.id, Menu._load_menus_blacklist())
        self.assertNotIn(menu.id, Menu.load_menus(debug=False))

    def test_the_import_refuses_without_the_addon(self):
        wizard = (
            self.env["care.relation.import"].with_user(self.care_manager).create({})
        )
        self.assertFalse(wizard.line_ids)
        with self.assertRaisesRegex(
            UserError, "partner_multi_relation is not installed"
        ):
            wizard.action_import()


class Killed(BaseException):
    """A worker killed mid-batch (a time limit, a restart): nothing of the batch
    is committed, and no ``except Exception`` sees it."""


@tagged("post_install", "-at_install")
class TestImportInTheBackground(CareCase):
    """The import's run copies committed batches from where it stopped. The
    source (partner_multi_relation's table, absent from these suites) is a list
    here; tools/pmr_check.py runs it on the real addon."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        person = cls.Partner.create
        cls.kids = [person({"name": f"Kid {n}", "is_care_client": True}) for n in "123"]
        cls.parents = [person({"name": f"Parent {n}"}) for n in "123"]
        # (id, left, right, source type): 1 "Has parent" (the client is left),
        # 2 "Is employee of" (left), 3 "is parent of" (right).
        kid1, kid2, kid3 = cls.kids
        par1, par2, par3 = cls.parents
        cls.source = [
            {"id": 11, "left": kid1.id, "right": par1.id, "type": 1},
            {"id": 12, "left": kid2.id, "right": par2.id, "type": 1},
            {"id": 13, "left": kid3.id, "right": kid3.id, "type": 1},
            {"id": 14, "left": kid1.id, "right": cls.employer.id, "type": 2},
            {"id": 15, "left": par3.id, "right": kid3.id, "type": 3},
        ]
        for row in cls.source:
            row.update(date_start=False, date_end=False)
        cls.type_map = {
            "1": [cls.type_parent.id, True],
            "2": [cls.type_employer.id, True],
            "3": [cls.type_parent.id, False],
        }
        Job = cls.registry["care.relation.import.job"]
        source = cls.source

        def rows(self, after_id, limit):
            return [row for row in source if row["id"] > after_id][:limit]

        def count(self, after_id=0):
            return len(rows(self, after_id, len(source)))

        cls.startClassPatcher(patch.object(Job, "_source_rows", rows))
        cls.startClassPatcher(patch.object(Job, "_source_count", count))
        cls.startClassPatcher(patch(f"{JOB_MODULE}.BATCH_SIZE", 2))

    def start(self):
        # As the wizard does: the addon writes runs, a manager reads their own.
        job = (
            self.env["care.relation.import.job"]
            .sudo()
            .create(
                {
                    "user_id": self.care_manager.id,
                    "type_map": self.type_map,
                    "types_reused": 3,
                }
            )
        )
        job._start()
        return job.with_user(self.care_manager)

    def run_cron(self):
        self.env["care.relation.import.job"]._cron_run(budget=0)

    def imported(self):
        return self.Relation.search([("import_ref", "like", "partner_multi_relation:")])

    def test_batches_copy_each_relation_once_from_the_clients_side(self):
        cron = self.env.ref("care_network.ir_cron_care_relation_import")
        job = self.start()
        self.assertEqual((job.state, job.total), ("queued", 5))
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]),
            "starting wakes the cron up",
        )
        self.run_cron()
        self.assertEqual(
            (job.state, job.done_count, job.last_source_id), ("running", 2, 12)
        )
        self.assertEqual(job.progress, 40.0)
        self.run_cron()
        self.run_cron()
        self.assertEqual(job.state, "done")
        self.assertEqual(
            (job.copied_count, job.already_count, job.skipped_count), (4, 0, 1)
        )
        kid1, _kid2, kid3 = self.kids
        self.assertEqual(
            sorted(
                (r.related_partner_id.name, r.type_id.name)
                for r in kid1.care_relation_ids
            ),
            [("Acme Works", "Employer"), ("Parent 1", "Parent")],
        )
        self.assertEqual(kid3.care_relation_ids.related_partner_id, self.parents[2])
        self.assertIn("Skipped 1: a partner related to itself.", job.summary)
        note = job.message_ids.filtered(lambda m: "4 copied" in (m.body or ""))
        self.assertIn(
            self.care_manager.partner_id, note.partner_ids, "the starter is told"
        )

        again = self.start()
        for _call in range(3):
            self.run_cron()
        self.assertEqual(
            (again.state, again.copied_count, again.already_count), ("done", 0, 4)
        )
        self.assertEqual(len(self.imported()), 4, "nothing copied twice")

    def test_a_run_killed_mid_batch_resumes_where_it_stopped(self):
        job = self.start()
        self.run_cron()  # batch 1 committed: 11, 12
        Job = self.registry["care.relation.import.job"]
        create_batch = Job._create_batch

        def create_then_die(self, vals_list, outcome):
            create_batch(self, vals_list, outcome)
            raise Killed()

        with (
            patch.object(Job, "_create_batch", create_then_die),
            self.assertRaises(Killed),
            self.env.cr.savepoint(),
        ):
            self.run_cron()  # batch 2 (13, 14): undone as a killed worker's
        self.env.invalidate_all()
        self.assertEqual(
            (job.state, job.done_count, job.last_source_id), ("running", 2, 12)
        )
        self.assertEqual(len(self.imported()), 2)

        self.run_cron()
        self.run_cron()
        self.assertEqual(job.state, "done")
        self.assertEqual((job.copied_count, job.skipped_count), (4, 1))
        self.assertEqual(
            sorted(self.imported().mapped("import_ref")),
            [f"partner_multi_relation:{n}" for n in (11, 12, 14, 15)],
        )

    def test_a_batch_failing_again_and_again_stops_the_run_and_says_why(self):
        job = self.start()
        Job = self.registry["care.relation.import.job"]

        def broken(self, rows, types, skipped):
            raise ValueError("the source table is locked")

        with patch.object(Job, "_copy_batch", broken), mute_logger(JOB_MODULE):
            self.run_cron()
            self.assertEqual((job.state, job.failure_count), ("running", 1))
            self.run_cron()
            self.run_cron()
        self.assertEqual(job.state, "failed")
        self.assertFalse(self.imported(), "a failed batch leaves nothing")
        self.assertIn("ValueError", job.summary)
        self.assertNotIn("the source table is locked", job.summary, "no message text")
        self.assertTrue(
            job.message_ids.filtered(lambda m: "Stopped after 3" in (m.body or ""))
        )

    def test_managers_cannot_forge_a_run_or_read_anothers(self):
        """Over RPC a manager could otherwise choose whom the cron runs as (the
        superuser) and what it copies: runs are the addon's to write."""
        Job = self.env["care.relation.import.job"].with_user(self.care_manager)
        with self.assertRaises(AccessError):
            Job.create({"user_id": 1, "type_map": self.type_map})
        job = self.start()
        with self.assertRaises(AccessError):
            job.write({"state": "queued", "last_source_id": 0})
        other = new_test_user(
            self.env, login="other_manager", groups="care_network.group_care_manager"
        )
        self.assertFalse(Job.with_user(other).search([("id", "=", job.id)]))
        with self.assertRaises(AccessError):
            job.with_user(other).read(["summary"])

    def test_a_run_whose_starter_is_no_manager_copies_nothing(self):
        for starter in (self.env.ref("base.user_root"), self.care_user):
            with self.subTest(starter=starter.login):
                job = self.start().sudo()
                job.user_id = starter
                self.run_cron()
                self.assertEqual(job.state, "failed")
                self.assertIn("Only an active care manager", job.summary)
                self.assertFalse(self.imported())

    def test_a_type_added_after_the_start_is_skipped_and_said(self):
        self.type_map = {
            key: value for key, value in self.type_map.items() if key != "3"
        }
        job = self.start()
        for _call in range(3):
            self.run_cron()
        self.assertEqual(
            (job.state, job.copied_count, job.skipped_count), ("done", 3, 2)
        )
        self.assertIn(
            "Skipped 1: a relation type added since the run started.", job.summary
        )

    def test_care_users_cannot_see_or_start_runs(self):
        job = self.start()
        with self.assertRaises(AccessError):
            job.with_user(self.care_user).read(["state"])
        with self.assertRaises(AccessError):
            self.env["care.relation.import.job"].with_user(self.care_user).create({})


@tagged("post_install", "-at_install")
class TestImportProposals(CareCase):
    """partner_multi_relation's labels ("left <name> right") propose the care
    type that means the same, read from the right side."""

    def propose(self, name, inverse):
        Import = self.env["care.relation.import"]
        care_types = self.env["care.relation.type"].search([])
        care_type, client_is_left = Import._propose(care_types, name, inverse)
        return care_type.name or None, client_is_left

    def test_labels_naming_a_role_propose_its_type(self):
        cases = {
            ("Has parent", "Is parent of"): ("Parent", True),
            ("is parent of", "is child of"): ("Parent", False),
            ("is child of", "is parent of"): ("Parent", True),
            ("Is employee of", "Has employee"): ("Employer", True),
            ("is employer of", "is employee of"): ("Employer", False),
            ("Has emergency contact", "Is emergency contact of"): (
                "Emergency Contact",
                True,
            ),
            ("is sibling of", "is sibling of"): ("Sibling", False),
            ("Is neighbour of", "Has neighbour"): (None, False),
        }
        for labels, expected in cases.items():
            with self.subTest(labels=labels):
                self.assertEqual(self.propose(*labels), expected)

    def test_a_type_copied_before_is_proposed_again(self):
        copied = self.env["care.relation.type"].create(
            {"name": "Is neighbour of", "inverse_name": "Has neighbour"}
        )
        self.assertEqual(
            self.propose("Is neighbour of", "Has neighbour"), (copied.name, False)
        )

    def test_a_new_type_reads_from_the_clients_side(self):
        wizard = (
            self.env["care.relation.import"]
            .with_user(self.care_manager)
            .create(
                {
                    "line_ids": [
                        Command.create(
                            {
                                "source_type_ref": 7,
                                "source_name": "Has neighbour",
                                "source_name_inverse": "Is neighbour of",
                                "partner_kind": "any",
                                "related_kind": "person",
                                "client_side": "left",
                            }
                        )
                    ]
                }
            )
        )
        care_type = wizard.line_ids._target_type()
        self.assertEqual(
            (
                care_type.name,
                care_type.inverse_name,
                care_type.partner_kind,
                care_type.related_kind,
            ),
            ("Is neighbour of", "Has neighbour", "person", "any"),
        )
        self.assertTrue(wizard.line_ids.created_type)
