import { registry } from "@web/core/registry";
import { chooseInAutocomplete, openCareNetworkApp } from "@care_network/../tests/tours/care_tour_steps";

function addMember(name) {
    return [
        {
            content: `Add ${name} as a member`,
            trigger: "div[name=care_membership_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        ...chooseInAutocomplete({
            input: "div[name=care_membership_ids] .o_selected_row div[name=partner_id] input",
            text: name,
            option: name,
        }),
        {
            content: `${name} is chosen before the next step`,
            trigger: `div[name=care_membership_ids] .o_selected_row div[name=partner_id] input:value(${name})`,
        },
    ];
}

registry.category("web_tour.tours").add("care_network_family", {
    url: "/odoo",
    steps: () => [
        ...openCareNetworkApp("Open the Care Network app"),
        {
            trigger: "[data-menu-xmlid='care_network.menu_client_organisations']",
            run: "click",
        },
        {
            trigger: ".o_breadcrumb .active:contains('Client Organisations')",
        },
        {
            content: "Create a family",
            trigger: ".o_control_panel_main_buttons .o-kanban-button-new",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=name] :is(textarea, input)",
            run: "edit Tour Family",
        },
        {
            trigger: ".o_notebook a.nav-link:contains('Members'):not(:contains('Activity'))",
            run: "click",
        },
        ...chooseInAutocomplete({
            content: "Create its billing contact on the spot",
            input: ".o_form_view div[name=care_billing_contact_id] input",
            text: "Bella Billing",
            option: 'Create "Bella Billing"',
        }),
        ...addMember("Molly Member"),
        ...addMember("Max Member"),
        {
            trigger: "div[name=care_membership_ids] .o_data_row:not(.o_selected_row):contains('Molly Member')",
        },
        {
            content: "Save the family",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved div[name=care_membership_ids] .o_data_row:contains('Max Member')",
        },
        {
            content: "Go to the clients",
            trigger: "[data-menu-xmlid='care_network.menu_clients']",
            run: "click",
        },
        {
            trigger: ".o_breadcrumb .active:contains('Clients')",
        },
        {
            content: "Open a member",
            trigger: ".o_kanban_record:contains('Molly Member')",
            run: "click",
        },
        {
            trigger: ".o_notebook .nav-link:contains('Circle of Care')",
            run: "click",
        },
        {
            content: "The family is in the member's circle",
            trigger: "div[name=care_circle_ids] .o_data_row:contains('Tour Family'):contains('Member of')",
        },
    ],
});
