import { registry } from "@web/core/registry";
import { openCareNetworkApp } from "@care_network/../tests/tours/care_tour_steps";

registry.category("web_tour.tours").add("care_network_empty_circle", {
    url: "/odoo",
    steps: () => [
        ...openCareNetworkApp("Open the Care Network app"),
        {
            content: "Open the client whose circle is empty",
            trigger: ".o_kanban_record:contains('Ezra Empty')",
            run: "click",
        },
        {
            content: "Open the Circle of Care tab",
            trigger: ".o_notebook .nav-link:contains('Circle of Care')",
            run: "click",
        },
        {
            content: "Where the list would be, the two ways in",
            trigger: ".o_care_circle_start button[name=action_add_care_linked_account]",
        },
        {
            content: "Add an alternative contact",
            trigger: ".o_care_circle_start button[name=action_add_care_alternative_contact]",
            run: "click",
        },
        {
            content: "The dialog opens with the kind chosen",
            trigger: ".modal div[name=contact_kind] input[data-value=alternative]:checked",
        },
        {
            trigger: ".modal div[name=type_id] input",
            run: "edit Emergency Contact",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Emergency Contact')",
            run: "click",
        },
        {
            content: "Pick an existing client instead of typing her again",
            trigger: ".modal div[name=new_contact_existing_id] input",
            run: "edit Carla Client",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Carla Client')",
            run: "click",
        },
        {
            content: "Nothing left to type",
            trigger: ".modal:not(:has(div[name=new_contact_firstname]))",
        },
        {
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "She is in the circle, as an alternative contact",
            trigger:
                ".o_form_view div[name=care_circle_ids] .o_data_row:contains('Carla Client'):contains('Alternative contact')",
        },
        {
            content: "The ways in make room for the list",
            trigger: ".o_form_view:not(:has(.o_care_circle_start:visible))",
        },
    ],
});
