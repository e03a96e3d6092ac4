import { registry } from "@web/core/registry";
import { chooseInAutocomplete, openCareNetworkApp } from "@care_network/../tests/tours/care_tour_steps";

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
            content: "The empty circle says how to start",
            trigger: ".o_care_circle_empty:contains('no other contacts yet')",
        },
        {
            content: "Above the list, the two ways in",
            trigger: ".o_care_circle_add button[name=action_add_care_linked_account]",
        },
        {
            content: "Add an alternative contact",
            trigger: ".o_care_circle_add button[name=action_add_care_alternative_contact]",
            run: "click",
        },
        {
            content: "The wizard opens with the kind chosen",
            trigger: ".modal div[name=contact_kind] input[data-value=alternative]:checked",
        },
        ...chooseInAutocomplete({
            input: ".modal div[name=type_id] input",
            text: "Emergency Contact",
            option: "Emergency Contact",
        }),
        ...chooseInAutocomplete({
            content: "Pick an existing client instead of typing her again",
            input: ".modal div[name=related_partner_id] input",
            text: "Carla Client",
            option: "Carla Client",
        }),
        {
            content: "Nothing left to type",
            trigger: ".modal:not(:has(div[name=firstname]))",
        },
        {
            trigger: ".modal footer button[name=action_confirm]",
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
            content: "The hint is gone, the ways in stay above the list",
            trigger: ".o_form_view:not(:has(.o_care_circle_empty)) .o_care_circle_add button[name=action_add_care_linked_account]",
        },
    ],
});

registry.category("web_tour.tours").add("care_network_new_client_circle", {
    url: "/odoo/action-care_network.action_care_clients/new",
    steps: () => [
        {
            content: "A new client, not saved yet",
            trigger: ".o_form_view .o_field_widget[name=name] input",
            run: "edit Una Unsaved",
        },
        {
            content: "Open the Circle of Care tab",
            trigger: ".o_notebook .nav-link:contains('Circle of Care')",
            run: "click",
        },
        {
            content: "Add a linked account: the client is saved first",
            trigger: ".o_care_circle_add button[name=action_add_care_linked_account]",
            run: "click",
        },
        {
            content: "The wizard is for the client just saved",
            trigger: ".modal div[name=partner_id]:contains('Una Unsaved')",
        },
        {
            trigger: ".modal div[name=contact_kind] input[data-value=linked]:checked",
        },
        ...chooseInAutocomplete({
            input: ".modal div[name=type_id] input",
            text: "Sibling",
            option: "Sibling",
        }),
        ...chooseInAutocomplete({
            input: ".modal div[name=related_partner_id] input",
            text: "Lars Linked",
            option: "Lars Linked",
        }),
        {
            trigger: ".modal footer button[name=action_confirm]",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The form shows the new row, and nothing is left to save",
            trigger:
                ".o_form_saved div[name=care_circle_ids] .o_data_row:contains('Lars Linked'):contains('Sibling'):contains('Linked account')",
        },
    ],
});
