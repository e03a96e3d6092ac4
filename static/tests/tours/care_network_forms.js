import { registry } from "@web/core/registry";
import { chooseInAutocomplete } from "@care_network/../tests/tours/care_tour_steps";

// Staff send the intake form to a guardian from the client's record.
registry.category("web_tour.tours").add("care_network_form_send", {
    steps: () => [
        {
            content: "Send a form from the client's record",
            trigger: ".o_form_view .o_form_statusbar button[name=action_send_care_form]",
            run: "click",
        },
        ...chooseInAutocomplete({
            content: "Pick the intake form",
            input: ".modal div[name=survey_id] input",
            text: "Tour intake",
            option: "Tour intake",
        }),
        ...chooseInAutocomplete({
            content: "One recipient: the legal guardian",
            input: ".modal div[name=recipient_id] input",
            text: "Gail",
            option: "Gail Guardian",
        }),
        {
            content: "It goes through her relation",
            trigger: ".modal div[name=relation_id]:contains('Gail Guardian')",
        },
        {
            content: "Send",
            trigger: ".modal footer button[name=action_confirm]:contains('Send')",
            run: "click",
        },
        {
            content: "Sent",
            trigger: ".o_notification:contains('Tour intake sent to Gail Guardian')",
        },
    ],
});

// The guardian opens her personal link (no login), fills the form in and submits.
registry.category("web_tour.tours").add("care_network_form_fill", {
    steps: () => [
        {
            content: "Start the form",
            trigger: "button.btn:contains('Start')",
            run: "click",
        },
        {
            content: "Answer what the ward needs",
            trigger: "div.js_question-wrapper:contains('What does Tim need?') textarea",
            run: "edit Help with homework",
        },
        {
            content: "Submit",
            trigger: "button[value=finish]",
            run: "click",
        },
        {
            content: "Thank you",
            trigger: "h1:contains('Thank you')",
        },
    ],
});

// Staff find it completed in the client's Forms tab.
registry.category("web_tour.tours").add("care_network_form_filed", {
    steps: () => [
        {
            content: "Open the Forms tab",
            trigger: ".o_notebook .nav-link:contains('Forms')",
            run: "click",
        },
        {
            content: "The intake form is completed, by the guardian",
            trigger:
                "div[name=care_form_answer_ids] .o_data_row:contains('Tour intake'):contains('Gail Guardian (Legal Guardian)'):contains('Completed')",
        },
        {
            content: "Open it",
            trigger: "div[name=care_form_answer_ids] .o_data_row:contains('Tour intake') td.o_data_cell",
            run: "click",
        },
        {
            content: "The answer reads in the client's file",
            trigger: ".modal div[name=user_input_line_ids] .o_data_row:contains('Help with homework')",
        },
    ],
});
