from odoo import fields, models
from odoo.exceptions import UserError


class CarePackage(models.Model):
    """Invoicing a package when Odoo's Invoicing (``account``) is installed; the
    addon does not depend on it, so nothing here shows or runs without it."""

    _inherit = "care.package"

    invoicing_available = fields.Boolean(compute="_compute_invoicing")
    invoice_count = fields.Integer(compute="_compute_invoicing")
    invoice_status = fields.Selection(
        [("none", "Not invoiced"), ("invoiced", "Invoiced"), ("paid", "Paid")],
        compute="_compute_invoicing",
    )

    def _compute_invoicing(self):
        # Shown to those Invoicing lets read invoices; the others see nothing of it.
        available = "account.move" in self.env and self.env["account.move"].has_access(
            "read"
        )
        all_invoices = self._invoices() if available else None
        for package in self:
            invoices = (
                all_invoices.filtered(
                    lambda m, p=package: m.invoice_origin == p.reference
                )
                if available
                else None
            )
            package.invoicing_available = available
            package.invoice_count = len(invoices) if invoices else 0
            posted = (
                invoices.filtered(lambda m: m.state == "posted") if invoices else []
            )
            if not posted:
                package.invoice_status = "none"
            elif all(m.payment_state in ("paid", "in_payment") for m in posted):
                package.invoice_status = "paid"
            else:
                package.invoice_status = "invoiced"

    def _invoices(self):
        """The customer invoices and refunds of these packages (one search)."""
        return self.env["account.move"].search(
            [
                (
                    "invoice_origin",
                    "in",
                    [ref for ref in self.mapped("reference") if ref],
                ),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ]
        )

    def _check_invoicing_available(self):
        if "account.move" not in self.env:
            raise UserError(
                self.env._("Install the Invoicing app to invoice care packages.")
            )

    def action_create_invoice(self):
        """A draft customer invoice for the package's price, addressed as Odoo's
        invoice address of the holder resolves (its billing contact)."""
        self.ensure_one()
        self._check_invoicing_available()
        if self.state not in ("active", "completed"):
            raise UserError(
                self.env._(
                    "Activate %(package)s before invoicing it.",
                    package=self.display_name,
                )
            )
        if not self.price:
            raise UserError(
                self.env._(
                    "%(package)s has no price: set one before invoicing it.",
                    package=self.display_name,
                )
            )
        billed = self.env["res.partner"].browse(
            self.holder_id.address_get(["invoice"])["invoice"]
        )
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": billed.id,
                "invoice_origin": self.reference,
                "currency_id": self.currency_id.id,
                "company_id": self.company_id.id,
                "invoice_line_ids": [
                    fields.Command.create(
                        {
                            "name": self.display_name,
                            "quantity": 1,
                            "price_unit": self.price,
                        }
                    )
                ],
            }
        )
        self.message_post(
            body=self.env._(
                "Draft invoice for %(partner)s created.", partner=billed.display_name
            ),
            subtype_xmlid="mail.mt_note",
        )
        return self._invoice_action(invoice)

    def action_view_invoices(self):
        self.ensure_one()
        self._check_invoicing_available()
        return self._invoice_action(self._invoices())

    def _invoice_action(self, invoices):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        if len(invoices) == 1:
            action.update(
                {"views": [(False, "form")], "view_mode": "form", "res_id": invoices.id}
            )
        else:
            action["domain"] = [("id", "in", invoices.ids)]
        action["context"] = {"default_move_type": "out_invoice"}
        return action
