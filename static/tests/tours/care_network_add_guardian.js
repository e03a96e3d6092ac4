import { registry } from "@web/core/registry";
import { chooseInAutocomplete, openCareNetworkApp } from "@care_network/../tests/tours/care_tour_steps";

registry.category("web_tour.tours").add("care_network_add_guardian", {
    url: "/odoo",
    steps: () => [
        ...openCareNetworkApp("Open the Care Network app"),
        {
            content: "Open the minor client",
            trigger: ".o_kanban_record:contains('Tina Tour')",
            run: "click",
        },
        {
            content: "The form warns that the minor has no legal guardian",
            trigger: ".alert-warning:contains('minor without a current legal guardian')",
        },
        {
            content: "Open the Circle of Care tab",
            trigger: ".o_notebook .nav-link:contains('Circle of Care')",
            run: "click",
        },
        {
            content: "Relate a new contact created on the spot: the circle is not empty, the button is there",
            trigger: ".o_care_circle_add button[name=action_add_care_alternative_contact]",
            run: "click",
        },
        {
            content: "The wizard opens with the kind chosen",
            trigger: ".modal div[name=contact_kind] input[data-value=alternative]:checked",
        },
        ...chooseInAutocomplete({
            content: "Choose the relation type",
            input: ".modal div[name=type_id] input",
            text: "Legal Guardian",
            option: "Legal Guardian",
        }),
        {
            trigger: ".modal div[name=firstname] input",
            run: "edit Greta",
        },
        {
            trigger: ".modal div[name=lastname] input",
            run: "edit Tour",
        },
        {
            content: "Without an e-mail the wizard cannot be confirmed (no e-mail tick left off)",
            trigger: ".modal div[name=email].o_required_modifier",
        },
        {
            trigger: ".modal div[name=email] input",
            run: "edit greta.tour@example.com",
        },
        {
            content: "Her mobile receives the SMS reminders",
            trigger: ".modal div[name=mobile] input",
            run: "edit +1 555 0142",
        },
        {
            content: "In the practice's words, beside the type",
            trigger: ".modal div[name=relationship_note] input",
            run: "edit maternal aunt",
        },
        {
            content: "A guardian with an e-mail is invited by default",
            trigger: ".modal div[name=send_portal_invitation] input:checked",
        },
        {
            content: "Add her to the circle",
            trigger: ".modal footer button[name=action_confirm]",
            run: "click",
        },
        {
            content: "Saved with Send invite ticked: the invitation dialog lists the guardian",
            trigger: ".modal .o_data_row:contains('Greta Tour'):contains('greta.tour@example.com')",
        },
        {
            content: "Invite without forms",
            trigger: ".modal footer button[name=action_skip]",
            run: "click",
        },
        {
            trigger: ".o_notification:contains('Invited'):contains('Greta Tour')",
        },
        {
            content: "The new guardian is in the circle and the warning is gone",
            trigger:
                ".o_form_saved div[name=care_circle_ids] .o_data_row:contains('Greta Tour'):contains('Legal Guardian'):contains('maternal aunt'):contains('Alternative contact')",
        },
        {
            content: "The past guardian is in the same list, muted",
            trigger: "div[name=care_circle_ids] .o_data_row.text-muted:contains('Former Guardian')",
        },
        {
            trigger: ".o_form_view:not(:has(.alert-warning:contains('legal guardian')))",
        },
    ],
});
