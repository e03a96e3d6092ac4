import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("care_network_portal_consent", {
    url: "/my",
    steps: () => [
        {
            content: "Open the people in my care",
            trigger: ".o_portal_index_card a[href='/my/care']",
            run: "click",
        },
        {
            content: "Open the ward",
            trigger: ".o_care_portal_client a:contains('Lily Pad')",
            run: "click",
        },
        {
            content: "Open who viewed the ward's record",
            trigger: "a:contains('Who viewed this record')",
            run: "click",
        },
        {
            content: "The aunt's visit is listed",
            trigger: ".o_care_portal_viewer:contains('Ava Aunt')",
        },
        {
            content: "Open the consents",
            trigger: ".nav-link:contains('Consents')",
            run: "click",
        },
        {
            content: "Revoke the SMS consent",
            trigger: ".o_care_portal_consent:contains('Reminders by SMS') .o_care_revoke_consent",
            run: "click",
        },
        {
            content: "The consent is revoked",
            trigger: ".alert-success:contains('The consent is revoked')",
        },
        {
            trigger: ".o_care_portal_consent:contains('Reminders by SMS') .badge:contains('Revoked')",
        },
    ],
});
