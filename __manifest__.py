# Copyright 2026 Care Network developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html).
{
    "name": "Care Network",
    "summary": "Circle of care, client organisations, closed-loop referrals "
    "and a guardian portal enforced by record rules",
    "version": "18.0.1.1.0",
    "category": "Services",
    "author": "Care Network developers",
    "maintainers": [],
    "license": "LGPL-3",
    "development_status": "Beta",
    "application": True,
    "installable": True,
    "depends": ["contacts", "portal", "calendar"],
    "data": [
        "security/care_security.xml",
        "security/ir.model.access.csv",
        "security/care_rules.xml",
        "data/care_partner_role_data.xml",
        "data/care_relation_type_data.xml",
        "data/care_referral_data.xml",
        "data/mail_template_data.xml",
        "data/care_cron_data.xml",
        "views/care_partner_role_views.xml",
        "views/care_relation_type_views.xml",
        "views/care_relation_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/care_program_views.xml",
        "views/care_referral_views.xml",
        "views/care_referral_wizard_views.xml",
        "views/care_reminder_views.xml",
        "views/menus.xml",
        "views/portal_templates.xml",
    ],
    "demo": [
        "demo/care_demo_users.xml",
        "demo/care_relation_demo.xml",
        "demo/care_referral_demo.xml",
        "demo/care_portal_demo.xml",
        "demo/care_story_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "care_network/static/tests/tours/*.js",
        ],
    },
}
