import { registry } from "@web/core/registry";
import { openCareNetworkApp } from "@care_network/../tests/tours/care_tour_steps";

/** The claimer follows the Accept link of their e-mail, logged out. */
registry.category("web_tour.tours").add("care_network_accept_from_email", {
    steps: () => [
        {
            content: "The link asks to log in first",
            trigger: ".oe_login_form input[name=login]",
            run: "edit tour_link_claimer",
        },
        {
            trigger: ".oe_login_form input[name=password]",
            run: "edit tour_link_claimer",
        },
        {
            trigger: ".oe_login_form button[type=submit]",
            run: "click",
        },
        {
            content: "The move is ready to confirm, nothing moved yet",
            trigger: ".o_care_referral_move_page:contains('Sent') .o_care_move_form:contains('Accepted?')",
        },
        {
            trigger: ".o_care_move_form textarea[name=note]",
            run: "edit We can take her on Tuesday",
        },
        {
            content: "Confirm",
            trigger: ".o_care_move_confirm",
            run: "click",
        },
        {
            content: "The referral, accepted, in the back office",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Accepted')",
        },
    ],
});

/** The helper's Outbound board follows the move without a reload. */
registry.category("web_tour.tours").add("care_network_live_board", {
    url: "/odoo",
    steps: () => [
        ...openCareNetworkApp("Open the Care Network app"),
        {
            trigger: "button[data-menu-xmlid='care_network.menu_referrals']",
            run: "click",
        },
        {
            trigger: "a[data-menu-xmlid='care_network.menu_referrals_outbound']",
            run: "click",
        },
        {
            content: "The referral waits in Sent",
            trigger: ".o_kanban_group:contains('Sent') .o_kanban_record:contains('Lina Live')",
            run: () => {
                // Tells the test the board is open: the claimer moves it now.
                document.body.classList.add("o_care_board_ready");
                window.__careBoardReady = true;
            },
        },
        {
            content: "The claimer's move shows, with who made it",
            trigger: ".o_notification:contains('moved'):contains('Accepted')",
            timeout: 30000,
        },
        {
            content: "The card moved to Accepted without a reload",
            trigger: ".o_kanban_group:contains('Accepted') .o_kanban_record:contains('Lina Live')",
        },
        {
            trigger: "body.o_care_board_ready",
        },
    ],
});
