from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.care_network.models.res_partner_ecomap import overlapping

from .common import CareCase, company_b_care_user


@tagged("post_install", "-at_install")
class TestEcomap(CareCase):
    """What the ecomap component receives, read as the user."""

    def data(self, client, user=None, **options):
        return client.with_user(user or self.care_user).care_ecomap_data(**options)

    def circle(self, size):
        client = self.Partner.create(
            {"name": f"Client of {size}", "is_care_client": True}
        )
        people = self.Partner.create(
            [
                {"name": f"Person {index} with a rather long name"}
                for index in range(size)
            ]
        )
        self.Relation.create(
            [
                {
                    "partner_id": client.id,
                    "related_partner_id": person.id,
                    "type_id": (
                        self.type_emergency if index % 3 else self.type_parent
                    ).id,
                    "is_emergency_contact": index == 0,
                }
                for index, person in enumerate(people)
            ]
        )
        return client

    def test_nodes_read_from_the_clients_viewpoint(self):
        ward = self.Partner.create({"name": "Wendy Ward", "is_care_client": True})
        self.relate(ward, self.adult, self.type_sibling)
        self.relate(
            self.adult, self.guardian, self.type_emergency, is_emergency_contact=True
        )
        nodes = {node["name"]: node for node in self.data(self.adult)["nodes"]}
        self.assertEqual(
            nodes["Wendy Ward"]["label"], self.type_sibling.get_inverse_label()
        )
        self.assertEqual(nodes["Gina Guardian"]["label"], "Emergency Contact")
        self.assertEqual(nodes["Gina Guardian"]["group"], "legal")
        self.assertTrue(nodes["Gina Guardian"]["emergency"])
        self.assertTrue(nodes["Wendy Ward"]["linked_account"], "a client of her own")
        self.assertEqual(nodes["Wendy Ward"]["group"], "family")
        self.assertEqual(
            nodes["Gina Guardian"]["title"], "Gina Guardian: Emergency Contact"
        )

    def test_ended_relations_show_when_asked(self):
        self.relate(
            self.adult,
            self.other_parent,
            self.type_parent,
            date_start="2010-01-01",
            date_end="2012-01-01",
        )
        self.assertFalse(self.data(self.adult)["nodes"])
        [past] = self.data(self.adult, show_past=True)["nodes"]
        self.assertFalse(past["current"])

    def test_organisations_members_one_level_further(self):
        family = self.Partner.create(
            {"name": "Ada's Family", "is_company": True, "care_group_kind": "family"}
        )
        self.relate(self.adult, family, self.type_member)
        self.relate(self.minor, family, self.type_member)
        self.assertFalse(self.data(self.adult)["organisations"])
        [member] = self.data(self.adult, show_organisations=True)["organisations"]
        self.assertEqual(
            (member["organisation_id"], member["name"]), (family.id, "Mia Minor")
        )

    def test_sixty_relations_stay_readable(self):
        data = self.data(self.circle(60))
        nodes = data["nodes"]
        self.assertEqual(len(nodes), 60)
        self.assertFalse(overlapping([(node["x"], node["y"]) for node in nodes]))
        for node in nodes:
            self.assertLessEqual(len(node["short_name"]), 22)
            self.assertIn(node["name"], node["title"], "the full text on hover")
        self.assertGreater(data["size"], 2 * max(abs(node["x"]) for node in nodes))

    def test_a_bounded_number_of_queries_whatever_the_size(self):
        self.data(self.circle(1), show_organisations=True)  # warm the rule caches
        counts = []
        for client in (self.circle(5), self.circle(60)):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.data(client, show_organisations=True)
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1], counts)

    def test_a_company_b_user_sees_nothing_of_company_a(self):
        company_a = self.env.company
        user_b = company_b_care_user(self.env, "care_user_b")
        client_a = self.Partner.create(
            {"name": "Client A", "is_care_client": True, "company_id": company_a.id}
        )
        self.relate(client_a, self.guardian, self.type_emergency)
        with self.assertRaises(AccessError):
            self.data(client_a, user_b)
        shared = self.Partner.create({"name": "Shared Client", "is_care_client": True})
        self.relate(shared, self.guardian, self.type_emergency, company_id=company_a.id)
        self.assertEqual(len(self.data(shared)["nodes"]), 1)
        self.assertFalse(
            self.data(shared, user_b)["nodes"], "company A's relation hidden"
        )

    def test_the_export_and_the_printed_ecomap(self):
        self.relate(self.adult, self.guardian, self.type_emergency)
        exported = self.adult._care_data()["ecomap"]
        self.assertEqual(
            [node["name"] for node in exported["nodes"]], ["Gina Guardian"]
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "care_network.action_report_care_ecomap", self.adult.ids
            )[0]
            .decode()
        )
        self.assertIn("<svg", html)
        self.assertIn("Gina Guardian", html)
        pdf = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("care_network.action_report_care_ecomap", self.adult.ids)[
                0
            ]
        )
        self.assertTrue(pdf.startswith(b"%PDF"))
