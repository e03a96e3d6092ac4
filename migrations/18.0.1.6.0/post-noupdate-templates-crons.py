"""18.0.1.6.0: the mail templates and the crons are noupdate data, so that what an
agency changed in them (a reminder's wording, the follow-up schedule) survives the
next upgrade.

The data files now say ``noupdate="1"``: the next ``-u`` no longer loads them over
existing records. The ``ir.model.data`` rows of a database installed before keep
``noupdate=False``, which ``--i18n-overwrite`` (an agency's translated wording) and
the removal of records dropped from the data files still act upon: they are marked
noupdate here, with the server actions behind the crons.

Until now every upgrade loaded the shipped templates again. A template no one has
changed since (last written by an upgrade, as the superuser) is loaded once more
from its data file, as this upgrade would have done: a database upgraded from an
older release gets the wording shipped now (the e-mails' Accept/Decline links).
One a person changed is kept as it is. Crons have kept their shipped values since
they were added and are left as they are.

Runs after the data files are loaded and before the translations, which then leave
the noupdate records' translations alone.
"""

from lxml import etree

from odoo import SUPERUSER_ID, api
from odoo.tools.convert import xml_import
from odoo.tools.misc import file_path

MODULE = "care_network"
MODELS = ("mail.template", "ir.cron")


def legacy_xmlids(env):
    """The addon's templates, crons and the crons' server actions whose external
    ids are still updatable."""
    Data = env["ir.model.data"]
    rows = Data.search(
        [("module", "=", MODULE), ("model", "in", MODELS), ("noupdate", "=", False)]
    )
    crons = (
        env["ir.cron"]
        .browse(rows.filtered(lambda row: row.model == "ir.cron").mapped("res_id"))
        .exists()
    )
    rows |= Data.search(
        [
            ("module", "=", MODULE),
            ("model", "=", "ir.actions.server"),
            ("res_id", "in", crons.ir_actions_server_id.ids),
            ("noupdate", "=", False),
        ]
    )
    return rows


def load_shipped(env, rows):
    """Load the templates of these external ids from their data files, as an
    upgrade did before they were noupdate: the shipped fields written, the
    translations kept as a write keeps them."""
    for row in rows:
        template = env["mail.template"].browse(row.res_id)
        if not template.template_fs:
            continue
        path = file_path(template.template_fs)
        for rec in etree.parse(path).xpath(
            "//record[@id = $name or @id = $xmlid]",
            name=row.name,
            xmlid=f"{MODULE}.{row.name}",
        ):
            loader = xml_import(env, MODULE, {}, mode="update", xml_filename=path)
            loader._tag_record(rec)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    rows = legacy_xmlids(env)
    # Last written by an upgrade (the superuser), never by a person since.
    Template = env["mail.template"]
    untouched = rows.filtered(
        lambda row: (
            row.model == "mail.template"
            and Template.browse(row.res_id).exists().write_uid.id == SUPERUSER_ID
        )
    )
    load_shipped(env, untouched)
    rows.noupdate = True
