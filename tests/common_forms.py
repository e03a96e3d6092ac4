from odoo import Command

from .common_referral import ReferralCase


class FormCase(ReferralCase):
    """Care forms (a client-facing and an internal survey) around the referral
    personas: Sam Seeker is the client, Greg his legal guardian on the portal,
    Rita his responsible party."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.intake = cls.make_form("Test intake", "client")
        cls.visit = cls.make_form("Test home visit", "internal")
        cls.guardian_partner = cls.guardian_user.partner_id
        cls.guardian_relation = cls.seeker.care_relation_ids.filtered(
            lambda r: r.related_partner_id == cls.guardian_partner
        )

    @classmethod
    def make_form(cls, title, kind, **values):
        return cls.env["survey.survey"].create(
            {
                "title": title,
                "care_form_kind": kind,
                "access_mode": "token",
                "questions_layout": "one_page",
                "question_and_page_ids": [
                    Command.create(
                        {"title": "What do you need?", "question_type": "text_box"}
                    ),
                    Command.create({"title": "Your name", "question_type": "char_box"}),
                ],
                **values,
            }
        )

    @classmethod
    def send_form(cls, survey, recipient, client=None, user=None, **values):
        """Send ``survey`` about ``client`` (Sam) to ``recipient`` as ``user``
        (the helper); returns the answer."""
        client = client or cls.seeker
        Send = cls.env["care.form.send"].with_user(user or cls.helper)
        Send.create(
            {
                "client_id": client.id,
                "survey_id": survey.id,
                "recipient_id": recipient.id,
                **values,
            }
        ).action_confirm()
        return cls.env["survey.user_input"].search(
            [
                ("survey_id", "=", survey.id),
                ("care_client_id", "=", client.id),
                ("partner_id", "=", recipient.id),
            ],
            order="id desc",
            limit=1,
        )

    @staticmethod
    def fill(answer, text="Help at home"):
        """Answer every question and complete, as Survey's controller does."""
        answer = answer.sudo()
        for question in answer.survey_id.question_ids:
            answer._save_lines(question, text)
        answer._mark_done()
        return answer
