import { registry } from "@web/core/registry";

/** A relation saved from its own form with Send invite ticked opens the dialog. */
registry.category("web_tour.tours").add("care_network_relation_invite_after_save", {
    steps: () => [
        {
            content: "The client",
            trigger: ".o_form_view div[name=partner_id] input",
            run: "edit Cora Save",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Cora Save')",
            run: "click",
        },
        {
            content: "A legal guardian is invited by default",
            trigger: ".o_form_view div[name=type_id] input",
            run: "edit Legal Guardian",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Legal Guardian')",
            run: "click",
        },
        {
            content: "The person related",
            trigger: ".o_form_view div[name=related_partner_id] input",
            run: "edit Nora Save",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Nora Save')",
            run: "click",
        },
        {
            content: "Send invite is ticked",
            trigger: ".o_form_view div[name=send_portal_invitation] input:checked",
        },
        {
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Once saved, the dialog asks which forms to send with the invitation",
            trigger: ".modal .o_data_row:contains('Nora Save')",
        },
        {
            trigger: ".modal footer button[name=action_skip]",
            run: "click",
        },
        {
            content: "Says who was invited",
            trigger: ".o_notification:contains('Invited'):contains('Nora Save')",
        },
    ],
});
