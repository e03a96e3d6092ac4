import { registry } from "@web/core/registry";
import { chooseInAutocomplete } from "@care_network/../tests/tours/care_tour_steps";

/** A relation saved from its own form with Send invite ticked opens the dialog. */
registry.category("web_tour.tours").add("care_network_relation_invite_after_save", {
    steps: () => [
        ...chooseInAutocomplete({
            content: "The client",
            input: ".o_form_view div[name=partner_id] input",
            text: "Cora Save",
            option: "Cora Save",
        }),
        ...chooseInAutocomplete({
            content: "A legal guardian is invited by default",
            input: ".o_form_view div[name=type_id] input",
            text: "Legal Guardian",
            option: "Legal Guardian",
        }),
        ...chooseInAutocomplete({
            content: "The person related",
            input: ".o_form_view div[name=related_partner_id] input",
            text: "Nora Save",
            option: "Nora Save",
        }),
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
