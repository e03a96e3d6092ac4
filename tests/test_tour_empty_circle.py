from odoo.tests import HttpCase, tagged

from .common import tour_care_user


@tagged("post_install", "-at_install")
class TestEmptyCircleTour(HttpCase):
    """A care user opens a client with an empty circle, adds an alternative
    contact from the way in, and picks an existing client for it."""

    def test_empty_circle_to_an_existing_client(self):
        tour_care_user(self.env)
        Partner = self.env["res.partner"]
        client = Partner.create({"name": "Ezra Empty", "is_care_client": True})
        carla = Partner.create({"name": "Carla Client", "is_care_client": True})
        partners = Partner.search_count([])

        self.start_tour("/odoo", "care_network_empty_circle", login="tour_care_user")

        self.assertEqual(Partner.search_count([]), partners, "no duplicate of Carla")
        relation = client.care_relation_ids
        self.assertEqual(relation.related_partner_id, carla)
        self.assertEqual(relation.contact_kind, "alternative")
        self.assertEqual(
            relation.type_id,
            self.env.ref("care_network.relation_type_emergency_contact"),
        )

    def test_unsaved_client_is_saved_then_its_circle_shows_the_row(self):
        tour_care_user(self.env)
        Partner = self.env["res.partner"]
        lars = Partner.create({"name": "Lars Linked", "is_care_client": True})

        self.start_tour(
            "/odoo/action-care_network.action_care_clients/new",
            "care_network_new_client_circle",
            login="tour_care_user",
        )

        client = Partner.search([("name", "=", "Una Unsaved")])
        self.assertEqual(len(client), 1, "saved once, by the button")
        self.assertTrue(client.is_care_client)
        relation = client.care_relation_ids
        self.assertEqual(relation.related_partner_id, lars)
        self.assertEqual(relation.contact_kind, "linked")
        self.assertEqual(
            relation.type_id, self.env.ref("care_network.relation_type_sibling")
        )
