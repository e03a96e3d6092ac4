import { registry } from "@web/core/registry";

// From a guardian's contact form: the clients in whose circle she stands,
// grouped by what she is to them; "Legal Guardian" holds her wards only.
registry.category("web_tour.tours").add("care_network_clients_by_relation", {
    steps: () => [
        {
            content: "Open the Circle of Care tab of the guardian",
            trigger: ".o_form_view .o_notebook .nav-link:contains('Circle of Care')",
            run: "click",
        },
        {
            content: "Her one circle list reads from her side: her ward as Ward",
            trigger: "div[name=care_circle_ids] .o_data_row:contains('Wanda Ward'):contains('Ward')",
        },
        {
            trigger:
                "div[name=care_circle_ids] .o_data_row:contains('Eddie Emergency'):contains('Emergency Contact For')",
        },
        {
            trigger: "div[name=care_circle_ids]:not(:has(.o_data_row:contains('Gwen Guardian')))",
        },
        {
            content: "List her clients by relation",
            trigger: "button[name=action_view_care_clients_by_relation]",
            run: "click",
        },
        {
            content: "Open the Legal Guardian group",
            trigger: ".o_list_view .o_group_name:contains('Legal Guardian')",
            run: "click",
        },
        {
            content: "Her ward is listed as a client of hers",
            trigger: ".o_list_view .o_data_row:contains('Wanda Ward')",
        },
        {
            content: "The client she is only an emergency contact of is not a ward",
            trigger: ".o_list_view .o_group_name:contains('Emergency Contact')",
        },
        {
            trigger:
                ".o_list_view:not(:has(.o_data_row:contains('Eddie Emergency')))",
        },
    ],
});
