import { registry } from "@web/core/registry";
import { chooseInAutocomplete, openCareNetworkApp } from "@care_network/../tests/tours/care_tour_steps";

function tomorrowAtTen() {
    const day = new Date(Date.now() + 24 * 3600 * 1000);
    const month = String(day.getMonth() + 1).padStart(2, "0");
    const date = String(day.getDate()).padStart(2, "0");
    return `${month}/${date}/${day.getFullYear()} 10:00:00`;
}

// Staff create a package for a family and book one session for two members.
registry.category("web_tour.tours").add("care_network_package_book", {
    url: "/odoo",
    steps: () => [
        ...openCareNetworkApp("Open the Care Network app"),
        {
            content: "Open Packages",
            trigger: ".o_main_navbar a[data-menu-xmlid='care_network.menu_packages']",
            run: "click",
        },
        {
            content: "New package",
            trigger: ".o_control_panel_main_buttons .o-kanban-button-new",
            run: "click",
        },
        {
            trigger: ".o_form_view div[name=name] input",
            run: "edit Tour coaching",
        },
        ...chooseInAutocomplete({
            content: "Delivered to the family",
            input: ".o_form_view div[name=holder_id] input",
            text: "Tour Family",
            option: "Tour Family",
        }),
        {
            content: "Its members take part by default",
            trigger: ".o_form_view div[name=participant_ids] .o_tag:contains('Theo Tour')",
        },
        {
            trigger: ".o_form_view div[name=session_count] input",
            run: "edit 4",
        },
        {
            content: "Activate",
            trigger: ".o_form_statusbar button[name=action_activate]",
            run: "click",
        },
        {
            trigger: ".o_form_statusbar .o_arrow_button_current:contains('Active')",
        },
        {
            content: "Book a session",
            trigger: ".o_form_statusbar button[name=action_book_session]",
            run: "click",
        },
        {
            content: "A new session in the calendar",
            trigger: ".o-calendar-button-new",
            run: "click",
        },
        {
            content: "The two members are its attendees",
            trigger: ".o_form_view div[name=partner_ids] .o_tag:contains('Theo Tour')",
        },
        {
            trigger: ".o_form_view div[name=start] input",
            run: `edit ${tomorrowAtTen()}`,
        },
        {
            content: "Save the session",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_saved",
        },
    ],
});

// A member opens the package on the portal: the session and the shared note.
registry.category("web_tour.tours").add("care_network_package_portal", {
    url: "/my",
    steps: () => [
        {
            content: "Open Packages",
            trigger: ".o_portal_docs a:contains('Packages')",
            run: "click",
        },
        {
            content: "Open the package",
            trigger: ".o_care_portal_package a:contains('Tour coaching')",
            run: "click",
        },
        {
            content: "The session booked for two members",
            trigger: ".o_care_portal_session:contains('Tour coaching'):contains('Tara Tour'):contains('Theo Tour')",
        },
        {
            content: "The shared note",
            trigger: ".o_care_portal_package_note:contains('Bring your reading plan')",
        },
    ],
});
