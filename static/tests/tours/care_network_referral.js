import { registry } from "@web/core/registry";
import { chooseInAutocomplete, openCareNetworkApp } from "@care_network/../tests/tours/care_tour_steps";

registry.category("web_tour.tours").add("care_network_start_referral", {
    url: "/odoo",
    steps: () => [
        ...openCareNetworkApp("Open the Care Network app"),
        {
            content: "Open the seeker's profile",
            trigger: ".o_kanban_record:contains('Sara Seeker')",
            run: "click",
        },
        {
            content: "Start a referral",
            trigger: ".o_form_view button[name=action_start_referral]",
            run: "click",
        },
        {
            content: "The wizard names the seeker",
            trigger: ".modal .alert-info:contains('Sara Seeker')",
        },
        ...chooseInAutocomplete({
            content: "Pick a program serving the seeker's ZIP code",
            input: ".modal div[name=program_ids] input",
            text: "Weekly",
            option: "Weekly Groceries",
        }),
        {
            trigger: ".modal div[name=consent] input",
            run: "click",
        },
        {
            trigger: ".modal div[name=comment] textarea",
            run: "edit Needs groceries for a family of four",
        },
        {
            content: "Create the referral",
            trigger: ".modal button[name=action_create_referrals]",
            run: "click",
        },
        {
            content: "The live referral was sent at once",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Sent')",
        },
    ],
});

registry.category("web_tour.tours").add("care_network_accept_referral", {
    url: "/odoo",
    steps: () => [
        ...openCareNetworkApp("Open the Care Network app"),
        {
            trigger: "button[data-menu-xmlid='care_network.menu_referrals']",
            run: "click",
        },
        {
            content: "Open the inbound referrals board",
            trigger: "a[data-menu-xmlid='care_network.menu_referrals_inbound']",
            run: "click",
        },
        {
            trigger: ".o_breadcrumb .active:contains('Inbound Referrals')",
        },
        {
            content: "Open the referral card",
            trigger: ".o_kanban_record:contains('Sara Seeker'):contains('Weekly Groceries')",
            run: "click",
        },
        {
            content: "Accept the referral",
            trigger: ".o_form_view button[name=action_accept]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Accepted')",
        },
    ],
});
