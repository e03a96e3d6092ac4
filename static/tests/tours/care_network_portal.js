import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("care_network_portal_got_help", {
    url: "/my",
    steps: () => [
        {
            content: "Open the people in my care",
            trigger: ".o_portal_index_card a[href='/my/care']",
            run: "click",
        },
        {
            content: "Open the ward",
            trigger: ".o_care_portal_client a:contains('Tom Thumb')",
            run: "click",
        },
        {
            content: "The ward's upcoming appointment is listed",
            trigger: ".o_care_portal_appointment:contains('Speech therapy')",
        },
        {
            content: "Open the referral",
            trigger: ".o_care_portal_referral a:contains('REF/')",
            run: "click",
        },
        {
            content: "The referral shows its history",
            trigger: ".o_care_portal_log:contains('Sent')",
        },
        {
            content: "Mark it got help",
            trigger: "button.o_care_move_completed",
            run: "click",
        },
        {
            content: "The referral is completed",
            trigger: ".alert-success:contains('the referral is updated')",
        },
        {
            trigger: ".o_care_referral_state:contains('Completed')",
        },
        {
            trigger: "body:not(:has(button.o_care_move_completed))",
        },
    ],
});
