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
