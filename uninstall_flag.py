"""Odoo skips the ``@api.ondelete(at_uninstall=False)`` methods whenever the
context holds ``MODULE_UNINSTALL_FLAG``, a key that any RPC caller may send.
The addon's deletion rules are ``at_uninstall=True`` methods that step aside
only for a real uninstall, which an administrator runs."""

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG


def uninstalling(env):
    """Whether ``env`` deletes records for a module being uninstalled."""
    return bool(env.context.get(MODULE_UNINSTALL_FLAG)) and env.is_system()
