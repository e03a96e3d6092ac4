"""18.0.1.7.0: one appointment reminder for the client and the circle of care.

The reminder template now says, to the client or to a circle member, when (in the
client's time zone), where, with whom and how to cancel or reschedule, and names
its recipient (``partner_to``). It is noupdate data: an upgrade does not load it.
A template no one has changed (last written by the superuser, as in
18.0.1.6.0) is loaded again from its data file, its old translations dropped
for the upgrade to load the new ones; one an agency edited keeps its wording
and only gets the recipient, which it did not have.
"""

from lxml import etree

from odoo import SUPERUSER_ID, api
from odoo.tools.convert import xml_import
from odoo.tools.misc import file_path

MODULE = "care_network"
XMLID = "mail_template_circle_reminder"
RECIPIENT = "{{ object.member_id.id }}"


def load_shipped(env, template):
    """Load the template from its data file, as a first install does."""
    path = file_path(template.template_fs or f"{MODULE}/data/mail_template_data.xml")
    for rec in etree.parse(path).xpath("//record[@id = $name]", name=XMLID):
        # "init": an update skips noupdate records; noupdate: it stays so.
        loader = xml_import(
            env, MODULE, {}, mode="init", noupdate=True, xml_filename=path
        )
        loader._tag_record(rec)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    template = env.ref(f"{MODULE}.{XMLID}", raise_if_not_found=False)
    if not template:
        return
    if template.write_uid.id == SUPERUSER_ID:
        load_shipped(env, template)
        # The old wording's translations go: the upgrade then loads the new
        # ones from i18n/ (it fills only missing translations).
        langs = [code for code, _name in env["res.lang"].get_installed()]
        for fname in ("subject", "body_html"):
            template.update_field_translations(
                fname, {lang: False for lang in langs if lang != "en_US"}
            )
    elif not template.partner_to:
        # As its editor, so that it still reads as edited by a person.
        template.with_user(template.write_uid).sudo().partner_to = RECIPIENT
