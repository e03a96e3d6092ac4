from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError
from odoo.http import request
from odoo.models import BaseModel

from .portal import PortalViewer, _checked_id
from .portal_consent import CareConsentPortal
from .portal_forms import CareFormsPortal
from .portal_packages import CarePackagesPortal

PREVIEW = "/care/preview/<int:partner_id>"


def preview_route(*pages):
    """The preview of the portal pages ``pages``: staff only, read-only."""
    return http.route(
        [PREVIEW + page for page in pages],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
        readonly=True,
    )


class CarePortalPreview(CareConsentPortal, CareFormsPortal, CarePackagesPortal):
    """Staff preview a person's portal: each page's values built for that person
    (with their rights; the staff session and request are not touched), narrowed
    to what the staff user may read too, and rendered by the page's own template
    with ``care_preview`` set (no form, button or chatter; links stay inside the
    preview). Each preview is recorded in the access log as a staff preview."""

    @preview_route("", "/my/care", "/my/care/page/<int:page>")
    def care_preview_my_care(self, partner_id, page=1, relation_id=None, **kw):
        return self._care_preview(
            partner_id,
            relation_id,
            "care_network.portal_my_care",
            lambda viewer: self._care_my_care_values(viewer, page),
        )

    @preview_route("/my/care/<int:client_id>")
    def care_preview_client(self, partner_id, client_id, relation_id=None, **kw):
        return self._care_preview(
            partner_id,
            relation_id,
            "care_network.portal_my_care_client",
            lambda viewer: self._care_client_values(viewer, client_id),
            records={"res.partner": client_id},
        )

    @preview_route("/my/care/<int:client_id>/viewers")
    def care_preview_viewers(self, partner_id, client_id, relation_id=None, **kw):
        return self._care_preview(
            partner_id,
            relation_id,
            "care_network.portal_care_viewers",
            lambda viewer: self._care_viewers_values(viewer, client_id),
            records={"res.partner": client_id},
            # The access log: refused to staff who may not read it at all.
            model="care.access.log",
        )

    @preview_route("/my/care/<int:client_id>/consents")
    def care_preview_consents(self, partner_id, client_id, relation_id=None, **kw):
        return self._care_preview(
            partner_id,
            relation_id,
            "care_network.portal_care_consents",
            lambda viewer: self._care_consents_values(viewer, client_id),
            records={"res.partner": client_id},
        )

    @preview_route("/my/referrals", "/my/referrals/page/<int:page>")
    def care_preview_referrals(self, partner_id, page=1, relation_id=None, **kw):
        return self._care_preview(
            partner_id,
            relation_id,
            "care_network.portal_my_referrals",
            lambda viewer: self._care_referrals_values(viewer, page),
        )

    @preview_route("/my/referrals/<int:referral_id>")
    def care_preview_referral(self, partner_id, referral_id, relation_id=None, **kw):
        return self._care_preview(
            partner_id,
            relation_id,
            "care_network.portal_my_referral",
            lambda viewer: self._care_referral_values(
                viewer,
                self._care_preview_document(viewer, "care.referral", referral_id),
            ),
            records={"care.referral": referral_id},
        )

    @preview_route("/my/forms")
    def care_preview_forms(self, partner_id, relation_id=None, **kw):
        return self._care_preview(
            partner_id,
            relation_id,
            "care_network.portal_my_forms",
            self._care_forms_values,
        )

    @preview_route("/my/forms/<int:answer_id>")
    def care_preview_form(self, partner_id, answer_id, relation_id=None, **kw):
        return self._care_preview(
            partner_id,
            relation_id,
            "survey.survey_page_print",
            lambda viewer: self._care_form_values(viewer, answer_id),
            records={"survey.user_input": answer_id},
        )

    @preview_route("/my/packages")
    def care_preview_packages(self, partner_id, relation_id=None, **kw):
        return self._care_preview(
            partner_id,
            relation_id,
            "care_network.portal_my_packages",
            self._care_packages_values,
        )

    @preview_route("/my/packages/<int:package_id>")
    def care_preview_package(self, partner_id, package_id, relation_id=None, **kw):
        return self._care_preview(
            partner_id,
            relation_id,
            "care_network.portal_my_package",
            lambda viewer: self._care_package_values(
                viewer, self._care_preview_document(viewer, "care.package", package_id)
            ),
            records={"care.package": package_id},
        )

    # --- one code path for every page -------------------------------------------
    def _care_preview(
        self, partner_id, relation_id, template, page_values, records=None, model=None
    ):
        """``template`` with ``page_values(viewer)`` for the person ``partner_id``
        as they see it, narrowed to what the staff user may read."""
        person, relation = self._care_preview_target(partner_id, relation_id)
        self._care_preview_check_records(records or {}, model)
        request.env["care.access.log"]._log_preview(person, relation)
        user = person.sudo()._care_portal_user()
        if not user:
            return request.render(
                "care_network.portal_preview_no_login", {"person": person.sudo()}
            )
        viewer = PortalViewer(
            self._care_preview_env(user),
            preview_prefix=f"/care/preview/{person.id}",
            preview_query={"relation_id": relation.id} if relation else None,
        )
        values = page_values(viewer)
        values.update(
            care_preview_name=person.sudo().name,
            care_preview_hidden=self._care_preview_intersect(values),
        )
        return request.render(template, values)

    def _care_preview_target(self, partner_id, relation_id):
        if not request.env.user.has_group("care_network.group_care_user"):
            raise Forbidden()
        person = request.env["res.partner"].browse(_checked_id(partner_id))
        if not person.sudo().exists():
            raise NotFound()
        relation = request.env["care.relation"]
        try:
            person.check_access("read")
            if relation_id:
                relation = relation.browse(_checked_id(int(relation_id)))
                relation.check_access("read")
        except (AccessError, ValueError) as error:
            raise Forbidden() from error
        if relation and person != relation.related_partner_id:
            raise NotFound()
        return person, relation

    @staticmethod
    def _care_preview_check_records(records, model=None):
        """Refuse (403) the page of a record, or of a model, the staff user may
        not read: the ORM decides, with their ACLs, record rules and allowed
        companies. A missing record is left to the page (404)."""
        if model and not request.env[model].has_access("read"):
            raise Forbidden()
        for record_model, record_id in records.items():
            record = request.env[record_model].browse(_checked_id(record_id))
            if record.sudo().exists() and not record.has_access("read"):
                raise Forbidden()

    @staticmethod
    def _care_preview_document(viewer, model, record_id):
        """The record of a page, if the person may read it on their own portal
        (no access token: a preview is of the person's pages, not of a link)."""
        record = viewer.env[model].browse(_checked_id(record_id))
        if not record.sudo().exists():
            raise NotFound()
        try:
            record.check_access("read")
        except AccessError as error:
            raise Forbidden() from error
        return record.sudo()

    def _care_preview_env(self, user):
        """The person's rights, in the companies their own request runs with
        (not the staff user's: the staff user's narrow what is shown)."""
        context = dict(request.env.context)
        context.pop("allowed_company_ids", None)
        if companies := self._care_preview_companies(user):
            context["allowed_company_ids"] = companies
        return request.env(user=user.id, context=context, su=False)

    @staticmethod
    def _care_preview_companies(user):
        """The companies ``user``'s own request runs with, as the website app
        sets them (without it: none in the context, all the user's own)."""
        website = getattr(request, "website", None)
        if not website:
            return None
        company_id = website._get_cached("company_id")
        if company_id in user._get_company_ids():
            return [company_id]
        return user.company_id.ids

    @staticmethod
    def _care_preview_intersect(values):
        """Keep in the page's values only the records the staff user may read
        too (the ORM decides: ACLs, record rules, allowed companies), whatever
        the key: a list added to a page is narrowed without being named here.
        The page then reads them as the staff user, so that what Odoo masks for
        them (a private appointment's title) stays masked. Returns how many
        records were left out."""
        hidden = set()
        for key, records in values.items():
            if not isinstance(records, BaseModel):
                continue
            readable = records.with_env(request.env)._filtered_access("read")
            hidden.update(
                (records._name, record_id)
                for record_id in set(records._ids) - set(readable._ids)
            )
            values[key] = readable
        # The values were read as the person or as superuser: what calendar
        # masks when it fetches for the staff user must be fetched again. The
        # page then renders as the staff user: no superuser read of events
        # may come after this.
        request.env["calendar.event"].invalidate_model()
        return len(hidden)
