from odoo import http

from .common_referral import ReferralCase


class ProviderCase(ReferralCase):
    """A program without a login (Food Bank, intake e-mail only) and a referral
    sent to it by the helper."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.intake_contact = cls.Partner.create(
            {"name": "Ingrid Intake", "email": "ingrid@foodbank.org"}
        )
        cls.food_bank = cls.env["care.program"].create(
            {
                "name": "Food Bank",
                "provider_id": cls.provider.id,
                "intake_email": "intake@foodbank.org",
                "intake_partner_id": cls.intake_contact.id,
            }
        )
        cls.seeker.write({"phone": "+1 555 0199", "care_contact_preference": "phone"})

    def send_to_food_bank(self, **values):
        referral = self.make_referral(
            program_id=self.food_bank.id, comment="Needs groceries weekly.", **values
        )
        referral.with_user(self.helper).sudo(False).set_state("sent")
        return referral

    @staticmethod
    def token(referral):
        return referral.sudo().provider_token

    def intake_mails(self, referral):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "care.referral"),
                ("res_id", "=", referral.id),
                ("email_to", "=", "intake@foodbank.org"),
            ]
        )


class ProviderHttpCase(ProviderCase):
    def open_link(self, referral, token=None, referral_id=None):
        self.authenticate(None, None)
        token = self.token(referral) if token is None else token
        return self.url_open(
            f"/care/provider/referral/{referral_id or referral.id}"
            f"?access_token={token}",
            allow_redirects=False,
        )

    def post_link(self, referral, token=None, revision=None, **data):
        self.authenticate(None, None)
        token = self.token(referral) if token is None else token
        fields = {
            "csrf_token": http.Request.csrf_token(self),
            "access_token": token,
            "revision": revision or referral._care_provider_revision(),
            **data,
        }
        return self.url_open(
            f"/care/provider/referral/{referral.id}", data=fields, allow_redirects=False
        )
