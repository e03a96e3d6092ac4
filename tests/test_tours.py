from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestTours(HttpCase):
    def test_care_user_opens_app(self):
        new_test_user(
            self.env, login="tour_care_user", groups="care_network.group_care_user"
        )
        self.start_tour("/odoo", "care_network_open_app", login="tour_care_user")
