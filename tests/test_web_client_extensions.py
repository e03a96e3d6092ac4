import re
from pathlib import Path

from lxml import etree

from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools.misc import file_path

ADDON = Path(file_path("care_network"))
ODOO_CONTROLLERS = ("FormController", "ListController", "KanbanController")
REFERRAL_JS_CLASSES = {
    "form": "care_referral_form",
    "list": "care_referral_list",
    "kanban": "care_referral_kanban",
}


@tagged("post_install", "-at_install")
class TestWebClientExtensions(TransactionCase):
    """The addon extends Odoo's web client through views of its own
    (js_class), never by patching Odoo's controllers for every model; its
    models never read the HTTP request."""

    def addon_files(self, folder, suffix):
        return sorted((ADDON / folder).rglob(f"*{suffix}"))

    def test_no_global_patch_of_odoos_view_controllers(self):
        patched = re.compile(r"patch\(\s*(%s)\b" % "|".join(ODOO_CONTROLLERS))
        for path in self.addon_files("static", ".js"):
            source = path.read_text()
            self.assertFalse(
                patched.search(source),
                f"{path.relative_to(ADDON)} patches one of Odoo's view controllers",
            )

    def test_every_referral_view_follows_the_moves_live(self):
        views = self.env["ir.ui.view"].search(
            [
                ("model", "=", "care.referral"),
                ("type", "in", list(REFERRAL_JS_CLASSES)),
                ("mode", "=", "primary"),
            ]
        )
        self.assertEqual(
            set(views.mapped("type")), set(REFERRAL_JS_CLASSES), "each kind is there"
        )
        for view in views:
            arch = etree.fromstring(view.get_combined_arch())
            self.assertEqual(
                arch.get("js_class"), REFERRAL_JS_CLASSES[view.type], view.xml_id
            )

    def test_the_inviting_forms_open_the_dialog_after_a_save(self):
        for xmlid in (
            "base.view_partner_form",
            "care_network.res_partner_view_form_care_group",
            "care_network.care_relation_view_form",
        ):
            arch = etree.fromstring(self.env.ref(xmlid).get_combined_arch())
            self.assertEqual(arch.get("js_class"), "care_invitation_form", xmlid)

    def test_each_js_class_of_the_addon_is_registered(self):
        registered = set()
        for path in self.addon_files("static/src", ".js"):
            registered.update(
                re.findall(
                    r'category\("views"\)\.add\(\s*"(\w+)"|views\.add\(\s*"(\w+)"',
                    path.read_text(),
                )
            )
        names = {name for pair in registered for name in pair if name}
        for path in self.addon_files("views", ".xml"):
            for js_class in re.findall(r'js_class[">\s=]+"?(\w+)', path.read_text()):
                if js_class.startswith("care_"):
                    self.assertIn(js_class, names, path.name)

    def test_live_reloads_only_in_the_referral_views(self):
        for path in self.addon_files("static/src", ".js"):
            if "useLiveReferrals(" not in path.read_text():
                continue
            self.assertIn(path.name, ("referral_live_service.js", "referral_views.js"))

    def test_no_model_reads_the_http_request(self):
        for folder in ("models", "wizards"):
            for path in self.addon_files(folder, ".py"):
                source = path.read_text()
                self.assertNotRegex(
                    source,
                    r"from odoo\.http import|import odoo\.http|odoo\.http\.request"
                    r"|from odoo import[^\n]*\bhttp\b",
                    f"{path.relative_to(ADDON)} reads the HTTP request",
                )


@tagged("post_install", "-at_install")
class TestWebClientExtensionTours(HttpCase):
    def test_a_relation_saved_with_send_invite_opens_the_dialog(self):
        new_test_user(
            self.env, login="tour_care_user", groups="care_network.group_care_user"
        )
        Partner = self.env["res.partner"]
        Partner.create(
            {
                "name": "Cora Save",
                "email": "cora.save@example.com",
                "is_care_client": True,
            }
        )
        person = Partner.create({"name": "Nora Save", "email": "nora.save@example.com"})
        self.start_tour(
            "/odoo/action-care_network.action_care_relation/new",
            "care_network_relation_invite_after_save",
            login="tour_care_user",
        )
        relation = self.env["care.relation"].search(
            [("related_partner_id", "=", person.id)]
        )
        self.assertFalse(relation.pending_portal_invitation, "nothing left pending")
        self.assertEqual(person._care_portal_state(), "portal")
