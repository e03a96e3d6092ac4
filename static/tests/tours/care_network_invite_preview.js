import { registry } from "@web/core/registry";

// Invite a client and two relations in one dialog, then preview the guardian's portal.
registry.category("web_tour.tours").add("care_network_invite_and_preview", {
    steps: () => [
        {
            content: "Invite to the portal from the client's form",
            trigger: ".o_form_view .o_form_statusbar button[name=action_open_care_portal_invitation]",
            run: "click",
        },
        {
            content: "The client and the two people of the circle, each ticked",
            trigger: ".modal .o_data_row:contains('Ivan Invite'):contains('ivan@example.com')",
        },
        {
            trigger: ".modal .o_data_row:contains('Gwen Guard')",
        },
        {
            trigger: ".modal .o_data_row:contains('Rory Resp')",
        },
        {
            content: "Invite them all",
            trigger: ".modal footer button[name=action_skip]",
            run: "click",
        },
        {
            content: "Says who was invited",
            trigger: ".o_notification:contains('Invited'):contains('Ivan Invite'):contains('Gwen Guard'):contains('Rory Resp')",
        },
        {
            content: "Open the guardian's relation",
            trigger: ".o_notebook .nav-link:contains('Circle of Care')",
            run: "click",
        },
        {
            trigger: "div[name=care_circle_ids] .o_data_row:contains('Gwen Guard') td.o_data_cell",
            run: "click",
        },
        {
            content: "Preview her portal",
            trigger: ".modal .o_form_statusbar button[name=action_preview_portal]",
            run: "click",
        },
        {
            content: "The preview shows what she sees, read-only",
            trigger: ".o_care_preview_banner:contains('Gwen Guard')",
        },
        {
            trigger: ".o_care_portal_client_page h2:contains('Ivan Invite')",
        },
    ],
});
