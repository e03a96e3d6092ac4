import re

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression

PHONE_KINDS = [
    ("mobile", "Mobile"),
    ("home", "Home"),
    ("work", "Work"),
    ("other", "Other"),
]
# Which of Odoo's own partner fields mirrors the first number of which kinds.
ODOO_NUMBER_KINDS = {"mobile": ("mobile",), "phone": ("home", "work")}
SEPARATORS = re.compile(r"[\s\-./()]")
PLAUSIBLE_NUMBER = re.compile(r"^\+?\d{6,15}$")
# The mirror's own writes carry this object in the context (key care_phone_mirror):
# an RPC call cannot send it, so no caller skips the validation or the mirror.
_MIRROR = object()


def care_digits(number):
    """A number without its separators: two spellings of one number compare
    equal."""
    return SEPARATORS.sub("", number or "")


class CarePartnerPhone(models.Model):
    """One of a contact's phone numbers, of a kind, stored normalised: E.164 by
    Odoo's phone validation when the ``phonenumbers`` library is installed, else
    without separators. Access follows the contact's: whoever may read (write) the
    contact may read (write) its numbers."""

    _name = "care.partner.phone"
    _description = "Contact Phone Number"
    # Always read per contact (its list): ordering by the contact would join
    # res_partner for its name on every read of a contact's numbers.
    _order = "sequence, id"
    _rec_names_search = ["number"]

    partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        required=True,
        ondelete="cascade",
        index=True,
    )
    sequence = fields.Integer(default=10)
    kind = fields.Selection(PHONE_KINDS, required=True, default="mobile")
    number = fields.Char(required=True)

    @api.depends("kind", "number")
    @api.depends_context("uid")
    def _compute_display_name(self):
        """The number only to whoever may read it: Odoo reads a many2one's name
        as superuser (a relation's SMS number, an onchange)."""
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        readable = self.sudo(False)._filtered_access("read")
        for phone in self:
            number = phone.number if phone in readable else ""
            phone.display_name = f"{kinds.get(phone.kind, '')}: {number}".strip(": ")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("number"):
                partner = self.env["res.partner"].browse(vals.get("partner_id"))
                vals["number"] = self._care_normalise(vals["number"], partner)
        phones = super().create(vals_list)
        phones.partner_id._care_mirror_phone_rows()
        return phones

    def write(self, vals):
        if "partner_id" in vals and any(
            phone.partner_id.id != vals["partner_id"] for phone in self
        ):
            raise UserError(
                self.env._(
                    "A number stays with its contact: add it to the other contact "
                    "instead."
                )
            )
        partners = self.partner_id
        if vals.get("number"):
            for phone in self:
                super(CarePartnerPhone, phone).write(
                    {
                        **vals,
                        "number": self._care_normalise(
                            vals["number"],
                            self.env["res.partner"].browse(
                                vals.get("partner_id", phone.partner_id.id)
                            ),
                        ),
                    }
                )
            result = True
        else:
            result = super().write(vals)
        (partners | self.partner_id)._care_mirror_phone_rows()
        return result

    def unlink(self):
        partners = self.partner_id
        result = super().unlink()
        partners.exists()._care_mirror_phone_rows()
        return result

    @api.model
    def _care_normalise(self, number, partner):
        """The number as typed by staff, in Odoo's own normal form (phone
        validation, E.164, by the contact's country or the company's) without
        separators; refused when Odoo's validation or the shape of it refuses it.

        A number Odoo's own fields already hold comes in with
        the mirror's (``_MIRROR``): formatted when Odoo's
        validation can, else kept as Odoo holds it, so that no number is lost."""
        typed = (number or "").strip()
        if self.env.context.get("care_phone_mirror") is _MIRROR:
            return partner._phone_format(number=typed, force_format="E164") or typed
        try:
            formatted = partner._phone_format(
                number=typed, force_format="E164", raise_exception=True
            )
        except AccessError:
            raise  # the contact is not the user's to read: no number for it
        except UserError as error:
            raise ValidationError(
                self.env._(
                    "%(number)s is not a valid phone number: %(reason)s",
                    number=typed,
                    reason=error.args[0],
                )
            ) from error
        cleaned = care_digits(formatted or typed)
        if not PLAUSIBLE_NUMBER.match(cleaned):
            raise ValidationError(
                self.env._(
                    "%(number)s is not a valid phone number: use digits, with the "
                    "country code after a +.",
                    number=typed,
                )
            )
        return cleaned

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        """Found with the contact: only the numbers of contacts the user may read
        (the contact's own record rules, through its search)."""
        if not self.env.su:
            readable = (
                self.env["res.partner"].with_context(active_test=False)._search([])
            )
            domain = expression.AND([domain, [("partner_id", "in", readable)]])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _check_access(self, operation):
        """A number is as open as its contact: read with the contact, changed by
        whoever may change the contact."""
        result = super()._check_access(operation)
        if result or not any(self._ids):
            return result
        partner_operation = "read" if operation == "read" else "write"
        partners = self.sudo().partner_id.with_env(self.env)
        refused = partners._check_access(partner_operation)
        if not refused:
            return None
        forbidden = self.filtered(lambda phone: phone.sudo().partner_id in refused[0])
        return forbidden, refused[1]


class ResPartner(models.Model):
    """A contact's numbers, and Odoo's own ``mobile`` and ``phone`` kept equal to
    them: ``mobile`` is the first mobile number, ``phone`` the first home or work
    number. Either side may change: a number typed in the list writes Odoo's field;
    a number typed in Odoo's field (the contact form, an import, another app)
    updates the first number of its kind, or adds one, and clearing the field
    removes that number. The mirror's own writes carry ``_MIRROR`` in the context, so
    that neither side writes back."""

    _inherit = "res.partner"

    care_phone_ids = fields.One2many(
        "care.partner.phone",
        "partner_id",
        string="Phone Numbers",
        groups="care_network.group_care_user",
        help="Every number of this contact, by kind. The first mobile is also the "
        "contact's Mobile, the first home or work number its Phone.",
    )

    def _care_phones_from_created(self, vals_list):
        """Created with Odoo's mobile or phone (called by create, res_partner.py):
        their numbers become rows, unless the rows came with them."""
        if self.env.context.get("care_phone_mirror") is _MIRROR:
            return
        rows = []
        for partner, vals in zip(self, vals_list, strict=True):
            typed = [fname for fname in ODOO_NUMBER_KINDS if vals.get(fname)]
            if vals.get("care_phone_ids"):
                partner._care_rows_from_odoo_numbers(typed)
                continue
            rows += [
                {
                    "partner_id": partner.id,
                    "kind": ODOO_NUMBER_KINDS[fname][0],
                    "number": vals[fname],
                }
                for fname in typed
            ]
        if rows:
            self._care_phone_mirror_env().create(rows)

    def _care_phones_from_written(self, vals):
        """Odoo's mobile or phone written (called by write, res_partner.py)."""
        changed = [fname for fname in ODOO_NUMBER_KINDS if fname in vals]
        if changed and self.env.context.get("care_phone_mirror") is not _MIRROR:
            for partner in self:
                partner._care_rows_from_odoo_numbers(changed)

    def _care_first_phone(self, kinds):
        self.ensure_one()
        return self.care_phone_ids.filtered(lambda phone: phone.kind in kinds)[:1]

    def _care_rows_from_odoo_numbers(self, fnames):
        """Odoo's mobile/phone field changed: the first number of its kinds
        follows (updated, added, or removed when the field is cleared)."""
        self.ensure_one()
        Phone = self._care_phone_mirror_env()
        partner = self.with_env(Phone.env)
        for fname in fnames:
            kinds = ODOO_NUMBER_KINDS[fname]
            first = partner._care_first_phone(kinds)
            number = partner[fname]
            if not number:
                first.unlink()
            elif not first:
                Phone.create(
                    {"partner_id": self.id, "kind": kinds[0], "number": number}
                )
            elif care_digits(number) != care_digits(first.number):
                first.write({"number": number})

    def _care_phone_mirror_env(self):
        """The numbers as the mirror writes them: whoever could write Odoo's field
        (any app, any user) has their numbers follow, without writing back."""
        return (
            self.env["care.partner.phone"]
            .sudo()
            .with_context(care_phone_mirror=_MIRROR)
        )

    def _care_mirror_phone_rows(self):
        """The numbers changed: Odoo's mobile and phone become the first of their
        kinds, when they differ (written without coming back to the numbers)."""
        if self.env.context.get("care_phone_mirror") is _MIRROR:
            return
        for partner in self:
            values = {
                fname: partner._care_first_phone(kinds).number or False
                for fname, kinds in ODOO_NUMBER_KINDS.items()
            }
            values = {
                fname: number
                for fname, number in values.items()
                if care_digits(number) != care_digits(partner[fname])
            }
            if values:
                partner.with_context(care_phone_mirror=_MIRROR).write(values)
