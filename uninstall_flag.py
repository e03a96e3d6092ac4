"""Odoo skips the ``@api.ondelete(at_uninstall=False)`` methods whenever the
context holds ``MODULE_UNINSTALL_FLAG``, a key that any RPC caller may send.
The addon's deletion rules are ``at_uninstall=True`` methods that step aside
only for a real uninstall, which runs as superuser."""

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG


def uninstalling(env):
    """Whether ``env`` deletes records for a module being uninstalled: Odoo
    does so as superuser, whose user is an administrator. Not ``is_system()``,
    which holds for anyone's ``sudo()`` (the addon's cleanups keep the
    caller's context)."""
    return bool(env.context.get(MODULE_UNINSTALL_FLAG)) and env.user._is_system()
