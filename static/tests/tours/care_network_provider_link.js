import { registry } from "@web/core/registry";

// A program without a login answers from the link in its intake e-mail.
registry.category("web_tour.tours").add("care_network_provider_link", {
    steps: () => [
        {
            content: "The referral shows what the seeker consented to share",
            trigger: ".o_care_provider_page:contains('Sam Seeker'):contains('Needs groceries weekly.')",
        },
        {
            content: "Accept the referral",
            trigger: ".o_care_provider_accept button[value=accepted]",
            run: "click",
        },
        {
            content: "The page thanks the program and shows the new status",
            trigger: ".alert-success:contains('the referral is updated')",
        },
        {
            trigger: ".o_care_referral_state:contains('Accepted')",
        },
        {
            content: "Say how it ended",
            trigger: ".o_care_provider_complete select[name=outcome]",
            run: "select got_help",
        },
        {
            trigger: ".o_care_provider_complete textarea[name=note]",
            run: "edit Picked up a box on Friday.",
        },
        {
            content: "Complete the referral",
            trigger: ".o_care_provider_complete button[value=completed]",
            run: "click",
        },
        {
            content: "The referral is closed and the link says so",
            trigger: ".o_care_provider_closed:contains('is closed')",
        },
    ],
});

// The helper reads the program's answer in the referral's history.
registry.category("web_tour.tours").add("care_network_provider_history", {
    steps: () => [
        {
            content: "Open the History tab",
            trigger: ".o_form_view .o_notebook .nav-link:contains('History')",
            run: "click",
        },
        {
            content: "The program is the author of its moves",
            trigger:
                "div[name=history_ids] .o_data_row:contains('Food Bank (intake)'):contains('Completed')",
        },
    ],
});
